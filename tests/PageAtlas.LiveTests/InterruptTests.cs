namespace PageAtlas.LiveTests;

/// <summary>
/// A signal that ends pageatlas midway removes what it had half-written and exits 128 + the signal's
/// number (130 for Ctrl+C); a closed output pipe ends it quietly.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class InterruptTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);
    private readonly string _directory = Directory.CreateTempSubdirectory("pageatlas-interrupt-").FullName;

    private string PathOf(string name) => Path.Combine(_directory, name);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(2)]  // SIGINT (Ctrl+C)
    [InlineData(15)] // SIGTERM
    [InlineData(1)]  // SIGHUP
    public void ASnapshotInterruptedMidWriteLeavesTheOldFileAndNothingElse(int signal)
    {
        // 512 MiB of pages take long enough to save (a second or so) that the signal lands mid-write.
        using var specimen = Specimen.Start("--touch-mib", "512");
        string file = PathOf("keep.db");
        for (int attempt = 1; ; attempt++)
        {
            File.WriteAllText(file, "the old snapshot");
            using var cli = RunningCli.Start(["snapshot", specimen.Pid.ToString(), "-o", file]);
            bool writing = WaitForEntries(2, cli);
            if (writing) cli.Signal(signal);
            var (code, _, err) = cli.Wait(Bound);
            // A loaded machine can keep this test off the CPU for the whole write: the snapshot then ends
            // (exit 0) before its temporary file is seen or the signal lands. That attempt proves nothing
            // either way, and is made again (five at most).
            if (code == 0 && attempt < 5) continue;

            Assert.True(writing, "the snapshot never started writing beside its file");
            Assert.True(code == 128 + signal, $"exit {code}: {err}");
            Assert.Equal(["keep.db"], FileFacts.Entries(_directory));
            Assert.Equal("the old snapshot", File.ReadAllText(file));
            return;
        }
    }

    [Fact]
    public void CtrlCWhilePagetableRendersRemovesItsTemporaryFileAndStopsGraphviz()
    {
        using var specimen = Specimen.Start();
        // A dot that never finishes holds pagetable -o in the middle of writing its file.
        string tools = Directory.CreateTempSubdirectory("pageatlas-tools-").FullName;
        string dotPid = Path.Combine(tools, "dot.pid");
        try
        {
            File.WriteAllText(Path.Combine(tools, "dot"), $"#!/bin/sh\necho $$ > '{dotPid}'\nexec sleep 120\n");
            File.SetUnixFileMode(Path.Combine(tools, "dot"), (UnixFileMode)0b111_101_101);
            var environment = new Dictionary<string, string> { ["PATH"] = $"{tools}:{Environment.GetEnvironmentVariable("PATH")}" };
            using var cli = RunningCli.Start(["pagetable", specimen.Pid.ToString(), "--format", "svg", "-o", PathOf("tree.svg")], environment);
            // Its pid written whole (the shell creates the file before it writes the line): a dot that
            // Ctrl+C ends between the two would leave a file with no pid to look for.
            bool DotStarted() => File.Exists(dotPid) && File.ReadAllText(dotPid).EndsWith('\n');
            WaitUntil(() => DotStarted() || cli.HasExited);
            Assert.True(DotStarted(), "dot was never started");
            Assert.NotEmpty(FileFacts.Entries(_directory));

            cli.Signal(2);
            var (code, _, err) = cli.Wait(Bound);

            Assert.True(code == 130, $"exit {code}: {err}");
            Assert.Empty(FileFacts.Entries(_directory));
            int dot = int.Parse(File.ReadAllText(dotPid).Trim());
            WaitUntil(() => !Directory.Exists($"/proc/{dot}"));
            Assert.False(Directory.Exists($"/proc/{dot}"), "Graphviz dot was left running");
        }
        finally
        {
            Directory.Delete(tools, recursive: true);
        }
    }

    [Fact]
    public void WatchEndsQuietlyWhenTheReaderOfItsOutputGoesAway()
    {
        using var specimen = Specimen.Start();
        // As `pageatlas watch PID | head -1`: read one line, then close the pipe.
        using var cli = RunningCli.Start(["watch", specimen.Pid.ToString(), "--interval", "50ms"], readStdout: false);
        Assert.NotNull(cli.StandardOutput.ReadLine());
        cli.StandardOutput.Close();
        var (code, _, err) = cli.Wait(TimeSpan.FromSeconds(30));
        Assert.Equal(141, code); // 128 + SIGPIPE, as a tool the kernel had stopped with SIGPIPE
        Assert.Equal("", err);
    }

    [Fact]
    public void WatchOfAProcessThatDoesNotExistExits3()
    {
        var (code, _, err) = RunningCli.Run(TimeSpan.FromSeconds(60), ["watch", "999999999"]);
        Assert.Equal(3, code);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("no process", err);
    }

    /// <summary>Polls <paramref name="condition"/> for up to 60 s: a bound on a hang (the assert after it says what was awaited), not a timing assert.</summary>
    private static void WaitUntil(Func<bool> condition)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition() && DateTime.UtcNow < until) Thread.Sleep(10);
    }

    /// <summary>Polls the directory until it holds <paramref name="count"/> entries, while <paramref name="cli"/> runs.</summary>
    private bool WaitForEntries(int count, RunningCli cli)
    {
        var until = DateTime.UtcNow + Bound;
        while (DateTime.UtcNow < until && !cli.HasExited)
        {
            if (FileFacts.Entries(_directory).Length >= count) return true;
            Thread.Sleep(2);
        }
        return false;
    }
}
