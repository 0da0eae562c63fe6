using PageAtlas.Analysis;
using PageAtlas.Linux;

namespace PageAtlas.LiveTests;

/// <summary>composition against /proc/&lt;pid&gt;/smaps, VMA by VMA.</summary>
public class CompositionTests
{
    [SkippableFact]
    public void EveryVmaMatchesSmapsWhereSmapsHeldStill()
    {
        using var specimen = Specimen.Start("--thp", "--threads", "2", "--small-maps", "40", "--shared");
        using var target = LiveProcess.Open(specimen.Pid);
        // smaps read before and after: a figure that changed meanwhile (a shared library page mapped
        // or unmapped by another process) is not comparable; every other one must be equal.
        var before = Smaps.Read(specimen.Pid);
        var report = Composition.Measure(target);
        var after = Smaps.Read(specimen.Pid);

        int compared = 0;
        foreach (var row in report.Vmas)
        {
            var c = row.Counts;
            var ours = new Dictionary<string, ulong>
            {
                ["Rss"] = c.Resident * 4, ["Pss"] = c.PssBytes / 1024, ["Shared_Clean"] = c.SharedClean * 4, ["Shared_Dirty"] = c.SharedDirty * 4,
                ["Private_Clean"] = c.PrivateClean * 4, ["Private_Dirty"] = c.PrivateDirty * 4, ["Swap"] = c.Swapped * 4,
                ["Anonymous"] = c.Anonymous * 4, ["AnonHugePages"] = c.AnonymousHuge * 4,
                ["Private_Hugetlb"] = c.Hugetlb * 4,
            };
            var kernelBefore = before[row.Vma.Vma.Start];
            var kernelAfter = after[row.Vma.Vma.Start];
            foreach (var (field, value) in ours)
            {
                if (!kernelBefore.TryGetValue(field, out ulong b) || kernelAfter[field] != b) continue;
                if (field == "Private_Hugetlb") b += kernelBefore["Shared_Hugetlb"];
                Assert.True(b == value, $"{row.Vma}: smaps {field} {b} kB, PageAtlas {value} kB");
                compared++;
            }
        }
        Assert.True(compared > report.Vmas.Count * 8, $"only {compared} figures were comparable");
        // The specimen's own private memory is exact whatever other processes do.
        var heap = report.Vmas.Single(v => v.Vma.Class.Kind == Model.SegmentKind.Heap).Counts;
        Assert.Equal(heap.Resident, heap.PrivateDirty);
        Assert.Equal(heap.Resident * 4096, heap.PssBytes);
        var thp = report.Vmas.Single(v => v.Vma.Vma.Contains(specimen["thp"])).Counts;
        Assert.Equal(1024UL, thp.AnonymousHuge);
    }

    [SkippableFact]
    public void ClassesAndTotalAddUpTheVmas()
    {
        using var specimen = Specimen.Start("--threads", "2");
        using var target = LiveProcess.Open(specimen.Pid);
        var report = Composition.Measure(target);
        Assert.Equal(report.Vmas.Aggregate(0UL, (s, v) => s + v.Counts.Resident), report.Total.Resident);
        Assert.Equal(report.Total.Resident, report.Classes.Aggregate(0UL, (s, c) => s + c.Counts.Resident));
        Assert.Equal(report.Total.Resident, report.Total.Unique + report.Total.Shared);
        Assert.Equal(2, report.Classes.Count(c => c.Class.Kind == Model.SegmentKind.ThreadStack));
        // Rss agrees with the kernel's rollup (the specimen is idle).
        ulong rollupRss = ulong.Parse(File.ReadLines($"/proc/{specimen.Pid}/smaps_rollup").First(l => l.StartsWith("Rss:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        Assert.Equal(rollupRss, report.Total.Resident * 4);
    }
}
