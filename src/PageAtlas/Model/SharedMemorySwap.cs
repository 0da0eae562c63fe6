namespace PageAtlas.Model;

/// <summary>
/// The kernel's own swap figure for each VMA backed by a shared-memory object (System V, POSIX shm,
/// memfd, shared anonymous memory, a tmpfs file): smaps' Swap. When such a page goes to swap the
/// kernel unmaps it from every page table and keeps its swap entry in the object's page cache
/// (shmem_writeout, mm/shmem.c), so pagemap shows the page as not populated; smaps adds the object's
/// swapped pages in the VMA's range (shmem_swap_usage, fs/proc/task_mmu.c) to the swap entries it
/// finds in the page table. smaps walks every page of the process, so it is read only when a swap
/// area is active and only these VMAs' figures are kept.
/// </summary>
/// <param name="SwapActive">A swap area is active (/proc/swaps lists one). Without one nothing can be in swap: swapoff brings every page back before its area leaves that list.</param>
/// <param name="SmapsSwapBytes">smaps' Swap in bytes of each shared-memory VMA, by its start address; empty when no swap area is active.</param>
public sealed record SharedMemorySwap(bool SwapActive, IReadOnlyDictionary<ulong, ulong> SmapsSwapBytes)
{
    /// <summary>No swap area active: nothing to read.</summary>
    public static readonly SharedMemorySwap NoSwap = new(false, new Dictionary<ulong, ulong>());

    /// <summary>Where the shared-swap figure comes from, for the notes of maps and composition.</summary>
    public const string Note =
        "shared swap: pages that a shared-memory object (System V, POSIX shm, memfd, shared anonymous memory, tmpfs file) keeps in swap " +
        "in this VMA's range: smaps' Swap beyond the swap entries in the page table. The kernel keeps these swap entries in the object, " +
        "not in the page table, so pagemap shows such pages as not populated; translate, pages and walk name each one (as root, Linux 6.5+: cachestat on the object)";

    /// <summary>
    /// Pages of <paramref name="vma"/> its shared-memory object holds in swap: smaps' Swap less the
    /// <paramref name="pageTableSwapped"/> swap entries found in the page table (copy-on-write copies in a
    /// private mapping of a tmpfs file). Never negative: the two readings are moments apart.
    /// </summary>
    public ulong HeldByObject(Vma vma, ulong pageTableSwapped, int pageSize)
    {
        if (!SmapsSwapBytes.TryGetValue(vma.Start, out ulong bytes)) return 0;
        ulong pages = bytes / (ulong)pageSize;
        return pages > pageTableSwapped ? pages - pageTableSwapped : 0;
    }
}
