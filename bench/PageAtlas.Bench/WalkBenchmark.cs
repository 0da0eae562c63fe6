using System.Diagnostics;
using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.Bench;

/// <summary>PageAtlas' whole-process walk: open the process, read every populated page with its frame.</summary>
internal static class WalkBenchmark
{
    /// <summary>Set PAGEATLAS_BENCH_SPLIT=1 to print, per run, how long opening the process took.</summary>
    private static readonly bool s_split = Environment.GetEnvironmentVariable("PAGEATLAS_BENCH_SPLIT") == "1";

    public static (ulong Present, ulong MapSum, double Seconds) Run(int pid, int repeats)
    {
        Walk(pid); // warm-up: JIT and tiering
        double best = double.MaxValue;
        (ulong, ulong) result = default;
        for (int r = 0; r < repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            result = Walk(pid);
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        return (result.Item1, result.Item2, best);
    }

    private static (ulong Present, ulong MapSum) Walk(int pid)
    {
        var clock = Stopwatch.StartNew();
        using var target = LiveProcess.Open(pid);
        double open = clock.Elapsed.TotalMilliseconds;
        ulong present = 0, mapSum = 0;
        foreach (var batch in target.ReadPages(0, ulong.MaxValue, PageReadOptions.PopulatedWithFrames))
        {
            foreach (ref readonly var page in batch.Pages.Span)
            {
                if (!page.Entry.IsPresent) continue;
                present++;
                mapSum += page.MapCount;
            }
        }
        if (s_split) Console.Error.WriteLine($"  open {open:0.0} ms, walk {clock.Elapsed.TotalMilliseconds - open:0.0} ms");
        return (present, mapSum);
    }
}
