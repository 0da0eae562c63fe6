using System.Diagnostics;
using System.Globalization;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.Bench;

/// <summary>
/// The census of every frame of the machine: PageAtlas' FrameCensus (kpageflags and kpagecount read
/// whole, grouped by flag set, every row worked out) against bench/reference/census.c, which reads
/// both files whole and counts each flag bit. The bar: at most 1.1 times the reference's time.
/// </summary>
internal static class CensusComparison
{
    public static int Run(string root, int rounds)
    {
        FrameCensusReport Census()
        {
            using var frames = new LiveFrameSource();
            return FrameCensus.Take(frames, FrameFilter.All);
        }
        Census();   // warm-up: tiered compilation
        double best = double.MaxValue, reference = double.MaxValue;
        ulong frames = 0, referenceFrames = 0;
        for (int round = 0; round < rounds; round++)
        {
            var r = RunReference(root);
            referenceFrames = r.Frames;
            reference = Math.Min(reference, r.Seconds);
            var clock = Stopwatch.StartNew();
            var report = Census();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
            frames = report.ScannedFrames;
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"census of {frames} frames ({frames * 4096 >> 30} GiB): C reference {reference:0.000} s, PageAtlas {best:0.000} s, ratio {best / reference:0.00} (bar: <= 1.10); {frames / best / 1e6:0.0} M frames/s; peak {Process.GetCurrentProcess().PeakWorkingSet64 >> 20} MiB"));
        return frames == referenceFrames ? 0 : 1;
    }

    private static (ulong Frames, double Seconds) RunReference(string root)
    {
        var info = new ProcessStartInfo(Path.Combine(root, "bench", "out", "census"), ["1"]) { RedirectStandardOutput = true };
        using var process = Process.Start(info)!;
        var f = process.StandardOutput.ReadToEnd().Split(' ', StringSplitOptions.TrimEntries);
        process.WaitForExit();
        return (ulong.Parse(f[1], CultureInfo.InvariantCulture), double.Parse(f[^1], CultureInfo.InvariantCulture));
    }
}
