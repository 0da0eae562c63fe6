using System.Diagnostics;
using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.Bench;

/// <summary>PageAtlas' whole-process walk: open the process, read every populated page with its frame.</summary>
internal static class WalkBenchmark
{
    /// <summary>Set PAGEATLAS_BENCH_SPLIT=1 to print, per run, how long opening the process took.</summary>
    private static readonly bool s_split = Environment.GetEnvironmentVariable("PAGEATLAS_BENCH_SPLIT") == "1";

    /// <summary>
    /// Walks for a second (at least three times) so that tiered compilation has replaced the
    /// quick first code of the hot methods before anything is timed, as a benchmark harness's
    /// warm-up phase does.
    /// </summary>
    public static void WarmUp(int pid)
    {
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 3 || clock.Elapsed < TimeSpan.FromSeconds(1); i++) Walk(pid);
    }

    /// <summary>One walk, timed.</summary>
    public static (ulong Present, ulong MapSum, double Seconds) Timed(int pid)
    {
        var clock = Stopwatch.StartNew();
        var (present, mapSum) = Walk(pid);
        return (present, mapSum, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Opens the process and reads every populated page with its frame.</summary>
    public static (ulong Present, ulong MapSum) Walk(int pid)
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
