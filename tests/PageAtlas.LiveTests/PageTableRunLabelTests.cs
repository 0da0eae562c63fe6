using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Paging;
using PageAtlas.Rendering;

namespace PageAtlas.LiveTests;

/// <summary>
/// What a folded run of entries is called: a physical range only when pagemap says its frames
/// follow one another, a set of frames otherwise, and the zero page counted as what it is.
/// </summary>
public class PageTableRunLabelTests
{
    private const ulong Mib = 1UL << 20;

    [SkippableFact]
    public void ReadOnlyTouchedPagesAreCountedAsZeroPageEntriesNotAFrameRange()
    {
        using var specimen = Specimen.Start("--zero-mib", "2");
        ulong area = specimen["zero"];
        using var target = LiveProcess.Open(specimen.Pid);
        // Independently: kpageflags says which of the area's frames are the zero page.
        var pages = AddressTranslation.Translate(target, new AddressRange(area, area + 2 * Mib)).ToList();
        var zero = pages.Where(p => (p.Page.Flags & FrameFlags.ZeroPage) != 0).ToList();
        Skip.If(zero.Count == 0, "this kernel gave the read-only area pages of its own, not the zero page (see ZeroPageTests)");

        var (code, stdout, err) = CliErrorTests.Run("pagetable", specimen.Pid.ToString(), "--range", $"0x{area:x}+2M");
        Assert.True(code == 0, err);
        ulong pfn = zero[0].Page.Entry.Pfn;
        var lines = stdout.Split('\n').Where(l => l.Contains("zero page", StringComparison.Ordinal)).ToArray();
        // The 2 MiB area may straddle two PTE tables: the zero-page entries of all its runs add up to the pages kpageflags marks.
        int counted = lines.Sum(l => int.Parse(System.Text.RegularExpressions.Regex.Match(l, @": (\d+) map the zero page").Groups[1].Value));
        Assert.Equal(zero.Count, counted);
        Assert.All(lines, l => Assert.Contains($"(PFN 0x{pfn:x}, shared by every process)", l, StringComparison.Ordinal));
        Assert.DoesNotContain($"PFNs within 0x{pfn:x}–0x{pfn:x}", stdout, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void AFoldedRunIsARangeOnlyWhenPagemapsFramesAreContiguous()
    {
        using var specimen = Specimen.Start("--thp", "--touch-mib", "4");
        using var target = LiveProcess.Open(specimen.Pid);
        ulong touched = specimen["touched"], thp = specimen["thp"];
        var tree = PageTableReconstruction.Build(target, [new AddressRange(thp, thp + 4 * Mib), new AddressRange(touched, touched + 4 * Mib)]);
        int sets = 0, ranges = 0;
        foreach (var table in tree.Tables.Where(t => t.Level is PageTableLevel.Pte or PageTableLevel.Pmd))
        {
            ulong leafSpan = tree.Machine.Paging.EntrySpan(table.Level), perLeaf = leafSpan / 4096;
            foreach (var run in table.Runs.Where(r => r.Kind == TableEntryKind.Leaf && r.Count > 1))
            {
                // The frames as pagemap gives them for each entry's first page, read apart from the tree.
                ulong start = table.SpanStart + (ulong)run.FirstIndex * leafSpan;
                var frames = Enumerable.Range(0, run.Count)
                    .Select(k => AddressTranslation.Translate(target, new AddressRange(start + (ulong)k * leafSpan, start + (ulong)k * leafSpan + 1)).Single().Page.Entry.Pfn)
                    .ToArray();
                bool contiguous = frames.Zip(frames.Skip(1)).All(p => p.Second == p.First + perLeaf);
                string label = PageTableText.Describe(tree, table, run), physical = PageTableText.PhysicalRange(tree, table, run)!;
                if (contiguous)
                {
                    ranges++;
                    Assert.Contains($"PFN 0x{frames[0]:x}–0x{frames[^1]:x} contiguous", label, StringComparison.Ordinal);
                    Assert.Equal($"PA 0x{frames[0] * 4096:x}–0x{(frames[^1] + perLeaf) * 4096 - 1:x}", physical);
                }
                else
                {
                    sets++;
                    Assert.Contains($"PFNs within 0x{frames.Min():x}–0x{frames.Max():x}, not contiguous", label, StringComparison.Ordinal);
                    Assert.StartsWith("PAs within ", physical, StringComparison.Ordinal);
                    Assert.EndsWith(", not contiguous", physical, StringComparison.Ordinal);
                }
            }
        }
        // The THP's two 2 MiB leaves are one contiguous run when the kernel gave it 4 MiB of contiguous frames;
        // 1,024 ordinary pages from a busy allocator practically never are.
        Assert.True(ranges + sets >= 2, $"{ranges} ranges, {sets} sets");
        Skip.If(sets == 0, "every folded run happened to map contiguous frames: nothing to tell apart");
    }
}
