using PageAtlas.Analysis;
using PageAtlas.Labs;
using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.LiveTests;

/// <summary>share on a forked pair, page by page against pagemap read here directly.</summary>
public class ShareTests
{
    private static Dictionary<ulong, ulong> PresentFrames(int pid, ulong start, ulong end) => PagemapFile.PresentFrames(pid, start, end);

    private static (ulong Same, ulong Different) Independent(int parent, int child, LiveProcess target, SegmentKind kind)
    {
        ulong same = 0, different = 0;
        foreach (var vma in target.Vmas.Where(v => v.Class.Kind == kind))
        {
            var a = PresentFrames(parent, vma.Vma.Start, vma.Vma.End);
            var b = PresentFrames(child, vma.Vma.Start, vma.Vma.End);
            foreach (var (address, frame) in a)
            {
                if (!b.TryGetValue(address, out ulong other)) continue;
                if (other == frame) same++; else different++;
            }
        }
        return (same, different);
    }

    [SkippableFact]
    public void ForkedPairIsComparedPageByPage()
    {
        using var pair = SpecimenProcess.Start("forkpair");
        int parent = pair.Pid, child = (int)pair.Value("child");
        ShareReport Compare()
        {
            using var p = LiveProcess.Open(parent);
            using var c = LiveProcess.Open(child);
            return Sharing.Compare([p, c]);
        }
        var kinds = new[] { SegmentKind.Data, SegmentKind.Bss, SegmentKind.Heap, SegmentKind.Code };
        // The pair may still be faulting pages in (the child has just started): the report is checked
        // against pagemap read directly just before and just after it, once both readings agree.
        ShareReport CompareWhileStill()
        {
            using var p = LiveProcess.Open(parent);
            for (int attempt = 0; attempt < 10; attempt++)
            {
                var readBefore = kinds.Select(k => Independent(parent, child, p, k)).ToArray();
                var report = Compare();
                var readAfter = kinds.Select(k => Independent(parent, child, p, k)).ToArray();
                if (!readBefore.SequenceEqual(readAfter)) continue;
                Assert.Equal(parent, report.ForkedFrom);
                for (int i = 0; i < kinds.Length; i++)
                {
                    var group = report.Classes.Single(g => g.Key == Sharing.ClassKey(p.Vmas.First(v => v.Class.Kind == kinds[i])));
                    Assert.Equal(readAfter[i], (group.Counts.SameAddressSameFrame, group.Counts.SameAddressDifferentFrames));
                }
                return report;
            }
            Assert.Fail("the forked pair's pages never held still for one reading");
            return null!;
        }

        var before = CompareWhileStill();
        var data = before.Classes.Single(g => g.Key == "data").Counts;
        Assert.Equal(0UL, data.SameAddressDifferentFrames);
        Assert.True(data.SameAddressSameFrame >= 4);

        pair.Command($"child-write 0x{pair["data"] + 3 * 4096:x}");
        var after = CompareWhileStill();
        var dataAfter = after.Classes.Single(g => g.Key == "data").Counts;
        Assert.Equal(1UL, dataAfter.SameAddressDifferentFrames);
        Assert.Equal(data.SameAddressSameFrame - 1, dataAfter.SameAddressSameFrame);
        Assert.Equal(1UL, dataAfter.Private[0]);
        Assert.Equal(1UL, dataAfter.Private[1]);
    }

    [SkippableFact]
    public void ShareCommandNamesTheParentAndRefusesOneProcess()
    {
        using var pair = SpecimenProcess.Start("forkpair");
        var (code, stdout, err) = CliErrorTests.Run("share", pair.Pid.ToString(), pair.Value("child").ToString(), "--vmas");
        Assert.True(code == 0, err);
        Assert.Contains("COW shared", stdout);
        Assert.Contains("is the parent of the others", stdout);
        Assert.Contains("heap #1", stdout);
        var (one, _, oneErr) = CliErrorTests.Run("share", pair.Pid.ToString());
        Assert.Equal(2, one);
        Assert.StartsWith("pageatlas: ", oneErr);
        var (gone, _, goneErr) = CliErrorTests.Run("share", pair.Pid.ToString(), "999999999");
        Assert.Equal(3, gone);
        Assert.Contains("no process", goneErr);
    }
}
