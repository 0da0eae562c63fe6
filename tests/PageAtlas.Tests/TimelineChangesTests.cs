using PageAtlas.Analysis;
using PageAtlas.Model;
using PageAtlas.Paging;

namespace PageAtlas.Tests;

/// <summary>
/// A timeline's samples list every VMA only in the first (or always, when asked): later ones list the
/// VMAs that changed, so a sample of a process of many VMAs costs what changed; the whole map of the
/// last sample can be had again for a reader that joins late, with that sample's own changes in it.
/// </summary>
public class TimelineChangesTests
{
    private const ulong A = 0x10000, B = 0x20000, C = 0x30000;

    private static FakeTarget Process() => new FakeTarget(PagingMode.FourLevel)
        .Vma(A, A + 0x4000).Vma(B, B + 0x4000).Vma(C, C + 0x4000)
        .Present(A, 0x100, pages: 2).Present(C, 0x200);

    [Fact]
    public void TheFirstSampleListsEveryVmaAndTheNextOnlyWhatChanged()
    {
        var process = Process();
        var timeline = new Timeline(() => process);
        var first = timeline.Next();
        Assert.True(first.EveryVma);
        Assert.Equal([A, B, C], first.Changes.Select(c => c.Vma.Vma.Start));
        Assert.Equal([2UL, 0, 1], first.Changes.Select(c => c.Present));

        var quiet = timeline.Next();
        Assert.False(quiet.EveryVma);
        Assert.Empty(quiet.Changes);

        process.Present(B + 0x1000, 0x300);
        var written = timeline.Next();
        Assert.False(written.EveryVma);
        var change = Assert.Single(written.Changes);
        Assert.Equal((B, 1UL, 1UL), (change.Vma.Vma.Start, change.Present, change.BecamePresent));
    }

    [Fact]
    public void TheWholeMapOfTheLastSampleKeepsItsChangesAndLeavesOutTheRemoved()
    {
        var process = Process();
        var timeline = new Timeline(() => process);
        timeline.Next();
        process.Present(B, 0x300);
        process.VmaList.RemoveAt(2); // C unmapped (its page with it: the fake keeps pages outside VMAs unread)
        var last = timeline.Next();
        Assert.Equal([(B, VmaChangeKind.None), (C, VmaChangeKind.Removed)], last.Changes.Select(c => (c.Vma.Vma.Start, c.Change)));

        var whole = timeline.WithEveryVma(last);
        Assert.True(whole.EveryVma);
        Assert.Equal((last.Sequence, last.Present, last.BecamePresent), (whole.Sequence, whole.Present, whole.BecamePresent));
        Assert.Equal([(A, 2UL, 0UL), (B, 1UL, 1UL)], whole.Changes.Select(c => (c.Vma.Vma.Start, c.Present, c.BecamePresent)));
    }

    [Fact]
    public void AskedForEveryVmaEverySampleListsThemAll()
    {
        var timeline = new Timeline(Process, everyVma: true);
        timeline.Next();
        var second = timeline.Next();
        Assert.True(second.EveryVma);
        Assert.Equal(3, second.Changes.Count);
    }
}
