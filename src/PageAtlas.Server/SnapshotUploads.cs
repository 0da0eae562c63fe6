using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using PageAtlas.Output;
using PageAtlas.Snapshots;

namespace PageAtlas.Server;

/// <summary>
/// Snapshot files uploaded from the browser (POST /api/sources): each is streamed into a new file in
/// a private directory (<see cref="PrivateDirectory"/>: random name, mode 0700, made with mkdir at the
/// first upload in the temp directory, owned by the server's user: root when it runs as root),
/// counted as it arrives and refused past the cap (413) without ever being held whole in memory,
/// then checked exactly as the CLI checks a snapshot file (<see cref="Snapshot.Open"/>: a bad file is
/// 422 with its one-line reason) and added as the next source. The directory and every file in it are
/// removed when the server stops, or a signal ends it (only SIGKILL leaves it in the temp directory).
/// </summary>
public sealed class SnapshotUploads : IDisposable
{
    private readonly ExplorerSources _sources;
    private readonly long _maxBytes;
    private readonly int _most;
    private readonly Lazy<PrivateDirectory> _directory;
    private int _taken;

    /// <summary>Uploads of at most <paramref name="maxBytes"/> bytes each, <paramref name="most"/> in all, added to <paramref name="sources"/>.</summary>
    public SnapshotUploads(ExplorerSources sources, long maxBytes, int most)
    {
        _sources = sources;
        _maxBytes = maxBytes;
        _most = most;
        _directory = new Lazy<PrivateDirectory>(() => PrivateDirectory.Create(Path.GetTempPath()), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Where the uploaded files are while the server runs (made at the first upload).</summary>
    public string Directory => _directory.Value.Path;

    /// <summary>Receives one upload: its body is the snapshot file, <c>?name=</c> the name it is shown by. Answers the new source's id (201) or why not.</summary>
    public async Task Receive(HttpContext context)
    {
        var request = context.Request;
        if (Interlocked.Increment(ref _taken) > _most)
        {
            Interlocked.Decrement(ref _taken);
            await ApiResponse.Error(context, StatusCodes.Status409Conflict, $"this server holds {_most} uploaded snapshots already: restart it to upload others");
            return;
        }
        string name = ShownName(request.Query["name"].ToString());
        string path = Path.Combine(Directory, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) + ".db");
        bool kept = false;
        try
        {
            if (request.ContentLength > _maxBytes)
            {
                await TooLarge(context);
                return;
            }
            // Kestrel's own limit (30 MB) would cut a large upload short with its own answer: this counts instead.
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = null;
            if (!await Copy(request.Body, path, context.RequestAborted))
            {
                await TooLarge(context);
                return;
            }
            try
            {
                Snapshot.Open(path).Dispose();
            }
            catch (PageAtlasException e)
            {
                // The reason names the file: the name it came with, not the server's temp path.
                await ApiResponse.Error(context, ApiResponse.StatusOf(e), e.Message.Replace(path, name, StringComparison.Ordinal));
                return;
            }
            string id = _sources.Add(path, name);
            kept = true;
            context.Response.StatusCode = StatusCodes.Status201Created;
            await ApiResponse.Json(context, json =>
            {
                json.WriteStartObject();
                json.WriteString("id", id);
                json.WriteString("file", name);
                json.WriteEndObject();
            });
        }
        finally
        {
            if (!kept)
            {
                File.Delete(path);
                Interlocked.Decrement(ref _taken);
            }
        }
    }

    /// <summary>Streams <paramref name="body"/> into a new private file (O_CREAT|O_EXCL, 0600); false when it grew past the cap.</summary>
    private async Task<bool> Copy(Stream body, string path, CancellationToken cancellation)
    {
        await using var file = CreatePrivate(path);
        var buffer = new byte[1 << 16];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellation)) > 0)
        {
            total += read;
            if (total > _maxBytes) return false;
            await file.WriteAsync(buffer.AsMemory(0, read), cancellation);
        }
        return true;
    }

    private static FileStream CreatePrivate(string path)
    {
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("PageAtlas reads Linux's memory: it runs on Linux");
        return new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
    }

    private Task TooLarge(HttpContext context) =>
        ApiResponse.Error(context, StatusCodes.Status413PayloadTooLarge, $"the file is larger than this server takes ({_maxBytes} bytes: pageatlas serve --max-upload)");

    /// <summary>The file name an upload is shown by: its last path part, at most 120 characters, "upload" when none.</summary>
    private static string ShownName(string name)
    {
        name = Path.GetFileName(name.Replace('\\', '/'));
        return name.Length == 0 ? "upload" : name.Length > 120 ? name[..120] : name;
    }

    /// <summary>Removes every uploaded file and the directory.</summary>
    public void Dispose()
    {
        if (_directory.IsValueCreated) _directory.Value.Dispose();
    }
}
