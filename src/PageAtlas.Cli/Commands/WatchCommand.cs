using System.CommandLine;
using PageAtlas.Cli.Help;
using System.Globalization;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;
using PageAtlas.Cli.Rendering;

namespace PageAtlas.Cli.Commands;

/// <summary>pageatlas watch &lt;pid&gt;: a live timeline of a process's memory until it exits or the user stops it.</summary>
internal static class WatchCommand
{
    public static Command Create(CliConsole console)
    {
        var source = TargetSource.Live();
        var interval = new Option<string>("--interval") { Description = "Time between samples: seconds (0.5) or with a unit (200ms, 2s, 1m)", HelpName = "time", DefaultValueFactory = _ => "1s" };
        var vma = new Option<string?>("--vma") { Description = "Watch only the region (VMA) containing this address, or with this path or file name ([heap])", HelpName = "vma" };
        var count = new Option<int?>("--count") { Description = "Stop after this many samples (without it: when the process exits, or at Ctrl+C)", HelpName = "n" };
        var vmas = new Option<bool>("--vmas") { Description = "List every region in the first sample, not totals per kind of region" };
        var top = new Option<bool>("--top") { Description = "Redraw one screen per sample, regions sorted by how much they changed (on a terminal only)" };
        var json = CommonOptions.Json();
        var command = new Command("watch", "How does this process's memory change? A sample every interval: its size, pages in RAM, the end of its heap, and the regions that appeared, went, grew or shrank and the pages they gained or lost; until the process exits or Ctrl+C")
        {
            interval, vma, count, vmas, top, json,
        };
        source.AddTo(command);
        CommandExamples.Add(command,
            ("pageatlas watch 1234 --count 3 --interval 200ms", "three samples of process 1234, 200 ms apart"),
            ("pageatlas watch 1234 --count 2 --vmas", "two samples, the first listing every region"));
        command.SetHandler((result, token) =>
        {
            int id = source.RequiredPid(result);
            var period = Durations.Parse(result.GetValue(interval)!, "--interval", TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1), "10ms and 1h");
            int? limit = result.GetValue(count);
            if (limit is <= 0) throw new InvalidRequestException("--count must be positive");
            var layout = result.GetValue(top) ? Layout.Top : result.GetValue(json) ? Layout.Json : result.GetValue(vmas) ? Layout.EveryVma : Layout.Compact;
            // --top redraws a screen in place; in a file or a pipe that would be escape sequences and
            // repeated screens, so it is refused rather than quietly turned into appended lines (and with --json: OptionConflicts).
            if (layout == Layout.Top && console.IsOutputRedirected) throw new InvalidRequestException("--top needs a terminal on standard output; leave it out to append a sample at a time");
            AddressRange? only = null;
            if (result.GetValue(vma) is { } selector)
            {
                using var first = LiveProcess.Open(id);
                var ranges = VmaSelection.Select(console, first, [selector], []);
                only = new AddressRange(ranges.Min(r => r.Start), ranges.Max(r => r.End));
            }
            return Run(console, new Timeline(() => LiveProcess.Open(id), only, everyVma: layout == Layout.Top), id, period, limit, layout, token);
        });
        return command;
    }

    private static int Run(CliConsole console, Timeline timeline, int pid, TimeSpan period, int? limit, Layout layout, CancellationToken cancellation)
    {
        using var stop = new CancellationTokenSource();
        // Ctrl+C is how a watch is meant to end: it stops sampling and says so, exit 0.
        using var ctrlC = Interruption.StopOnCtrlC(stop.Cancel);
        // A --top screen is written whole, between samples: Ctrl+C only wakes the wait, so it never cuts one short.
        using var stdout = console.OpenOutput();
        using var writer = new StreamWriter(stdout) { AutoFlush = true };
        int samples = 0;
        string ending;
        if (layout == Layout.Top) writer.Write(TimelineTop.HideCursor);
        try
        {
            ending = Sample(console, timeline, pid, period, limit, layout, stdout, writer, ref samples, stop.Token, cancellation);
        }
        finally
        {
            // Whatever ends the watch (Ctrl+C, SIGTERM, the process gone), the cursor comes back.
            if (layout == Layout.Top) writer.Write(TimelineTop.ShowCursor);
        }
        if (layout != Layout.Json) writer.WriteLine(ending);
        else console.Error.WriteLine($"pageatlas: {ending}");
        return ExitCodes.Ok;
    }

    /// <summary>Samples and writes until the count, the process's exit or Ctrl+C; says which.</summary>
    private static string Sample(CliConsole console, Timeline timeline, int pid, TimeSpan period, int? limit, Layout layout, Stream stdout, StreamWriter writer,
        ref int samples, CancellationToken stop, CancellationToken cancellation)
    {
        // Asked only for --top: .NET sets the terminal up (keypad mode) when its size is first read.
        var (width, height) = layout == Layout.Top ? console.TerminalSize() : (0, 0);
        while (true)
        {
            TimelineSample sample;
            try
            {
                sample = timeline.Next();
            }
            catch (TargetUnavailableException) when (samples > 0)
            {
                return $"process {pid} exited after {samples} sample(s)";
            }
            samples++;
            if (layout == Layout.Json) TimelineLinesJson.Write(stdout, sample);
            else if (layout == Layout.Top) writer.Write(TimelineTop.Screen(sample, width, height));
            else TimelineText.Write(writer, sample, everyVma: layout == Layout.EveryVma, console.TableWidth);
            if (samples == limit) return $"{samples} sample(s) taken";
            // SIGTERM and SIGHUP cancel the run (exit 143, 129); Ctrl+C only ends the watch.
            int woken = WaitHandle.WaitAny([stop.WaitHandle, cancellation.WaitHandle], period);
            cancellation.ThrowIfCancellationRequested();
            if (woken == 0) return $"stopped after {samples} sample(s)";
        }
    }

    /// <summary>What each sample is written as.</summary>
    private enum Layout { Compact, EveryVma, Top, Json }
}
