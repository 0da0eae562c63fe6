using PageAtlas.Analysis;
using PageAtlas.Cli.Rendering;
using PageAtlas.Model;

namespace PageAtlas.Tests.Cli;

/// <summary>watch --vmas at a terminal's width: a VMA whose path is wider than the whole line still fits, its file name kept.</summary>
public class WatchLineWidthTests
{
    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    public void AVmaWithAPathWiderThanTheTerminalFitsAndKeepsItsFileName(int width)
    {
        string path = "/opt/" + string.Join('/', Enumerable.Repeat("a-directory-with-a-long-name", 6)) + "/libspecimen.so.1";
        var vma = new ClassifiedVma(new Vma(0x7f0000000000, 0x7f0000001000, VmaPermissions.Read, 0, 8, 1, 123456, path, false),
            new SegmentClass(SegmentKind.LibraryReadOnlyData, "libspecimen.so.1"));
        var sample = new TimelineSample(1, DateTimeOffset.UnixEpoch, 4096, 1, 0x5000, 1, 0, [new VmaChange(vma, VmaChangeKind.Added, 1, 1, 0)]);
        var output = new StringWriter();
        TimelineText.Write(output, sample, everyVma: true, width);
        var lines = output.ToString().TrimEnd('\n').Split('\n');
        Assert.All(lines, l => Assert.True(l.Length <= width, $"{l.Length} > {width}: {l}"));
        Assert.Contains(lines, l => l.Contains("/libspecimen.so.1", StringComparison.Ordinal) && l.Contains('…'));
        Assert.Contains(lines, l => l.Contains("7f0000000000-7f0000001000", StringComparison.Ordinal));
        // Whole when no width limits it (a pipe).
        var whole = new StringWriter();
        TimelineText.Write(whole, sample, everyVma: true, width: null);
        Assert.Contains(path, whole.ToString());
    }
}
