using System.Diagnostics;
using PageAtlas.Labs;
using System.Globalization;

namespace PageAtlas.LiveTests;

/// <summary>
/// Progress on stderr for long work, only on a terminal: run under a pseudo-terminal (util-linux
/// `script`), `pages --all` of a 256 GiB reservation (64 Mi pages, many seconds) shows a progress
/// line after a second, and Ctrl+C typed on that terminal ends it with exit 130 and one line in
/// PageAtlas's words. With stderr in a file, or with --json, the same work shows no progress.
/// </summary>
public sealed class ProgressTests : IDisposable
{
    private static readonly TimeSpan s_bound = TimeSpan.FromMinutes(2);
    /// <summary>Long enough after start that progress, shown after one second of work, would be on screen.</summary>
    private static readonly TimeSpan s_settle = TimeSpan.FromSeconds(3);
    private const string Interrupted = "pageatlas: interrupted by SIGINT (Ctrl+C): stopped; no half-written output file is left";
    private readonly string _directory = Directory.CreateTempSubdirectory("pageatlas-progress-").FullName;
    private readonly SpecimenProcess _specimen = Specimen.Start("--reserve-gib", "256");

    public void Dispose()
    {
        _specimen.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void OnATerminalLongWorkShowsProgressAndCtrlCEndsItWithOneLine()
    {
        var (code, screen, _) = RunOnTerminal($"pages --all {_specimen.Pid}", stderrToFile: false,
            typeCtrlCWhen: text => text.Contains($"pageatlas: pages of {_specimen.Pid}: ", StringComparison.Ordinal));
        Assert.True(code == 130, $"exit {code}: {screen}");
        Assert.Contains("pages of address space)", screen);
        Assert.Single(screen.Split('\n'), l => l.Contains(Interrupted, StringComparison.Ordinal));
        Assert.DoesNotContain("operation was canceled", screen, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", screen);
    }

    [Fact]
    public void WithStderrInAFileNoProgressIsWritten()
    {
        var (code, screen, stderr) = RunOnTerminal($"pages --all {_specimen.Pid}", stderrToFile: true, typeCtrlCWhen: null);
        Assert.True(code == 130, $"exit {code}: {screen}"); // still working when Ctrl+C came: progress would have been due
        Assert.Equal(Interrupted + "\n", stderr);
        Assert.DoesNotContain("pageatlas: pages of", screen);
    }

    [Fact]
    public void WithJsonNoProgressIsShownEvenOnATerminal()
    {
        var (code, screen, _) = RunOnTerminal($"pages --all {_specimen.Pid} --json", stderrToFile: false, typeCtrlCWhen: null);
        Assert.True(code == 130, $"exit {code}: {screen}");
        Assert.DoesNotContain("pageatlas: pages of", screen);
        Assert.Contains(Interrupted, screen);
    }

    /// <summary>
    /// Runs the CLI on a pseudo-terminal with stdout to /dev/null, and types Ctrl+C on it when what
    /// the terminal shows satisfies <paramref name="typeCtrlCWhen"/> (or after a few seconds when null).
    /// Returns the exit code, what the terminal showed, and what went to stderr when it was a file.
    /// </summary>
    private (int Code, string Screen, string Stderr) RunOnTerminal(string arguments, bool stderrToFile, Func<string, bool>? typeCtrlCWhen)
    {
        string log = Path.Combine(_directory, "screen.txt"), errors = Path.Combine(_directory, "stderr.txt");
        string command = $"exec dotnet {CliErrorTests.CliDll} {arguments} >/dev/null" + (stderrToFile ? $" 2>{errors}" : "");
        var info = new ProcessStartInfo("script") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-qfec", command, log }) info.ArgumentList.Add(a);
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["SHELL"] = "/bin/sh"; // as under CI: dash, which exec (above) keeps out of Ctrl+C's way
        using var script = Process.Start(info)!;
        var drained = script.StandardOutput.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < s_bound && !script.HasExited)
        {
            string shown = File.Exists(log) ? File.ReadAllText(log) : "";
            if (typeCtrlCWhen is null ? clock.Elapsed >= s_settle : typeCtrlCWhen(shown)) break;
            Thread.Sleep(50);
        }
        if (!script.HasExited)
        {
            // The terminal's line discipline turns the typed ^C into SIGINT for the foreground process, as a keyboard would.
            script.StandardInput.Write('\u0003');
            script.StandardInput.Flush();
        }
        bool ended = script.WaitForExit(s_bound);
        if (!ended) script.Kill(entireProcessTree: true);
        Assert.True(ended, "pageatlas did not end after Ctrl+C");
        drained.Wait(s_bound);
        string screen = File.ReadAllText(log).Replace("\r", "", StringComparison.Ordinal);
        return (script.ExitCode, screen, stderrToFile ? File.ReadAllText(errors) : "");
    }
}
