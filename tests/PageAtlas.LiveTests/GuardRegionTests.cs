using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Paging;

namespace PageAtlas.LiveTests;

/// <summary>
/// MADV_GUARD_INSTALL puts a marker in the PTE that pagemap reports with its swap bit and the guard
/// bit 58 (swap type 31, the PTE-marker type): it is no memory and no swap, and smaps counts no Swap.
/// </summary>
public class GuardRegionTests
{
    [SkippableFact]
    public void GuardPagesAreAStateOfTheirOwnNeverSwap()
    {
        using var specimen = Specimen.Start("--guard");
        if (specimen.Facts.TryGetValue("guard-unsupported", out var refused))
            throw new SkipException($"this kernel refuses MADV_GUARD_INSTALL (errno {refused.Value}): guard regions came in Linux 6.13");
        ulong area = specimen["guard"];
        using var target = LiveProcess.Open(specimen.Pid);

        var pages = AddressTranslation.Translate(target, new AddressRange(area, area + 16 * 4096)).ToList();
        for (int i = 0; i < 16; i++)
            Assert.Equal(i is >= 4 and < 8 ? PageState.Guard : PageState.Present, pages[i].State);
        Assert.All(pages.Skip(4).Take(4), p => Assert.True(p.Page.Entry.IsPopulated && !p.Page.Entry.IsSwapped));

        var vma = target.Vmas.Single(v => v.Vma.Contains(area));
        var kernel = Smaps.Read(specimen.Pid)[vma.Vma.Start];
        var residency = Residency.Measure(target).Vmas.Single(r => r.Vma == vma).Counts;
        Assert.Equal(4UL, residency.Guard);
        Assert.Equal(kernel["Swap"] / 4, residency.Swapped);
        Assert.Equal(kernel["Rss"] / 4, residency.Present);
        var composition = Composition.Measure(target);
        Assert.Equal(kernel["Swap"] / 4, composition.Vmas.Single(r => r.Vma == vma).Counts.Swapped);
        Assert.Equal(Smaps.Rollup(specimen.Pid)["Swap"], composition.Total.Swapped * 4);

        var walk = PageWalk.Walk(target, area + 5 * 4096);
        Assert.Equal(WalkEntryState.MarkerEntry, walk.Steps[^1].State);
        Assert.Equal(PageTableLevel.Pte, walk.Steps[^1].Level);

        var (code, stdout, _) = CliErrorTests.Run("translate", specimen.Pid.ToString(), $"0x{area + 4 * 4096:x}", "--json");
        Assert.Equal(0, code);
        Assert.Contains("\"state\": \"guard\"", stdout.Replace("\":\"", "\": \""));
    }
}
