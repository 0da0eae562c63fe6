namespace PageAtlas.LiveTests;

/// <summary>
/// A swap file made for one test, on a real file system (swapon refuses tmpfs), activated with
/// swapon and removed with swapoff when disposed: also when the test fails, and when the test
/// host exits before disposing. A file a crashed run left behind (its directory names a pid that no
/// longer runs) is removed first. Where the machine cannot have swap (no space, swapon refused) the
/// test is skipped with the reason. Another test run's swap areas wait for their turn
/// (<see cref="MachineLock"/>): pages paged out go to the swap area of highest priority, which may be
/// the other run's, and come back into memory when that one is switched off.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class SwapArea : IDisposable
{
    private const string Prefix = "pageatlas-swap-";
    private readonly string _directory;
    private readonly MachineLock _turn;
    private bool _disposed;

    private SwapArea(string directory, string file, MachineLock turn)
    {
        _directory = directory;
        _turn = turn;
        File = file;
        AppDomain.CurrentDomain.ProcessExit += OnExit;
    }

    /// <summary>The swap file.</summary>
    public string File { get; }

    /// <summary>Makes and activates a swap file of <paramref name="bytes"/> bytes.</summary>
    public static SwapArea Activate(long bytes)
    {
        if (!System.IO.File.Exists("/proc/swaps")) throw new SkipException("this kernel has no swap (no /proc/swaps)");
        // A directory on a real file system with room to spare: /var/tmp, else next to the repository.
        var candidates = new[] { "/var/tmp", Specimen.RepoRoot() };
        string? parent = candidates.FirstOrDefault(d => Directory.Exists(d) && IsRealFileSystem(d, bytes * 4));
        if (parent is null)
            throw new SkipException($"no directory for a {bytes >> 20} MiB swap file: {string.Join(", ", candidates)} are tmpfs or lack {bytes * 4 >> 20} MiB free");
        var turn = new MachineLock("swap");
        var directory = Path.Combine(parent, $"{Prefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
        string file = Path.Combine(directory, "swapfile");
        try
        {
            RemoveLeftovers(parent);
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            // Written, not fallocated: some file systems refuse swap files with unwritten extents.
            using (var stream = new FileStream(file, new FileStreamOptions
            { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
            {
                var zeros = new byte[1 << 20];
                for (long written = 0; written < bytes; written += zeros.Length) stream.Write(zeros);
            }
            var (mkswap, _, mkswapErr) = CliProcess.Run(["mkswap", file]);
            if (mkswap != 0) throw new SkipException($"mkswap {file} failed: {mkswapErr.Trim()}");
            var (swapon, _, swaponErr) = CliProcess.Run(["swapon", file]);
            if (swapon != 0) throw new SkipException($"swapon {file} refused: {swaponErr.Trim()}");
        }
        catch
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
            turn.Dispose();
            throw;
        }
        return new SwapArea(directory, file, turn);
    }

    private static bool IsRealFileSystem(string directory, long needed)
    {
        var drive = new DriveInfo(directory);
        return drive.DriveFormat is not ("tmpfs" or "ramfs" or "overlay") && drive.AvailableFreeSpace > needed;
    }

    /// <summary>Swap files of test runs that died before removing theirs.</summary>
    private static void RemoveLeftovers(string parent)
    {
        foreach (var directory in Directory.GetDirectories(parent, Prefix + "*"))
        {
            var name = Path.GetFileName(directory)[Prefix.Length..];
            int dash = name.IndexOf('-');
            if (dash < 0 || !int.TryParse(name[..dash], out int pid) || Directory.Exists($"/proc/{pid}")) continue;
            Deactivate(Path.Combine(directory, "swapfile"));
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void Deactivate(string file)
    {
        if (!System.IO.File.ReadLines("/proc/swaps").Skip(1).Any(l => l.Split(' ', 2)[0] == file)) return;
        var (code, _, err) = CliProcess.Run(["swapoff", file]);
        if (code != 0) throw new InvalidOperationException($"swapoff {file} failed: {err.Trim()}; remove it by hand");
    }

    private void OnExit(object? sender, EventArgs e) => Dispose();

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        AppDomain.CurrentDomain.ProcessExit -= OnExit;
        Deactivate(File);
        Directory.Delete(_directory, recursive: true);
        _turn.Dispose();
    }
}
