using System.Globalization;

namespace PageAtlas.LiveTests;

/// <summary>
/// share keeps one frame number (8 bytes) per present page of each process and nothing per page
/// besides: comparing two unrelated 1 GiB processes peaks at most 16 MiB above comparing two small
/// ones (their frames are 4 MiB, in arrays that grow by doubling). Stepping each process a page at a
/// time made a delegate per page, garbage of 64 bytes a page: 25 MiB more at 1 GiB, and a share of a
/// 4 GiB and a 20,000-VMA process from a snapshot peaked at 110 MiB.
/// </summary>
public sealed class ShareMemoryTests
{
    private const long AllowedGrowthKilobytes = 16 * 1024;
    private static readonly TimeSpan s_bound = TimeSpan.FromMinutes(3);

    [Fact]
    public void SharingTwoGibibytesHoldsTheirFramesAndLittleElse()
    {
        long small, large;
        using (var a = Specimen.Start())
        using (var b = Specimen.Start())
            small = PeakOfShare(a, b);
        using (var a = Specimen.Start("--touch-mib", "1024"))
        using (var b = Specimen.Start("--touch-mib", "1024"))
            large = PeakOfShare(a, b);
        Assert.True(large - small < AllowedGrowthKilobytes, $"share of two 1 GiB processes peaked at {large} KiB, of two small ones at {small} KiB");
    }

    private static long PeakOfShare(Labs.SpecimenProcess a, Labs.SpecimenProcess b)
    {
        var run = MeasuredCli.Run(s_bound, "share", a.Pid.ToString(CultureInfo.InvariantCulture), b.Pid.ToString(CultureInfo.InvariantCulture));
        Assert.True(run.Code == 0 && !run.TimedOut, run.Err);
        return run.PeakKilobytes;
    }
}
