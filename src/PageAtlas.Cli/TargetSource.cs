using System.CommandLine;
using PageAtlas.Linux;
using PageAtlas.Snapshots;

namespace PageAtlas.Cli;

/// <summary>
/// Where a command's process comes from: a live pid, or --snapshot FILE (then the pid names one of
/// the processes saved, and may be left out when the file holds one).
/// </summary>
internal static class TargetSource
{
    public static Option<string?> SnapshotOption() => new("--snapshot") { Description = "Analyse a snapshot file (pageatlas snapshot) instead of a live process" };

    /// <summary>Opens the target the arguments name.</summary>
    public static IMemoryTarget Open(string? pidText, string? snapshot)
    {
        if (snapshot is null)
            return LiveProcess.Open(CommonOptions.ParsePid(pidText ?? throw new InvalidRequestException("a process id is required (or --snapshot FILE)")));
        return Snapshot.OpenTarget(snapshot, pidText is null ? null : CommonOptions.ParsePid(pidText));
    }

    /// <summary>
    /// With --snapshot the pid may be left out before an address: "walk --snapshot f 0x7f…". A first
    /// argument that reads as an address (0x…, a range) is then taken as one.
    /// </summary>
    public static (string? Pid, string[] Arguments) SplitPid(string? pidText, string[] rest, string? snapshot)
    {
        bool looksLikeAddress = pidText is not null && (pidText.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || pidText.Contains("..", StringComparison.Ordinal) || pidText.Contains('+'));
        return snapshot is not null && looksLikeAddress ? (null, [pidText!, .. rest]) : (pidText, rest);
    }
}
