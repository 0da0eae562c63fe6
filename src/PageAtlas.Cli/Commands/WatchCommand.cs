using System.CommandLine;
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
        var interval = new Option<string>("--interval") { Description = "Time between samples: seconds (0.5) or with a unit (200ms, 2s)", DefaultValueFactory = _ => "1s" };
        var vma = new Option<string?>("--vma") { Description = "Watch only the VMA containing this address, or with this path or file name ([heap])" };
        var count = new Option<int?>("--count") { Description = "Stop after this many samples (default: until the process exits or Ctrl+C)" };
        var json = CommonOptions.Json();
        var command = new Command("watch", "Follow a process's memory live: virtual size, present pages, program break, and per VMA the pages that became present or left since the last sample")
        {
            interval, vma, count, json,
        };
        source.AddTo(command);
        command.SetHandler((result, token) =>
        {
            int id = source.RequiredPid(result);
            var period = ParseInterval(result.GetValue(interval)!);
            int? limit = result.GetValue(count);
            if (limit is <= 0) throw new InvalidRequestException("--count must be positive");
            AddressRange? only = null;
            if (result.GetValue(vma) is { } selector)
            {
                using var first = LiveProcess.Open(id);
                var ranges = VmaSelection.Select(console, first, [selector], []);
                only = new AddressRange(ranges.Min(r => r.Start), ranges.Max(r => r.End));
            }
            return Run(console, new Timeline(() => LiveProcess.Open(id), only), id, period, limit, result.GetValue(json), token);
        });
        return command;
    }

    private static int Run(CliConsole console, Timeline timeline, int pid, TimeSpan period, int? limit, bool json, CancellationToken cancellation)
    {
        using var stop = new CancellationTokenSource();
        // Ctrl+C is how a watch is meant to end: it stops sampling and says so, exit 0.
        using var ctrlC = Interruption.StopOnCtrlC(stop.Cancel);
        using var stdout = console.OpenOutput();
        using var writer = new StreamWriter(stdout) { AutoFlush = true };
        int samples = 0;
        string ending;
        while (true)
        {
            TimelineSample sample;
            try
            {
                sample = timeline.Next();
            }
            catch (TargetUnavailableException) when (samples > 0)
            {
                ending = $"process {pid} exited after {samples} sample(s)";
                break;
            }
            samples++;
            if (json) TimelineLinesJson.Write(stdout, sample);
            else TimelineText.Write(writer, sample);
            if (samples == limit) { ending = $"{samples} sample(s) taken"; break; }
            // SIGTERM and SIGHUP cancel the run (exit 143, 129); Ctrl+C only ends the watch.
            int woken = WaitHandle.WaitAny([stop.Token.WaitHandle, cancellation.WaitHandle], period);
            cancellation.ThrowIfCancellationRequested();
            if (woken == 0) { ending = $"stopped after {samples} sample(s)"; break; }
        }
        if (!json) writer.WriteLine(ending);
        else console.Error.WriteLine($"pageatlas: {ending}");
        return ExitCodes.Ok;
    }

    /// <summary>"0.5", "500ms", "2s", "1m".</summary>
    private static TimeSpan ParseInterval(string text)
    {
        double scale = 1;
        string number = text;
        if (text.EndsWith("ms", StringComparison.Ordinal)) { scale = 0.001; number = text[..^2]; }
        else if (text.EndsWith('s')) number = text[..^1];
        else if (text.EndsWith('m')) { scale = 60; number = text[..^1]; }
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value) || value * scale < 0.01 || value * scale > 3600)
            throw new InvalidRequestException($"--interval '{text}' is not a time between 10ms and 1h");
        return TimeSpan.FromSeconds(value * scale);
    }
}
