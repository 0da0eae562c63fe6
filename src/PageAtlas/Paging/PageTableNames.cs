using System.Text;

namespace PageAtlas.Paging;

/// <summary>
/// Names a page table by the index path that leads to it, since user space cannot see its physical
/// address: the PGD is "pgd", the PMD reached through PGD entry 255 and PUD entry 3 is
/// "pgd[255]/pud[3]/pmd". A folded level (P4D on 4-level paging) adds no index. <c>walk</c> and
/// <c>pagetable</c> use the same names, so a step of one can be found in the other.
/// </summary>
public static class PageTableNames
{
    /// <summary>"pgd", "p4d", "pud", "pmd" or "pte".</summary>
    public static string Of(PageTableLevel level) => level switch
    {
        PageTableLevel.Pgd => "pgd",
        PageTableLevel.P4d => "p4d",
        PageTableLevel.Pud => "pud",
        PageTableLevel.Pmd => "pmd",
        _ => "pte",
    };

    /// <summary>The name of the <paramref name="level"/> table that translates <paramref name="address"/>.</summary>
    public static string Table(PagingMode mode, ulong address, PageTableLevel level)
    {
        var name = new StringBuilder();
        for (var above = PageTableLevel.Pgd; above < level; above++)
        {
            if (!mode.Uses(above)) continue;
            name.Append(Of(above)).Append('[').Append(mode.Index(address, above)).Append("]/");
        }
        return name.Append(Of(level)).ToString();
    }
}
