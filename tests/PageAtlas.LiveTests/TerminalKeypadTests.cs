using System.Diagnostics;

namespace PageAtlas.LiveTests;

/// <summary>
/// PageAtlas leaves the terminal's keypad mode alone: .NET's console streams send terminfo's
/// keypad_xmit (ESC [?1h ESC =) before their first write or read on a terminal and never send
/// keypad_local back, so after an error line the shell's arrow keys arrived in application mode.
/// Each case runs the CLI exec'ed on a pseudo-terminal (script(1)) and reads every byte it wrote
/// there: an error, a warning, snapshot's summary, snapshot's progress line, mtest reading the
/// terminal, and watch --top (which sends cursor codes of its own, but neither of those).
/// </summary>
public sealed class TerminalKeypadTests : IDisposable
{
    private static readonly TimeSpan s_bound = TimeSpan.FromMinutes(2);
    private readonly string _directory = Directory.CreateTempSubdirectory("pageatlas-keypad-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void AnErrorLineLeavesTheKeypadAlone()
    {
        string written = OnTerminal("maps 999999");
        Assert.Contains("pageatlas: no process with pid 999999", written);
        AssertKeypadUntouched(written);
    }

    /// <summary>Without CAP_SYS_ADMIN (user nobody) pagetable warns on stderr that PFNs are hidden.</summary>
    [Fact]
    public void AWarningLeavesTheKeypadAlone()
    {
        // Nobody's own sleep, and only once it is: before, the pid is root's setpriv, and pagetable
        // as nobody would be refused it (exit 5, an error) instead of warning.
        using var sleeper = new Target(AsNobody.StartSleep());
        string written = OnTerminal($"pagetable {sleeper.Id}", prefix: string.Join(' ', AsNobody.Prefix));
        Assert.Contains("pageatlas: warning:", written);
        AssertKeypadUntouched(written);
    }

    [Fact]
    public void SnapshotsSummaryLeavesTheKeypadAlone()
    {
        using var sleeper = Start(["sleep", "600"]);
        string written = OnTerminal($"snapshot {sleeper.Id} -o {Path.Combine(_directory, "one.snapshot")}");
        Assert.Contains("wrote ", written);
        AssertKeypadUntouched(written);
    }

    /// <summary>mtest reads its commands from the terminal (typed, then Ctrl+D) and answers there.</summary>
    [Fact]
    public void MtestReadingTheTerminalLeavesTheKeypadAlone()
    {
        string written = OnTerminal("mtest", typed: "r 999999 0x1000\n\u0004");
        Assert.Contains("999999", written);
        AssertKeypadUntouched(written);
    }

    [Fact]
    public void WatchTopLeavesTheKeypadAlone()
    {
        using var sleeper = Start(["sleep", "600"]);
        string written = OnTerminal($"watch {sleeper.Id} --top --count 2 --interval 50ms");
        Assert.Contains("\e[?25h", written); // its own cursor codes are there, and shown again last
        AssertKeypadUntouched(written);
    }

    /// <summary>
    /// A snapshot with every frame of the machine (--frames) into a file, its progress line on the
    /// terminal (stderr) asked for from the start (PAGEATLAS_PROGRESS_AFTER=0: the work takes well
    /// under the usual second on a quiet machine, and then no line was ever drawn); Ctrl+C is typed
    /// once the line is there, if the work has not ended first. Standard output stays the terminal:
    /// .NET sends its keypad sequence there.
    /// </summary>
    [Fact]
    public async Task TheProgressLineLeavesTheKeypadAlone()
    {
        using var sleeper = Start(["sleep", "600"]);
        string log = Path.Combine(_directory, "screen.txt");
        string command = $"exec env PAGEATLAS_PROGRESS_AFTER=0 dotnet {CliErrorTests.CliDll} snapshot {sleeper.Id} --frames -o {Path.Combine(_directory, "big.snapshot")}";
        using var script = StartScript(command, log);
        var drained = script.StandardOutput.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < s_bound && !script.HasExited && !Read(log).Contains("pageatlas: snapshot:", StringComparison.Ordinal))
            Thread.Sleep(20);
        if (!script.HasExited) TypeCtrlC(script);
        bool ended = script.WaitForExit(s_bound);
        if (!ended) script.Kill(entireProcessTree: true);
        Assert.True(ended, "pageatlas did not end after Ctrl+C");
        await drained;
        string written = Read(log);
        Assert.Contains("pageatlas: snapshot:", written);
        AssertKeypadUntouched(written);
    }

    /// <summary>A wait that is not a number of seconds is named in one warning, and the usual second applies.</summary>
    [Fact]
    public void AProgressWaitThatIsNotSecondsIsNamedInAWarning()
    {
        using var sleeper = Start(["sleep", "600"]);
        string written = OnTerminal($"snapshot {sleeper.Id} -o {Path.Combine(_directory, "warned.snapshot")}", prefix: "env PAGEATLAS_PROGRESS_AFTER=soon");
        Assert.Contains("pageatlas: warning: PAGEATLAS_PROGRESS_AFTER=soon is not a number of seconds", written);
        Assert.Contains("wrote ", written);
        AssertKeypadUntouched(written);
    }

    /// <summary>Ctrl+C typed on the terminal; script(1) may have just ended with the work (its input then a closed pipe).</summary>
    private static void TypeCtrlC(Process script)
    {
        try
        {
            script.StandardInput.Write('\u0003');
            script.StandardInput.Flush();
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Neither keypad_xmit's private mode (DECCKM, ESC [?1h) nor its keypad mode (DECKPAM, ESC =).</summary>
    private static void AssertKeypadUntouched(string written)
    {
        Assert.DoesNotContain("\e[?1h", written, StringComparison.Ordinal);
        Assert.DoesNotContain("\e=", written, StringComparison.Ordinal);
    }

    /// <summary>Every byte the CLI wrote to a pseudo-terminal (stdout and stderr both), run to its end; <paramref name="typed"/> is typed on it.</summary>
    private string OnTerminal(string arguments, string prefix = "", string typed = "")
    {
        string log = Path.Combine(_directory, $"screen-{Guid.NewGuid():N}.txt");
        using var script = StartScript($"exec {prefix} dotnet {CliErrorTests.CliDll} {arguments}", log);
        var drained = script.StandardOutput.ReadToEndAsync();
        script.StandardInput.Write(typed);
        script.StandardInput.Flush();
        bool ended = script.WaitForExit(s_bound);
        if (!ended) script.Kill(entireProcessTree: true);
        Assert.True(ended, $"'{arguments}' did not end on the terminal within {s_bound.TotalSeconds} s");
        drained.Wait(s_bound);
        return Read(log);
    }

    private static Process StartScript(string command, string log)
    {
        var info = new ProcessStartInfo("script") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-qfec", command, log }) info.ArgumentList.Add(a);
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["SHELL"] = "/bin/sh"; // as under CI: dash, which exec (above) keeps out of the way
        return Process.Start(info)!;
    }

    private static Target Start(string[] command)
    {
        var info = new ProcessStartInfo(command[0]) { UseShellExecute = false };
        foreach (var a in command.Skip(1)) info.ArgumentList.Add(a);
        return new Target(Process.Start(info)!);
    }

    /// <summary>A process to look at, ended when the test is done.</summary>
    private sealed class Target(Process process) : IDisposable
    {
        public int Id => process.Id;

        public void Dispose()
        {
            process.Kill();
            process.WaitForExit();
            process.Dispose();
        }
    }

    private static string Read(string path) => File.Exists(path) ? File.ReadAllText(path) : "";
}
