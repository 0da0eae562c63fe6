using System.Net;

namespace PageAtlas.Server;

/// <summary>How `pageatlas serve` was asked to run.</summary>
/// <param name="Port">The TCP port, or 0 for a free one the kernel picks.</param>
/// <param name="Bind">The address to listen on: loopback unless the user asked for another.</param>
/// <param name="Token">The access token every request must carry.</param>
/// <param name="SnapshotFiles">Snapshot files to browse beside the live machine.</param>
/// <param name="AllowedHosts">Host names besides the loopback ones and the bound address that requests may name (a reverse proxy's, the machine's name).</param>
/// <param name="MaxUpload">The largest snapshot file the browser may upload, in bytes; null: uploads are off (--no-upload).</param>
public sealed record ExplorerOptions(int Port, IPAddress Bind, AccessToken Token, IReadOnlyList<string> SnapshotFiles, IReadOnlyList<string> AllowedHosts, long? MaxUpload = ExplorerOptions.DefaultMaxUpload)
{
    /// <summary>--max-upload's default: 256 MiB: room for snapshots of a few processes, not for a whole machine's frames (raise it with --max-upload).</summary>
    public const long DefaultMaxUpload = 256L << 20;

    /// <summary>How many snapshots the server keeps while it runs, uploaded or left by lab runs: each is a file in its private directory until it stops.</summary>
    public const int MostKept = 8;
}
