using System.Diagnostics;
using System.Text;
using System.Text.Json;
using PageAtlas.Analysis;
using PageAtlas.Labs;
using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.LiveTests;

/// <summary>watch follows a process live and ends cleanly when it exits.</summary>
public class WatchTests
{
    [SkippableFact]
    public async Task WatchSeesTheHeapGrowThenAPageArriveThenTheProcessExit()
    {
        var lazy = SpecimenProcess.Start("lazy");
        using var watching = new JsonWatch(lazy.Pid);
        void WaitForSamples(int more) => watching.WaitForSamples(more);
        var watch = watching.Process;

        WaitForSamples(2);
        var grown = lazy.Command("sbrk 16").Split(' ');
        WaitForSamples(3);
        ulong written = Convert.ToUInt64(grown[1], 16) + 3 * 4096;
        lazy.Command($"write 0x{written:x}");
        WaitForSamples(3);
        lazy.Dispose();
        Assert.True(watch.WaitForExit(60_000), "watch did not end when the process exited");
        await watching.Reader;

        Assert.Equal(0, watch.ExitCode);
        Assert.Contains("exited", watch.StandardError.ReadToEnd());
        var samples = watching.Samples();
        // The heap appears (sbrk on a fresh process creates it) with no page present...
        var heapChanges = samples.SelectMany(s => s.GetProperty("changes").EnumerateArray())
            .Where(c => c.GetProperty("vma").GetProperty("class").GetProperty("kind").GetString() == "heap").ToArray();
        Assert.Contains(heapChanges, c => c.GetProperty("change").GetString() is "new" or "grown" && c.GetProperty("presentPages").GetInt64() == 0);
        // ...then exactly one page of it arrives, the one written.
        var arrival = Assert.Single(heapChanges, c => c.GetProperty("becamePresentPages").GetInt64() > 0);
        Assert.Equal(1, arrival.GetProperty("becamePresentPages").GetInt64());
        Assert.Equal(1, arrival.GetProperty("presentPages").GetInt64());
        // The break reported is the heap's end.
        Assert.Contains(samples, s => Convert.ToUInt64(s.GetProperty("break").GetString(), 16) == Convert.ToUInt64(grown[3], 16));
    }

