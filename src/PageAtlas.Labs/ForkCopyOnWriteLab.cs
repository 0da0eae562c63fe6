using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.Labs;

/// <summary>
/// Seed 004, experiment 2: after fork, parent and child share every private page, copy-on-write;
/// a page gets a frame of its own in a process only when that process writes it.
/// </summary>
public sealed class ForkCopyOnWriteLab : ILab
{
    private static readonly SegmentKind[] s_ownMemory = [SegmentKind.Data, SegmentKind.Bss, SegmentKind.Heap];

    /// <inheritdoc/>
    public string Name => "fork-cow";

    /// <inheritdoc/>
    public string Title => "after fork every private page shares a frame with the parent, until one side writes it";

    /// <inheritdoc/>
    public LabReport Run(LabCapture? capture = null)
    {
        using var pair = SpecimenProcess.Start("forkpair");
        int parent = pair.Pid, child = (int)pair.Value("child");
        var verdicts = new List<LabVerdict>();
        var observations = new List<string>();

        var before = Compare(parent, child);
        var own = Own(before);
        verdicts.Add(new LabVerdict("after fork, the child's data, bss and heap pages all share the parent's frames",
            own.Child > 0 && own.Same == own.Child && own.Different == 0,
            $"data, bss and heap: {own.Same} of the child's {own.Child} present pages are at the same address on the same frame as in the parent, {own.Different} differ"));
        var copiedElsewhere = before.Classes.Where(g => g.Counts.SameAddressDifferentFrames > 0).Select(g => $"{g.Key} {g.Counts.SameAddressDifferentFrames}").ToArray();
        observations.Add(copiedElsewhere.Length == 0 ? "no other page was copied" :
            $"pages already copied elsewhere, written by the two processes as they ran (stacks, libc's own bookkeeping in the child): {string.Join(", ", copiedElsewhere)}");

        ulong dataPage = (pair["data"] & ~4095UL) + 2 * 4096, heapPage = ((pair["heap"] + 4095) & ~4095UL) + 2 * 4096;
        pair.Command($"child-write {LabPages.Hex(dataPage + 8)}");
        pair.Command($"parent-write {LabPages.Hex(heapPage + 8)}");

        var after = Compare(parent, child);
        // The pair is idle between commands: the snapshot holds the pages just compared.
        capture?.Invoke([parent, child]);
        var pairShared = LabLink.Share("the pair's sharing: COW shared versus copied, per class and per VMA (after the two writes)", parent, child);
        var differing = DifferingPages(parent, child);
        ulong[] expected = [dataPage, heapPage];
        verdicts.Add(new LabVerdict("after the child writes one data page and the parent one heap page, exactly those pages differ",
            differing.Order().SequenceEqual(expected.Order()),
            $"pages of data, bss and heap on different frames now: {string.Join(", ", differing.Select(LabPages.Hex))}; written: data {LabPages.Hex(dataPage)} by the child, heap {LabPages.Hex(heapPage)} by the parent")
        {
            Links = [pairShared, LabLink.Page("the data page the child wrote, in the child", child, dataPage), LabLink.Page("the heap page the parent wrote, in the parent", parent, heapPage)],
        });

        using var p = LiveProcess.Open(parent);
        using var c = LiveProcess.Open(child);
        var childData = LabPages.At(c, dataPage);
        var parentData = LabPages.At(p, dataPage);
        var sharedHeap = LabPages.At(c, heapPage - 4096);
        verdicts.Add(new LabVerdict("a written page is each process's own (mapped once), an unwritten one still mapped by both",
            childData.MapCount == 1 && parentData.MapCount == 1 && sharedHeap.MapCount == 2 && childData.Entry.Pfn != parentData.Entry.Pfn,
            $"data page {LabPages.Hex(dataPage)}: child PFN {LabPages.Hex(childData.Entry.Pfn)} (map count {childData.MapCount}), parent PFN {LabPages.Hex(parentData.Entry.Pfn)} (map count {parentData.MapCount}); " +
            $"unwritten heap page {LabPages.Hex(heapPage - 4096)}: PFN {LabPages.Hex(sharedHeap.Entry.Pfn)}, map count {sharedHeap.MapCount}")
        {
            Links =
            [
                LabLink.FrameOf("the child's copy of the written data page", childData.Entry.Pfn), LabLink.FrameOf("the parent's data page", parentData.Entry.Pfn),
                LabLink.FrameOf("the unwritten heap page, mapped by both", sharedHeap.Entry.Pfn),
            ],
        });
        observations.Add($"whole process: {after.Total.SameAddressSameFrame} pages still shared copy-on-write, {after.Total.SameAddressDifferentFrames} copied");
        // The first claim was measured before the writes: the snapshot shows the same pair two pages later.
        verdicts[0] = verdicts[0] with { Links = [pairShared] };
        return new LabReport(Name, Title, "004", verdicts, observations) { Subjects = [parent, child] };
    }

    private static ShareReport Compare(int parent, int child)
    {
        using var p = LiveProcess.Open(parent);
        using var c = LiveProcess.Open(child);
        return Sharing.Compare([p, c]);
    }

    private static (ulong Child, ulong Same, ulong Different) Own(ShareReport report)
    {
        var groups = report.Classes.Where(g => s_ownMemory.Any(k => g.Key == new SegmentClass(k).ToString())).ToArray();
        return (groups.Aggregate(0UL, (s, g) => s + g.Counts.Resident[1]),
            groups.Aggregate(0UL, (s, g) => s + g.Counts.SameAddressSameFrame),
            groups.Aggregate(0UL, (s, g) => s + g.Counts.SameAddressDifferentFrames));
    }

    /// <summary>Addresses in data, bss and heap where the two processes' frames differ.</summary>
    private static List<ulong> DifferingPages(int parent, int child)
    {
        using var p = LiveProcess.Open(parent);
        using var c = LiveProcess.Open(child);
        var differing = new List<ulong>();
        foreach (var vma in p.Vmas.Where(v => s_ownMemory.Contains(v.Class.Kind)))
        {
            var mine = LabPages.Range(p, vma.Vma.Start, vma.Vma.End);
            var theirs = LabPages.Range(c, vma.Vma.Start, vma.Vma.End);
            for (int i = 0; i < mine.Length && i < theirs.Length; i++)
            {
                if (mine[i].Entry.IsPresent && theirs[i].Entry.IsPresent && mine[i].Entry.Pfn != theirs[i].Entry.Pfn)
                    differing.Add(vma.Vma.Start + (ulong)i * 4096);
            }
        }
        return differing;
    }
}
