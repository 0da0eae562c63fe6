using FsCheck.Xunit;
using PageAtlas.Analysis;
using PageAtlas.Model;
using PageAtlas.Paging;

namespace PageAtlas.Tests;

/// <summary>Sharing on fake processes: frames in common, own pages, and a process that vanishes mid-read.</summary>
public class SharingTests
{
    private const ulong Base = 0x7f0000000000;

    private static FakeTarget Process(int pid, params ulong[] frames)
    {
        var target = new FakeTarget(PagingMode.FourLevel, pid: pid).Vma(Base, Base + 0x10000);
        for (int i = 0; i < frames.Length; i++) if (frames[i] != 0) target.Present(Base + (ulong)i * 4096, frames[i]);
        return target;
    }

    [Fact]
    public void CountsFramesInCommonOwnPagesAndSameAddresses()
    {
        var report = Sharing.Compare([Process(10, 0x100, 0x101, 0x102), Process(11, 0x100, 0x201, 0, 0x102)]);
        var total = report.Total;
        Assert.Equal([3UL, 3UL], total.Resident);
        Assert.Equal(2UL, total.FramesInAll);
        Assert.Equal([1UL, 1UL], total.Private);
        Assert.Equal((2UL, 1UL, 1UL), (total.SameAddressInAll, total.SameAddressSameFrame, total.SameAddressDifferentFrames));
    }

    [Fact]
    public void AProcessThatExitsMidReadIsLeftOutWithANote()
    {
        var gone = Process(12, 0x100);
        gone.ExitsWhenRead = true;
        var report = Sharing.Compare([Process(10, 0x100), Process(11, 0x100), gone]);
        Assert.Equal([10, 11], report.Participants.Select(p => p.Pid));
        Assert.Contains(report.Notes, n => n.Contains("left out", StringComparison.Ordinal));
        Assert.Throws<TargetUnavailableException>(() => Sharing.Compare([Process(10, 0x100), gone]));
    }

    /// <summary>
    /// Sharing reads the processes side by side and keeps only frames; every figure of every group
    /// must equal what sets of (address, frame) pairs give when every page is held: processes of
    /// several VMAs in a few classes, frames drawn from a small pool (shared, mapped twice, moved to
    /// another address), some addresses present in one process only.
    /// </summary>
    [Property(MaxTest = 300)]
    public void EveryFigureEqualsTheOneFromEveryPageHeld(int seed)
    {
        var random = new Random(seed);
        int count = random.Next(2, 4);
        var kinds = new[] { SegmentKind.AnonymousMapping, SegmentKind.Heap, SegmentKind.ThreadStack };
        var vmas = Enumerable.Range(0, random.Next(1, 6)).Select(_ => kinds[random.Next(kinds.Length)]).ToArray();
        var targets = Enumerable.Range(0, count).Select(p =>
        {
            var target = new FakeTarget(PagingMode.FourLevel, pid: 10 + p);
            for (int v = 0; v < vmas.Length; v++)
            {
                // Now and then a process lacks a VMA the others have.
                if (p > 0 && random.Next(6) == 0) continue;
                ulong start = Base + (ulong)v * 0x10000;
                // And now and then has another class at the same place.
                var kind = p > 0 && random.Next(5) == 0 ? kinds[random.Next(kinds.Length)] : vmas[v];
                target.VmaList.Add(new ClassifiedVma(new Vma(start, start + 0x10000, VmaPermissions.Read, 0, 0, 0, 0, "", false), new SegmentClass(kind)));
                for (int page = 0; page < 16; page++)
                    if (random.Next(3) > 0) target.Present(start + (ulong)page * 4096, (ulong)(0x100 + random.Next(24)));
            }
            return target;
        }).ToArray();

        var report = Sharing.Compare(targets);

        var pagesOf = targets.Select(t => t.ReadPages(0, ulong.MaxValue, new PageReadOptions(PopulatedOnly: true, WithFrames: false))
            .SelectMany(b => b.Pages.ToArray().Select(page => (b.Vma, page.Address, Frame: page.Entry.Pfn))).ToArray()).ToArray();
        AssertCounts(report.Total, pagesOf);
        foreach (var group in report.Classes) AssertCounts(group.Counts, pagesOf.Select(p => p.Where(x => Sharing.ClassKey(x.Vma) == group.Key).ToArray()).ToArray());
        foreach (var group in report.Vmas)
        {
            var mine = group.Vmas.Select(v => v.Count == 0 ? null : v[0]).ToArray();
            AssertCounts(group.Counts, pagesOf.Select((p, i) => p.Where(x => ReferenceEquals(x.Vma, mine[i])).ToArray()).ToArray());
        }
    }

