using System.Diagnostics;
using System.Globalization;
using PageAtlas.Analysis;
using PageAtlas.Linux;

namespace PageAtlas.Bench;

/// <summary>
/// share of two 4 GiB processes: a parent and its forked child (1 M pages each, all still shared
/// copy-on-write) and two independent runs (nothing shared but code). Timed whole: open both, read
/// every present page with its frame, compare per class, per VMA and in total.
/// </summary>
internal static class ShareTiming
{
    public static int Run(string root, int rounds)
    {
        using var forked = new Scenario("forked pair", ["--touch-mib", "4096"], "forkpair").Start();
        using var first = new Scenario("4 GiB", ["--touch-mib", "4096"]).Start();
        using var second = new Scenario("4 GiB", ["--touch-mib", "4096"]).Start();
        Time("forked pair, 4 GiB each (all shared)", forked.Pid, (int)forked.Value("child"), rounds);
        Time("two runs, 4 GiB each (code shared)", first.Pid, second.Pid, rounds);
        Console.WriteLine($"peak {Process.GetCurrentProcess().PeakWorkingSet64 >> 20} MiB");
        return 0;
    }

    private static void Time(string name, int a, int b, int rounds)
    {
        ShareReport? report = null;
        double best = double.MaxValue;
        for (int round = 0; round <= rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            using (var pa = LiveProcess.Open(a))
            using (var pb = LiveProcess.Open(b))
                report = Sharing.Compare([pa, pb]);
            if (round > 0) best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }
        ulong pages = report!.Total.Resident.Aggregate(0UL, (s, r) => s + r);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"share, {name,-38}: {best:0.000} s for {pages} pages ({pages / best / 1e6:0.00} M pages/s); {report.Total.FramesInAll} frames in common"));
    }
}
