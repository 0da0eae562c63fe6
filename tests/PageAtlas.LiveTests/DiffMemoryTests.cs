using System.Globalization;
using PageAtlas.Labs;

namespace PageAtlas.LiveTests;

/// <summary>
/// diff walks two snapshots side by side: comparing 1 GiB of present pages holds the first reading's
/// frame index (16 bytes a page, 4 MiB here) and what changed, not both readings' pages (which took
/// some 90 bytes a page: 98 MiB at 1 GiB, 391 MiB at 4 GiB). The index gets its room from the resident
/// size the process reported (<see cref="PageAtlas.Analysis.PresentPagesGuess"/>): grown by doubling it
/// held the old array and one twice the size at once, 16 MiB above the small diff here, 48 MiB at 4 GiB.
/// </summary>
public sealed class DiffMemoryTests : IDisposable
{
    private const long AllowedGrowthKilobytes = 12 * 1024;
    private static readonly TimeSpan s_bound = TimeSpan.FromMinutes(3);
    private readonly string _directory = Directory.CreateTempSubdirectory("pageatlas-diff-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void DiffOfAGibibyteHoldsNeitherReadingsPages()
    {
        long small = PeakOfDiff(Specimen.Start(), "small");
        long large = PeakOfDiff(Specimen.Start("--touch-mib", "1024"), "large");
        Assert.True(large - small < AllowedGrowthKilobytes, $"diff of 1 GiB peaked at {large} KiB, of a small process at {small} KiB");
    }

    /// <summary>Two snapshots of <paramref name="specimen"/> (then ended), and the peak memory of diffing them.</summary>
    private long PeakOfDiff(SpecimenProcess specimen, string name)
    {
        string before = Path.Combine(_directory, name + "-before.db"), after = Path.Combine(_directory, name + "-after.db");
        using (specimen)
        {
            foreach (string file in new[] { before, after })
            {
                var (code, _, err) = CliErrorTests.Run("snapshot", specimen.Pid.ToString(CultureInfo.InvariantCulture), "-o", file);
                Assert.True(code == 0, err);
            }
        }
        var run = MeasuredCli.Run(s_bound, "diff", before, after);
        Assert.True(run.Code == 0 && !run.TimedOut, run.Err);
        return run.PeakKilobytes;
    }
}