    [SkippableFact]
    public void TheFirstSampleIsTotalsPerSegmentClassAndEveryVmaWithVmas()
    {
        using var layout = SpecimenProcess.Start("layout");
        var maps = File.ReadAllLines($"/proc/{layout.Pid}/maps");
        var (code, compact, err) = CliProcess.Run(["dotnet", CliErrorTests.CliDll, "watch", layout.Pid.ToString(), "--count", "1"]);
        Assert.True(code == 0, err);
        var classLines = compact.Split('\n').Where(l => l.StartsWith("    ", StringComparison.Ordinal)).ToArray();
        // A line per class, none per VMA: together they count every VMA /proc/PID/maps lists.
        Assert.Equal(maps.Length, classLines.Sum(l => int.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1])));
        Assert.Contains(classLines, l => l.TrimStart().StartsWith("main-stack ", StringComparison.Ordinal));
        Assert.DoesNotContain(classLines, l => l.Contains("rw-p", StringComparison.Ordinal));

        (code, string full, err) = CliProcess.Run(["dotnet", CliErrorTests.CliDll, "watch", layout.Pid.ToString(), "--count", "1", "--vmas"]);
        Assert.True(code == 0, err);
        string stack = maps.Single(l => l.EndsWith("[stack]", StringComparison.Ordinal)).Split(' ')[0];
        Assert.Contains(full.Split('\n'), l => l.Contains("main-stack", StringComparison.Ordinal) && l.Contains(stack, StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task AStackThatGrowsDownIsGrownNotNewAndRemoved()
    {
        using var layout = SpecimenProcess.Start("layout");
        var (stackBefore, _) = StackExtent(layout.Pid);
        using var watching = new JsonWatch(layout.Pid);
        watching.WaitForSamples(2);
        // 512 KiB of frames: far below the stack's first extent, so the kernel must move its start down.
        ulong lowest = Convert.ToUInt64(layout.Command("grow 512").Split(' ')[1], 16);
        var (start, end) = StackExtent(layout.Pid);
        Assert.True(start <= lowest && start < stackBefore, $"the stack did not grow: 0x{stackBefore:x} then 0x{start:x}");
        watching.WaitForSamples(3);
        layout.Exit();
        Assert.True(watching.Process.WaitForExit(60_000), "watch did not end when the process exited");
        await watching.Reader;

        var stackChanges = watching.Samples().Skip(1).SelectMany(s => s.GetProperty("changes").EnumerateArray())
            .Where(c => c.GetProperty("vma").GetProperty("class").GetProperty("kind").GetString() == "main-stack").ToArray();
        var grown = Assert.Single(stackChanges, c => c.GetProperty("change").GetString() == "grown");
        Assert.Equal(start, Convert.ToUInt64(grown.GetProperty("vma").GetProperty("start").GetString(), 16));
        Assert.Equal(end, Convert.ToUInt64(grown.GetProperty("vma").GetProperty("end").GetString(), 16));
        // The 512 frames each wrote their KiB: at least 128 pages arrived, counted once.
        Assert.True(grown.GetProperty("becamePresentPages").GetInt64() >= 128, grown.ToString());
        Assert.DoesNotContain(stackChanges, c => c.GetProperty("change").GetString() is "new" or "removed");
    }

    [SkippableFact]
    public void DiffCallsAStackThatGrewDownGrown()
    {
        using var layout = SpecimenProcess.Start("layout");
        var (startBefore, end) = StackExtent(layout.Pid);
        using var before = LiveProcess.Open(layout.Pid);
        layout.Command("grow 512");
        using var after = LiveProcess.Open(layout.Pid);
        var (start, _) = StackExtent(layout.Pid);

        var report = MemoryDiff.Compare(before, after);
        var stack = Assert.Single(report.Vmas, d => d.After?.Class.Kind == SegmentKind.MainStack || d.Before?.Class.Kind == SegmentKind.MainStack);
        Assert.Equal(VmaChangeKind.Grown, stack.Change);
        Assert.Equal((startBefore, end), (stack.Before!.Vma.Start, stack.Before.Vma.End));
        Assert.Equal((start, end), (stack.After!.Vma.Start, stack.After.Vma.End));
    }

    [SkippableFact]
    public void TopRedrawsOneScreenOnATerminalAndLeavesTheCursorShown()
    {
        using var layout = SpecimenProcess.Start("layout");
        string command = $"dotnet {CliErrorTests.CliDll} watch {layout.Pid} --top --count 3 --interval 50ms";
        // script(1) gives watch a pseudo-terminal as stdout, as an interactive shell does.
        var (code, screen, err) = CliProcess.Run(["script", "-qfec", command, "/dev/null"]);
        Assert.True(code == 0, err + screen);
        // Each sample clears the screen and starts at its top: three samples, three screens, not appended lines.
        Assert.Equal(3, screen.Split("\e[H\e[2J").Length - 1);
        Assert.Equal(3, screen.Split("] #").Length - 1);
        // The cursor is hidden while drawing and shown again last.
        Assert.True(screen.LastIndexOf("\e[?25h", StringComparison.Ordinal) > screen.LastIndexOf("\e[?25l", StringComparison.Ordinal), screen);
        // Each screen fits the 24 rows script's unsized terminal is taken for, its last row left empty
        // so that the cursor never scrolls it (the ending line comes after the cursor is shown).
        foreach (var one in screen.Split("\e[H\e[2J").Skip(1))
            Assert.True(one.Split("\e[?25h")[0].Count(c => c == '\n') <= 23, one);

        // On a pipe --top is refused with one line, exit 2: there is no screen to redraw.
        (code, _, err) = CliProcess.Run(["dotnet", CliErrorTests.CliDll, "watch", layout.Pid.ToString(), "--top", "--count", "1"]);
        Assert.Equal(2, code);
        Assert.Contains("--top needs a terminal", err);
    }

    [SkippableFact]
    public void CtrlCEndsTopWithTheCursorShownAfterAWholeScreen()
    {
        using var layout = SpecimenProcess.Start("layout");
        // exec: script runs the command through $SHELL -c, and dash (Debian's sh, the shell when SHELL is
        // unset, as under CI) stays as the parent in the foreground group, so Ctrl+C would kill it (130)
        // whatever watch does. SHELL is pinned so that a developer's bash does not hide that.
        string command = $"exec dotnet {CliErrorTests.CliDll} watch {layout.Pid} --top --interval 50ms";
        var info = new ProcessStartInfo("script") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-qfec", command, "/dev/null" }) info.ArgumentList.Add(a);
        info.Environment["SHELL"] = "/bin/sh";
        using var script = Process.Start(info)!;
        var seen = new StringBuilder();
        var output = Task.Run(() =>
        {
            var buffer = new char[4096];
            int n;
            while ((n = script.StandardOutput.Read(buffer)) > 0)
                lock (seen) seen.Append(buffer, 0, n);
        });
        string Text() { lock (seen) return seen.ToString(); }
        int Screens() => CountOf(Text(), "\e[H\e[2J");
        // Wait for two whole screens (watch has started and handles Ctrl+C: a slow start on a loaded
        // machine must not meet a Ctrl+C the runtime has not yet been told to handle), then type
        // Ctrl+C: the pseudo-terminal's line discipline turns it into SIGINT.
        var clock = Stopwatch.StartNew();
        while (Screens() < 3 && clock.Elapsed < TimeSpan.FromSeconds(60) && !script.HasExited) Thread.Sleep(50);
        Assert.True(Screens() >= 3, "watch --top drew fewer than three screens in 60 s: " + Text());
        script.StandardInput.Write('\x03');
        script.StandardInput.Flush();
        Assert.True(script.WaitForExit(60_000), "watch --top did not end within 60 s of Ctrl+C");
        output.Wait();
        string screen = Text();
        Assert.Equal(0, script.ExitCode);
        int shown = screen.LastIndexOf("\e[?25h", StringComparison.Ordinal);
        Assert.True(shown > screen.LastIndexOf("\e[?25l", StringComparison.Ordinal), screen);
        Assert.Contains("stopped after", screen[shown..]);
        // The last screen is whole: every VMA of the (unchanging) specimen is on it, as many as 24 rows hold.
        string last = screen[screen.LastIndexOf("\e[H\e[2J", StringComparison.Ordinal)..shown];
        int vmas = File.ReadAllLines($"/proc/{layout.Pid}/maps").Length;
        Assert.Equal(Math.Min(vmas, 22), last.Split('\n').Count(l => l.StartsWith("    ", StringComparison.Ordinal)));
    }

    private static int CountOf(string text, string what) => text.Split(what).Length - 1;

    private static (ulong Start, ulong End) StackExtent(int pid)
    {
        var range = File.ReadAllLines($"/proc/{pid}/maps").Single(l => l.EndsWith("[stack]", StringComparison.Ordinal)).Split(' ')[0].Split('-');
        return (Convert.ToUInt64(range[0], 16), Convert.ToUInt64(range[1], 16));
    }

    /// <summary>pageatlas watch PID --json at 50ms, its lines parsed as they come.</summary>
    private sealed class JsonWatch : IDisposable
    {
        private readonly List<JsonElement> _lines = [];

        public JsonWatch(int pid)
        {
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "PageAtlas.Cli.dll"), "watch", pid.ToString(), "--interval", "50ms", "--json" })
                info.ArgumentList.Add(a);
            Process = Process.Start(info)!;
            Reader = Task.Run(() =>
            {
                while (Process.StandardOutput.ReadLine() is { } line) lock (_lines) _lines.Add(JsonDocument.Parse(line).RootElement.Clone());
            });
        }

        public Process Process { get; }

        public Task Reader { get; }

        public JsonElement[] Samples() { lock (_lines) return _lines.ToArray(); }

        /// <summary>
        /// Waits for this many more samples, and fails if they do not come in 60 s (a bound on a hang:
        /// a test that went on without them would change the process before watch had seen it).
        /// </summary>
        public void WaitForSamples(int more)
        {
            int target = Samples().Length + more;
            var clock = Stopwatch.StartNew();
            while (Samples().Length < target && clock.Elapsed < TimeSpan.FromSeconds(60) && !Process.HasExited) Thread.Sleep(25);
            Assert.True(Samples().Length >= target, $"watch --json gave {Samples().Length} samples, not {target}, in 60 s");
        }

        public void Dispose()
        {
            if (!Process.HasExited) Process.Kill();
            Process.Dispose();
        }
    }
}
