using PageAtlas.Model;

namespace PageAtlas.Analysis;

/// <summary>
/// How one VMA's extent changed between two readings, for a pair that shares a start or an end: an
/// area grows up (brk, mremap) with its start fixed, and the stack grows down with its end fixed
/// (mm/mmap.c, expand_downwards lowers vm_start), so either shared edge makes them the same VMA.
/// </summary>
public static class VmaExtent
{
    /// <summary>Grown or shrunk by size, none when the extent is the same.</summary>
    public static VmaChangeKind Compare(Vma before, Vma now) =>
        now.Size > before.Size ? VmaChangeKind.Grown : now.Size < before.Size ? VmaChangeKind.Shrunk : VmaChangeKind.None;
}
