using PageAtlas.Analysis;
using PageAtlas.Rendering;

namespace PageAtlas.Tests;

/// <summary>One change vocabulary in the analyses, each command's own words in its output (text and JSON).</summary>
public sealed class VmaChangeWordsTests
{
    [Fact]
    public void DiffAndWatchEachKeepTheirWords()
    {
        Assert.Equal(["added", "removed", "grown", "shrunk", "changed"],
            Enum.GetValues<VmaChangeKind>().Where(k => k != VmaChangeKind.None).Select(VmaChangeWords.Diff));
        Assert.Equal(["", "new", "removed", "grown", "shrunk"],
            Enum.GetValues<VmaChangeKind>().Where(k => k != VmaChangeKind.Changed).Select(VmaChangeWords.Watch));
    }

    [Fact]
    public void AKindACommandNeverReportsIsAnInternalError()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => VmaChangeWords.Diff(VmaChangeKind.None));
        Assert.Throws<ArgumentOutOfRangeException>(() => VmaChangeWords.Watch(VmaChangeKind.Changed));
    }
}
