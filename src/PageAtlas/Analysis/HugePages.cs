using PageAtlas.Model;
using PageAtlas.Paging;

namespace PageAtlas.Analysis;

/// <summary>
/// What a huge leaf in a VMA is. pagemap and PAGEMAP_SCAN say a page sits under a huge leaf; the
/// VMA's kernel page size (smaps KernelPageSize) says which kind: the base size means a PMD-mapped
/// THP, a larger size means hugetlbfs pages of that size (2 MiB at the PMD, 1 GiB at the PUD).
/// </summary>
public static class HugePages
{
    /// <summary>Whether <paramref name="vma"/> is hugetlbfs memory.</summary>
    public static bool IsHugetlb(IMemoryTarget target, ClassifiedVma vma) => target.KernelPageSize(vma) != (ulong)target.Machine.PageSize;

    /// <summary>The level at which a huge leaf of <paramref name="vma"/> maps its frame, or null for a size no x86-64 level maps.</summary>
    public static PageTableLevel? LeafLevel(IMemoryTarget target, ClassifiedVma vma) =>
        IsHugetlb(target, vma) ? PagingMode.LeafLevel(target.KernelPageSize(vma)) : PageTableLevel.Pmd;
}
