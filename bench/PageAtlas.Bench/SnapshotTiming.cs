using System.Diagnostics;
using System.Globalization;
using PageAtlas.Linux;
using PageAtlas.Snapshots;

namespace PageAtlas.Bench;

/// <summary>
/// Taking a snapshot of the 4 GiB target against the plain walk (the same pages read with their
/// frames, nothing kept): the cost of encoding and writing, and the file's bytes per populated page.
/// Also reading it back (composition on the snapshot).
/// </summary>
internal static class SnapshotTiming
{
    public static int Run(string root, int rounds)
    {
        Measure(root, "4 GiB fully touched", ["--touch-mib", "4096"], rounds);
        return 0;
    }

    private static void Measure(string root, string name, string[] args, int rounds)
    {
        using var target = new Scenario(name, args).Start();
        string file = Path.Combine(Path.GetTempPath(), $"pageatlas-bench-{Environment.ProcessId}.db");
        try
        {
            WalkBenchmark.WarmUp(target.Pid);
            double walk = double.MaxValue, snapshot = double.MaxValue, read = double.MaxValue;
            SnapshotSummary? summary = null;
            for (int round = 0; round <= rounds; round++)
            {
                var w = WalkBenchmark.Timed(target.Pid);
                var clock = Stopwatch.StartNew();
                using (var process = LiveProcess.Open(target.Pid)) summary = SnapshotWriter.Write(file, [process], process.Machine, null);
                double taken = clock.Elapsed.TotalSeconds;
                clock.Restart();
                using (var saved = Snapshot.OpenTarget(file, null)) PageAtlas.Analysis.Composition.Measure(saved);
                double readBack = clock.Elapsed.TotalSeconds;
                if (round == 0) continue;
                walk = Math.Min(walk, w.Seconds);
                snapshot = Math.Min(snapshot, taken);
                read = Math.Min(read, readBack);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"snapshot of {name}: {summary!.PopulatedPages} pages, {summary.Bytes} bytes = {summary.BytesPerPage:0.00} bytes per populated page; " +
                $"plain walk {walk:0.000} s, snapshot {snapshot:0.000} s ({snapshot / walk:0.00}x the walk); composition read back from it {read:0.000} s; peak {Process.GetCurrentProcess().PeakWorkingSet64 >> 20} MiB"));
        }
        finally
        {
            File.Delete(file);
            target.Kill();
        }
    }
}
