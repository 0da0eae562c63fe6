using System.Diagnostics;
using System.Text;
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
    /// <summary>Long enough after the work started that progress, shown after one second of work, would be on screen.</summary>
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
    /// pages streams its rows while it reads: on a terminal the rows are the progress, and a progress
    /// line drawn on the same terminal landed in the middle of a row ("VA 0x…" then "\rpageatlas:
    /// pages of PID: 74% (…)" then the rest of the row after it), as a person saw it. Script's output
    /// is left unread until the work has gone on past the second after which progress is due (the
    /// terminal fills, and the listing waits for it however fast the machine), then read a while.
    /// </summary>
    [Fact]
    public async Task AListingOnTheTerminalGetsNoProgressLineDrawnIntoIt()
    {
        var info = new ProcessStartInfo("script") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-qfec", $"exec dotnet {CliErrorTests.CliDll} pages --all {_specimen.Pid}", "/dev/null" }) info.ArgumentList.Add(a);
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["SHELL"] = "/bin/sh";
        using var script = Process.Start(info)!;
        var clock = Stopwatch.StartNew();
        while (!ReadsPagemap(script.Id, _specimen.Pid) && clock.Elapsed < s_bound && !script.HasExited) Thread.Sleep(50);
        Assert.True(ReadsPagemap(script.Id, _specimen.Pid), $"pageatlas never opened /proc/{_specimen.Pid}/pagemap within {s_bound.TotalSeconds} s");
        Thread.Sleep(s_settle);
        var shown = new StringBuilder();
        var buffer = new char[1 << 16];
        while (shown.Length < (4 << 20) && script.StandardOutput.Read(buffer) is > 0 and var n) shown.Append(buffer, 0, n);
        script.StandardInput.Write('\u0003');
        script.StandardInput.Flush();
        var rest = script.StandardOutput.ReadToEndAsync();
        bool ended = script.WaitForExit(s_bound);
        if (!ended) script.Kill(entireProcessTree: true);
        Assert.True(ended, "pageatlas did not end after Ctrl+C");
        string screen = shown.Append(await rest).ToString();
        Assert.Contains("VA 0x", screen);
        Assert.DoesNotContain($"pageatlas: pages of {_specimen.Pid}:", screen);
    }

    /// <summary>
    /// snapshot's summary ("wrote FILE: …") comes after its progress line is erased: written while
    /// the line was still shown, it went on after the line's text ("pageatlas: snapshot: 0% (…)wrote
    /// …") and the erasing came after it, on an empty line, so the person saw both glued together.
    /// The progress line is asked for from the start and the work is long enough to draw it (every
    /// frame of the machine, --frames); the terminal's bytes are replayed as a terminal shows them.
    /// </summary>
    [Fact]
    public async Task SnapshotsSummaryIsWrittenOnceItsProgressLineIsErased()
    {
        string file = Path.Combine(_directory, "summary.snapshot");
        string written = await SnapshotWithProgressOnTerminal(file, "");
        var shown = Shown(written);
        Assert.Contains(shown, line => line.StartsWith("wrote " + file, StringComparison.Ordinal));
        Assert.DoesNotContain(shown, line => line.Contains("pageatlas: snapshot:", StringComparison.Ordinal));
    }

    /// <summary>
    /// On a terminal narrower than the progress line, the line is cut short of the last column: wrapped,
    /// it was two lines, and each redraw (a carriage return) went back to the second only, leaving
    /// one more copy of the first on the screen every quarter of a second.
    /// </summary>
    [Fact]
    public async Task OnANarrowTerminalTheProgressLineFitsItsWidth()
    {
        const int Columns = 40;
        string written = await SnapshotWithProgressOnTerminal(Path.Combine(_directory, "narrow.snapshot"), $"stty cols {Columns}; ");
        var drawn = written.Split('\r', '\n').Where(part => part.StartsWith("pageatlas: snapshot:", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(drawn);
        Assert.All(drawn, line => Assert.True(line.Length < Columns, $"a progress line of {line.Length} columns on a terminal of {Columns}: {line}"));
    }

    /// <summary>
    /// snapshot of the specimen with every frame of the machine (--frames: long enough that the line is
    /// drawn), its progress line asked for from the start, run on a pseudo-terminal to its end after
    /// <paramref name="setUp"/> (shell commands); every byte the terminal received.
    /// </summary>
    private async Task<string> SnapshotWithProgressOnTerminal(string file, string setUp)
    {
        string log = Path.Combine(_directory, $"screen-{Guid.NewGuid():N}.txt");
        var info = new ProcessStartInfo("script") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-qfec", $"{setUp}exec env PAGEATLAS_PROGRESS_AFTER=0 dotnet {CliErrorTests.CliDll} snapshot {_specimen.Pid} --frames -o {file}", log })
            info.ArgumentList.Add(a);
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["SHELL"] = "/bin/sh";
        using var script = Process.Start(info)!;
        var drained = script.StandardOutput.ReadToEndAsync();
        bool ended = script.WaitForExit(s_bound);
        if (!ended) script.Kill(entireProcessTree: true);
        Assert.True(ended, $"snapshot did not end within {s_bound.TotalSeconds} s");
        await drained;
        string written = File.ReadAllText(log);
        Assert.True(script.ExitCode == 0, $"exit {script.ExitCode}: {written}");
        Assert.Contains("pageatlas: snapshot:", written); // the line was drawn: there was something to test
        return written;
    }

    /// <summary>The lines a terminal shows for <paramref name="written"/>: a carriage return goes back to the line's start, and what follows overwrites it.</summary>
    private static List<string> Shown(string written)
    {
        var lines = new List<string>();
        foreach (string line in written.Split('\n'))
        {
            var shown = new StringBuilder();
            int column = 0;
            foreach (char c in line)
            {
                if (c == '\r')
                {
                    column = 0;
                    continue;
                }
                if (column < shown.Length) shown[column] = c;
                else shown.Append(c);
                column++;
            }
            lines.Add(shown.ToString().TrimEnd(' '));
        }
        return lines;
    }

    /// <summary>
    /// Runs the CLI on a pseudo-terminal with stdout to /dev/null, and types Ctrl+C on it when what
    /// the terminal shows satisfies <paramref name="typeCtrlCWhen"/> (or, when null, a few seconds
    /// after it opened the specimen's pagemap: its work has begun, and its Ctrl+C handler is long
    /// installed. A loaded machine can take longer than those seconds to start dotnet at all: a
    /// Ctrl+C counted from the start could land before the handler, or before any work to show).
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
        Stopwatch? working = null;
        while (clock.Elapsed < s_bound && !script.HasExited)
        {
            string shown = File.Exists(log) ? File.ReadAllText(log) : "";
            if (typeCtrlCWhen is not null && typeCtrlCWhen(shown)) break;
            if (typeCtrlCWhen is null && working is null && ReadsPagemap(script.Id, _specimen.Pid)) working = Stopwatch.StartNew();
            if (working is not null && working.Elapsed >= s_settle) break;
            Thread.Sleep(50);
        }
        Assert.True(typeCtrlCWhen is not null || working is not null, $"pageatlas never opened /proc/{_specimen.Pid}/pagemap within {s_bound.TotalSeconds} s");
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

    /// <summary>Whether the command script(1) runs (its child: sh exec'd it) holds /proc/<paramref name="target"/>/pagemap open.</summary>
    private static bool ReadsPagemap(int script, int target)
    {
        string pagemap = $"/proc/{target}/pagemap";
        try
        {
            foreach (string child in File.ReadAllText($"/proc/{script}/task/{script}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries))
                foreach (string fd in Directory.EnumerateFileSystemEntries($"/proc/{child}/fd"))
                    if (new FileInfo(fd).LinkTarget == pagemap) return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The child is starting or ending, or a descriptor closed while it was looked at: not yet.
        }
        return false;
    }
}
