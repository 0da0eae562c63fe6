using System.Diagnostics;
using System.Globalization;

namespace PageAtlas.Bench;

/// <summary>Whole-process walk: PageAtlas against bench/reference/walk.c, scenario by scenario.</summary>
internal static class WalkComparison
{
    public static int Run(string root, int rounds, string only)
    {
        Scenario[] scenarios =
        [
            new("4 GiB fully touched", ["--touch-mib", "4096"]),
            new("20,000 small mappings", ["--small-maps", "20000"]),
            new("64 GiB reserved, 1 page/GiB", ["--reserve-gib", "64"]),
        ];
        Console.WriteLine($"{"scenario",-30} {"pages",10} {"C ref s",9} {"C ref p/s",12} {"PageAtlas s",12} {"PageAtlas p/s",14} {"ratio",6}  peak MiB");
        bool allOk = true;
        foreach (var scenario in scenarios.Where(s => s.Name.Contains(only, StringComparison.OrdinalIgnoreCase)))
        {
            using var target = scenario.Start();
            (ulong Present, ulong MapSum, double Seconds) reference, measured;
            try
            {
                WalkBenchmark.WarmUp(target.Pid);
                reference = (0, 0, double.MaxValue);
                measured = (0, 0, double.MaxValue);
                for (int round = 0; round < rounds; round++)
                {
                    var r = Reference.Run(root, target.Pid, repeats: 1);
                    if (r.Seconds < reference.Seconds) reference = r;
                    var m = WalkBenchmark.Timed(target.Pid);
                    if (m.Seconds < measured.Seconds) measured = m;
                }
            }
            finally
            {
                target.Kill();
            }
            // Present pages must agree. Map counts of shared library frames legitimately differ by the one
            // mapping the C reference itself adds while it runs, so they are shown, not compared.
            if (measured.Present != reference.Present)
            {
                Console.WriteLine($"{scenario.Name}: results differ: PageAtlas {measured.Present} present pages, reference {reference.Present}");
                allOk = false;
            }
            double refRate = reference.Present / reference.Seconds, ourRate = measured.Present / measured.Seconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{scenario.Name,-30} {measured.Present,10} {reference.Seconds,9:0.0000} {refRate,12:0} {measured.Seconds,12:0.0000} {ourRate,14:0} {ourRate / refRate,6:0.00}  {Process.GetCurrentProcess().PeakWorkingSet64 / (1 << 20)}"));
        }
        return allOk ? 0 : 1;
    }
}