    /// <summary>
    /// The page listings behind the figures (the explorer's sharing view): for every group, each
    /// listing has as many rows as its figure counts, and each row is what the figure says it is.
    /// </summary>
    [Property(MaxTest = 200)]
    public void EveryListingHasAsManyRowsAsItsFigure(int seed)
    {
        var random = new Random(seed);
        var targets = Enumerable.Range(0, random.Next(2, 4)).Select(p =>
        {
            var target = new FakeTarget(PagingMode.FourLevel, pid: 10 + p);
            for (int v = 0; v < 3; v++)
            {
                ulong start = Base + (ulong)v * 0x10000;
                target.VmaList.Add(new ClassifiedVma(new Vma(start, start + 0x10000, VmaPermissions.Read, 0, 0, 0, 0, "", false),
                    new SegmentClass(v == 1 ? SegmentKind.Heap : SegmentKind.AnonymousMapping)));
                for (int page = 0; page < 16; page++)
                    if (random.Next(3) > 0) target.Present(start + (ulong)page * 4096, (ulong)(0x100 + random.Next(24)));
            }
            return target;
        }).ToArray();
        var report = Sharing.Compare(targets);
        void Check(ShareCounts counts, Func<int, ClassifiedVma, int, bool> group)
        {
            int Rows(SharePageKind kind, int owner = 0) => SharePageList.List(targets, group, kind, owner, 0, SharePageList.MaxRows).Total;
            Assert.Equal(counts.FramesInAll, (ulong)Rows(SharePageKind.Common));
            Assert.Equal(counts.SameAddressSameFrame, (ulong)Rows(SharePageKind.SameFrame));
            Assert.Equal(counts.SameAddressDifferentFrames, (ulong)Rows(SharePageKind.OtherFrame));
            for (int i = 0; i < targets.Length; i++) Assert.Equal(counts.Private[i], (ulong)Rows(SharePageKind.Private, i));
            var same = SharePageList.List(targets, group, SharePageKind.SameFrame, 0, 0, SharePageList.MaxRows).Rows;
            Assert.All(same, row => Assert.Single(row.Pages.Select(p => (p!.Value.Address, p.Value.Pfn)).Distinct()));
            var common = SharePageList.List(targets, group, SharePageKind.Common, 0, 0, SharePageList.MaxRows).Rows;
            Assert.All(common, row => Assert.Single(row.Pages.Select(p => p!.Value.Pfn).Distinct()));
        }
        Check(report.Total, (_, _, _) => true);
        foreach (var group in report.Classes) Check(group.Counts, (_, vma, _) => Sharing.ClassKey(vma) == group.Key);
        foreach (var group in report.Vmas) Check(group.Counts, (_, vma, rank) => Sharing.ClassKey(vma) == Sharing.ClassKey(group.Vmas.First(v => v.Count > 0)[0]) && rank == group.Rank);
    }

    [Fact]
    public void AListingIsSlicedAndKnowsItsTotal()
    {
        var a = Process(10, 0x100, 0x101, 0x102, 0x103);
        var b = Process(11, 0x100, 0x101, 0x102, 0x203);
        var slice = SharePageList.List([a, b], (_, _, _) => true, SharePageKind.SameFrame, 0, 1, 2);
        Assert.Equal((3, 1), (slice.Total, slice.Offset));
        Assert.Equal([0x101UL, 0x102UL], slice.Rows.Select(r => r.Pages[0]!.Value.Pfn));
        var copied = Assert.Single(SharePageList.List([a, b], (_, _, _) => true, SharePageKind.OtherFrame, 0, 0, 10).Rows);
        Assert.Equal([0x103UL, 0x203UL], copied.Pages.Select(p => p!.Value.Pfn));
        Assert.Throws<InvalidRequestException>(() => SharePageList.List([a, b], (_, _, _) => true, SharePageKind.Common, 0, 0, 0));
    }

    private static void AssertCounts(ShareCounts counts, (ClassifiedVma Vma, ulong Address, ulong Frame)[][] pages)
    {
        var frames = pages.Select(p => p.Select(x => x.Frame).ToHashSet()).ToArray();
        Assert.Equal(pages.Select(p => (ulong)p.Length), counts.Resident);
        Assert.Equal((ulong)frames.Aggregate((a, b) => a.Intersect(b).ToHashSet()).Count, counts.FramesInAll);
        Assert.Equal(pages.Select((p, i) => (ulong)p.Count(x => !frames.Where((_, j) => j != i).Any(f => f.Contains(x.Frame)))), counts.Private);
        var byAddress = pages.Select(p => p.ToDictionary(x => x.Address, x => x.Frame)).ToArray();
        var everywhere = byAddress[0].Keys.Where(a => byAddress.All(d => d.ContainsKey(a))).ToArray();
        ulong sameFrame = (ulong)everywhere.Count(a => byAddress.All(d => d[a] == byAddress[0][a]));
        Assert.Equal(((ulong)everywhere.Length, sameFrame, (ulong)everywhere.Length - sameFrame),
            (counts.SameAddressInAll, counts.SameAddressSameFrame, counts.SameAddressDifferentFrames));
    }
}
