namespace PageAtlas.Model;

/// <summary>
/// The flags /proc/kpageflags reports for one page frame (include/uapi/linux/kernel-page-flags.h).
/// Bits 0–26 are the stable KPF_* set; bits 32–41 are kernel-internal flags that the kernel's
/// page-types tool shows in raw mode. Member names follow the kernel's; see
/// <see cref="FrameFlagNames"/> for page-types' names and letters.
/// </summary>
[Flags]
public enum FrameFlags : ulong
{
    /// <summary>No flag set.</summary>
    None = 0,
    /// <summary>KPF_LOCKED (L)</summary>
    Locked = 1UL << 0,
    /// <summary>KPF_ERROR (E)</summary>
    Error = 1UL << 1,
    /// <summary>KPF_REFERENCED (R)</summary>
    Referenced = 1UL << 2,
    /// <summary>KPF_UPTODATE (U)</summary>
    Uptodate = 1UL << 3,
    /// <summary>KPF_DIRTY (D)</summary>
    Dirty = 1UL << 4,
    /// <summary>KPF_LRU (l)</summary>
    Lru = 1UL << 5,
    /// <summary>KPF_ACTIVE (A)</summary>
    Active = 1UL << 6,
    /// <summary>KPF_SLAB (S)</summary>
    Slab = 1UL << 7,
    /// <summary>KPF_WRITEBACK (W)</summary>
    Writeback = 1UL << 8,
    /// <summary>KPF_RECLAIM (I)</summary>
    Reclaim = 1UL << 9,
    /// <summary>KPF_BUDDY (B): first page of a free block.</summary>
    Buddy = 1UL << 10,
    /// <summary>KPF_MMAP (M): mapped into some page table.</summary>
    Mmap = 1UL << 11,
    /// <summary>KPF_ANON (a)</summary>
    Anonymous = 1UL << 12,
    /// <summary>KPF_SWAPCACHE (s)</summary>
    SwapCache = 1UL << 13,
    /// <summary>KPF_SWAPBACKED (b)</summary>
    SwapBacked = 1UL << 14,
    /// <summary>KPF_COMPOUND_HEAD (H)</summary>
    CompoundHead = 1UL << 15,
    /// <summary>KPF_COMPOUND_TAIL (T)</summary>
    CompoundTail = 1UL << 16,
    /// <summary>KPF_HUGE (G): hugetlbfs page.</summary>
    Huge = 1UL << 17,
    /// <summary>KPF_UNEVICTABLE (u)</summary>
    Unevictable = 1UL << 18,
    /// <summary>KPF_HWPOISON (X)</summary>
    HwPoison = 1UL << 19,
    /// <summary>KPF_NOPAGE (n): no struct page behind the PFN.</summary>
    NoPage = 1UL << 20,
    /// <summary>KPF_KSM (x)</summary>
    Ksm = 1UL << 21,
    /// <summary>KPF_THP (t): part of a transparent huge page.</summary>
    Thp = 1UL << 22,
    /// <summary>KPF_OFFLINE (o)</summary>
    Offline = 1UL << 23,
    /// <summary>KPF_ZERO_PAGE (z)</summary>
    ZeroPage = 1UL << 24,
    /// <summary>KPF_IDLE (i)</summary>
    Idle = 1UL << 25,
    /// <summary>KPF_PGTABLE (g): the frame holds a page table.</summary>
    PageTable = 1UL << 26,
    /// <summary>KPF_RESERVED (r), raw.</summary>
    Reserved = 1UL << 32,
    /// <summary>KPF_MLOCKED (m), raw.</summary>
    Mlocked = 1UL << 33,
    /// <summary>KPF_MAPPEDTODISK (d), raw.</summary>
    MappedToDisk = 1UL << 34,
    /// <summary>KPF_PRIVATE (P), raw.</summary>
    Private = 1UL << 35,
    /// <summary>KPF_PRIVATE_2 (p), raw.</summary>
    Private2 = 1UL << 36,
    /// <summary>KPF_OWNER_PRIVATE (O), raw.</summary>
    OwnerPrivate = 1UL << 37,
    /// <summary>KPF_ARCH (h), raw.</summary>
    Arch = 1UL << 38,
    /// <summary>KPF_UNCACHED (c), raw.</summary>
    Uncached = 1UL << 39,
    /// <summary>KPF_SOFTDIRTY (f), raw.</summary>
    SoftDirty = 1UL << 40,
    /// <summary>KPF_ARCH_2 (H), raw.</summary>
    Arch2 = 1UL << 41,
}
