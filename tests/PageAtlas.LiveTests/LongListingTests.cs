using System.Globalization;

namespace PageAtlas.LiveTests;

/// <summary>
/// Long listings stream: `maps` and `composition --vmas` of a process with 20,000 VMAs hold one row
/// at a time, where a Spectre table held every cell of every row (327 MiB for 20,000 VMAs). The
/// peak memory is compared with the same command on a small process, so the runtime's own size
/// does not matter; every VMA must still be listed, in order.
/// </summary>
public sealed class LongListingTests
{
    private const int ManyVmas = 20_000;
    /// <summary>What 20,000 rows may add to the peak: the report and the VMA list themselves (a few MiB), never every cell.</summary>
    private const long AllowedGrowthKilobytes = 48 * 1024;
    private static readonly TimeSpan s_bound = TimeSpan.FromMinutes(2);

    [Theory]
    [InlineData("maps")]
    [InlineData("composition", "--vmas")]
    public void ListingManyVmasHoldsOneRowAtATime(string command, params string[] options)
    {
        using var small = Specimen.Start();
        using var many = Specimen.Start("--small-maps", ManyVmas.ToString(CultureInfo.InvariantCulture));
        var baseline = MeasuredCli.Run(s_bound, [command, small.Pid.ToString(CultureInfo.InvariantCulture), .. options]);
        var large = MeasuredCli.Run(s_bound, [command, many.Pid.ToString(CultureInfo.InvariantCulture), .. options]);
        Assert.True(baseline.Code == 0 && large.Code == 0, baseline.Err + large.Err);

        var starts = File.ReadLines($"/proc/{many.Pid}/maps").Select(l => l[..l.IndexOf('-', StringComparison.Ordinal)]).ToList();
        Assert.True(starts.Count > ManyVmas);
        // Every VMA is a line of its own, in address order (addresses right-aligned: a row may open with blanks).
        var listed = large.Out.Split('\n').Select(l => l.TrimStart().Split(' ', 2)[0]).Select(f => f.Split('-')[0])
            .Where(f => f.Length > 0 && f.All(Uri.IsHexDigit) && f.Length >= 4).ToList();
        Assert.Equal(starts, listed);
        Assert.True(large.PeakKilobytes - baseline.PeakKilobytes < AllowedGrowthKilobytes,
            $"{command} of {starts.Count} VMAs peaked at {large.PeakKilobytes} KiB, of {small.Pid}'s few at {baseline.PeakKilobytes} KiB");
    }
}
