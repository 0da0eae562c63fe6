using System.Diagnostics;
using System.Globalization;
using PageAtlas.Analysis;
using PageAtlas.Linux;

namespace PageAtlas.Bench;

/// <summary>
/// composition of the 4 GiB target (open, every page with its frame's flags and map count, per VMA,
/// per class) against the C walk reference's reads of the same pages. The bar: at least 85% of the
/// reference's pages per second.
/// </summary>
internal static class CompositionComparison
{
    public static int Run(string root, int rounds)
    {
        using var target = new Scenario("4 GiB fully touched", ["--touch-mib", "4096"]).Start();
        try
        {
            ulong Measure()
            {
                using var process = LiveProcess.Open(target.Pid);
                return Composition.Measure(process).Total.Resident;
            }
            var warm = Stopwatch.StartNew();
            while (warm.Elapsed < TimeSpan.FromSeconds(1)) Measure();
            double best = double.MaxValue, reference = double.MaxValue;
            ulong pages = 0, referencePages = 0;
            for (int round = 0; round < rounds; round++)
            {
                var r = Reference.Run(root, target.Pid, repeats: 1);
                reference = Math.Min(reference, r.Seconds);
                referencePages = r.Present;
                var clock = Stopwatch.StartNew();
                pages = Measure();
                best = Math.Min(best, clock.Elapsed.TotalSeconds);
            }
            double ours = pages / best, theirs = referencePages / reference;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"composition of 4 GiB ({pages} resident pages): C reference {theirs / 1e6:0.00} M pages/s ({reference:0.000} s), PageAtlas {ours / 1e6:0.00} M pages/s ({best:0.000} s), {ours / theirs:P0} of the reference (bar: >= 85%); peak {Process.GetCurrentProcess().PeakWorkingSet64 >> 20} MiB"));
            return 0;
        }
        finally
        {
            target.Kill();
        }
    }
}
