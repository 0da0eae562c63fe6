namespace PageAtlas.LiveTests;

/// <summary>
/// A lab removes what it created — its specimen processes, the System V segment and POSIX shared
/// memory object of the shm lab, the file of the file-mmap lab — when it ends and when a signal
/// ends it midway. The labs run on wrapped specimens (PAGEATLAS_SPECIMENS) that log each start, and
/// can hold the lab's second specimen back so that the signal lands while the first is running.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LabCleanupTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);
    private readonly string _specimens = Directory.CreateTempSubdirectory("pageatlas-specimens-").FullName;

    private string Log => Path.Combine(_specimens, "started.log");
    private string Hold => Path.Combine(_specimens, "hold");

    public LabCleanupTests()
    {
        foreach (var name in new[] { "layout", "forkpair", "lazy" })
            File.CreateSymbolicLink(Path.Combine(_specimens, name), Specimen.BinaryPath(name));
        string wrapper = Path.Combine(_specimens, "sharer");
        File.WriteAllText(wrapper, $"""
            #!/bin/sh
            echo "$$ $*" >> '{Log}'
            if [ -e '{Hold}' ] && [ "$(wc -l < '{Log}')" -ge 2 ]; then exec sleep 120; fi
            exec '{Specimen.BinaryPath("sharer")}' "$@"

            """);
        File.SetUnixFileMode(wrapper, (UnixFileMode)0b111_101_101);
    }

    public void Dispose()
    {
        foreach (var (pid, _) in Started())
            if (Directory.Exists($"/proc/{pid}")) RunningCli.SendSignal(pid, 9);
        Directory.Delete(_specimens, recursive: true);
    }

    private Dictionary<string, string> Environment => new() { ["PAGEATLAS_SPECIMENS"] = _specimens };

    [Fact]
    public void TheShmLabRemovesItsSegmentAndSharedMemoryObject()
    {
        var (code, _, err) = RunningCli.Run(Bound, ["lab", "shm"], Environment);
        Assert.True(code == 0, err);
        var started = Started();
        Assert.Equal(["create", "attach"], started.Select(s => s.Arguments[0]));
        AssertNothingLeft(started);
    }

    [Theory]
    [InlineData("shm", 2)]
    [InlineData("shm", 15)]
    [InlineData("file-mmap", 2)]
    [InlineData("file-mmap", 1)]
    public void ALabEndedBySignalMidwayRemovesWhatItCreated(string lab, int signal)
    {
        File.WriteAllText(Hold, "");
        using var cli = RunningCli.Start(["lab", lab], Environment);
        WaitUntil(() => Started().Count >= 2);
        var started = Started();
        Assert.Equal(2, started.Count);
        // The first specimen is up with what it created; the second is held back.
        WaitUntil(() => Created(started[0]).All(Exists));
        Assert.All(Created(started[0]), path => Assert.True(Exists(path), $"{path} was never created"));

        cli.Signal(signal);
        var (code, _, err) = cli.Wait(Bound);

        Assert.True(code == 128 + signal, $"exit {code}: {err}");
        AssertNothingLeft(started);
    }

    /// <summary>Each specimen the lab started: its pid and arguments, from the wrapper's log.</summary>
    private List<(int Pid, string[] Arguments)> Started() => !File.Exists(Log) ? [] :
        File.ReadAllLines(Log).Select(l => l.Split(' ')).Select(f => (int.Parse(f[0]), f[1..])).ToList();

    /// <summary>What a specimen creates that outlives it unless removed: its POSIX shm object, or the file it maps.</summary>
    private static string[] Created((int Pid, string[] Arguments) specimen) => specimen.Arguments[0] switch
    {
        "create" => [$"/dev/shm/pageatlas-sharer-{specimen.Pid}", $"sysv:{specimen.Pid}"],
        "mapfile" => [specimen.Arguments[1]],
        _ => [],
    };

    /// <summary>A file, or "sysv:PID" for a System V segment created by PID (/proc/sysvipc/shm's cpid column).</summary>
    private static bool Exists(string what) => what.StartsWith("sysv:", StringComparison.Ordinal)
        ? File.ReadAllLines("/proc/sysvipc/shm").Skip(1).Any(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[4] == what[5..])
        : File.Exists(what);

    /// <summary>
    /// Polls <paramref name="condition"/> for up to 60 s, a bound on a hang, not a timing assert (the
    /// assert after it says what was awaited): a loaded 2-core machine takes seconds to start dotnet,
    /// a lab and its specimens, or to reap them.
    /// </summary>
    private static void WaitUntil(Func<bool> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(10);
    }

    private static void AssertNothingLeft(List<(int Pid, string[] Arguments)> started)
    {
        foreach (var specimen in started)
        {
            // A specimen asked to stop gets a moment to remove what it made before it is gone.
            WaitUntil(() => !Directory.Exists($"/proc/{specimen.Pid}"));
            Assert.False(Directory.Exists($"/proc/{specimen.Pid}"), $"specimen {specimen.Pid} ({string.Join(' ', specimen.Arguments)}) was left running");
            // A System V segment marked for removal goes when its last mapping does: the exit's unmapping
            // waits for anyone reading the process's memory at that moment (another process's
            // /proc/PID/smaps_rollup or pagemap read holds its mm), so it can outlive the reaped pid by
            // a moment. One never removed stays: the bound tells the two apart.
            foreach (var path in Created(specimen))
            {
                WaitUntil(() => !Exists(path));
                Assert.False(Exists(path), $"{path} was left behind");
            }
        }
    }
}
