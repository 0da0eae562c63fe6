using System.Text.RegularExpressions;

namespace PageAtlas.Tests.Cli;

/// <summary>pagetable's text at a terminal's width: every line within it, and the same words (addresses, counts) as the whole lines a pipe gets.</summary>
public partial class PageTableWidthTests(CliSnapshotFixture snapshots) : IClassFixture<CliSnapshotFixture>
{
    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    public void EveryLineFitsAndNoWordIsCut(int width)
    {
        var whole = InProcessCli.Run("pagetable", "--snapshot", snapshots.Wide);
        var fitted = InProcessCli.RunAt(width, "pagetable", "--snapshot", snapshots.Wide);
        Assert.Equal((0, 0), (whole.Code, fitted.Code));
        Assert.Contains(whole.Out.Split('\n'), l => l.Length > width || width >= 120);
        Assert.All(fitted.Out.Split('\n'), l => Assert.True(l.Length <= width, $"{l.Length} > {width}: {l}"));
        Assert.Equal(Words().Split(whole.Out).Where(w => w.Length > 0), Words().Split(fitted.Out).Where(w => w.Length > 0));
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Words();
}
