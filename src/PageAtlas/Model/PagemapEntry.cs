namespace PageAtlas.Model;

/// <summary>
/// One 64-bit entry of /proc/&lt;pid&gt;/pagemap, describing one virtual page
/// (Documentation/admin-guide/mm/pagemap.rst):
/// <code>
///  63  62  61  60-59  58    57     56    55    54 ........ 0
/// [P ][S ][F ][ 0  ][G ][UFFD ][EXCL][SD ][ PFN (present) / swap offset:type (swapped) ]
/// P present · S swapped · F file-page or shared-anon · G guard region (6.15+)
/// UFFD uffd-wp write-protected · EXCL exclusively mapped · SD soft-dirty
/// swap entry: bits 0–4 swap type, bits 5–54 swap offset
/// </code>
/// The kernel sets S for every non-present entry it keeps in a PTE, and not all are swap: the
/// types from MAX_SWAPFILES up are its own markers (device-private, migration, hwpoison, PTE
/// markers: guard regions and userfaultfd write-protect), so S alone never means "in swap".
/// </summary>
public readonly record struct PagemapEntry(ulong Raw)
{
    /// <summary>Bits 0–54: the page frame number of a present page.</summary>
    public const ulong PfnMask = (1UL << 55) - 1;
    /// <summary>Bit 55: PTE is soft-dirty.</summary>
    public const ulong SoftDirtyBit = 1UL << 55;
    /// <summary>Bit 56: page exclusively mapped (PM_MMAP_EXCLUSIVE).</summary>
    public const ulong ExclusiveBit = 1UL << 56;
    /// <summary>Bit 57: PTE is uffd-wp write-protected (PM_UFFD_WP).</summary>
    public const ulong UffdWpBit = 1UL << 57;
    /// <summary>Bit 58: PTE is a guard region (PM_GUARD_REGION, 6.15+).</summary>
    public const ulong GuardBit = 1UL << 58;
    /// <summary>Bit 61: page is a file page or shared anonymous (PM_FILE).</summary>
    public const ulong FileOrSharedAnonBit = 1UL << 61;
    /// <summary>Bit 62: page is swapped (PM_SWAP).</summary>
    public const ulong SwappedBit = 1UL << 62;
    /// <summary>Bit 63: page is present in RAM (PM_PRESENT).</summary>
    public const ulong PresentBit = 1UL << 63;
    private const int SwapTypeBits = 5;

    /// <summary>
    /// MAX_SWAPFILES on x86-64 with every option that takes a type (include/linux/swap.h: 32 types,
    /// less 4 device-private, 3 migration, 1 hwpoison, 1 PTE marker): a real swap area's type is
    /// always below it, whatever the kernel's configuration.
    /// </summary>
    public const uint SwapTypeLimit = 23;

    /// <summary>The page has a frame in RAM.</summary>
    public bool IsPresent => (Raw & PresentBit) != 0;
    /// <summary>The page is in a swap area (not a guard region or another marker the kernel keeps in the PTE).</summary>
    public bool IsSwapped => IsNonPresentEntry && !IsGuardRegion && RawSwapType < SwapTypeLimit;
    /// <summary>A non-present entry that is not swap: a guard region (see <see cref="IsGuardRegion"/>), a page under migration, a poisoned page, a userfaultfd marker.</summary>
    public bool IsMarker => IsNonPresentEntry && !IsSwapped;
    /// <summary>The page-table entry exists: present, in swap, or a marker. Not populated otherwise: never touched, or dropped (clean file page reclaimed).</summary>
    public bool IsPopulated => (Raw & (PresentBit | SwappedBit)) != 0;
    /// <summary>The kernel's PM_SWAP bit: a non-present entry in the PTE, swap or marker.</summary>
    private bool IsNonPresentEntry => (Raw & (PresentBit | SwappedBit)) == SwappedBit;
    private uint RawSwapType => (uint)(Raw & ((1UL << SwapTypeBits) - 1));
    /// <summary>The frame number, or 0 when not present or hidden (no CAP_SYS_ADMIN).</summary>
    public ulong Pfn => IsPresent ? Raw & PfnMask : 0;
    /// <summary>Swap type (which swap area) of a swapped page.</summary>
    public uint SwapType => IsSwapped ? RawSwapType : 0;
    /// <summary>Offset, in pages, within the swap area of a swapped page.</summary>
    public ulong SwapOffset => IsSwapped ? (Raw & PfnMask) >> SwapTypeBits : 0;
    /// <summary>Only this process maps the page.</summary>
    public bool IsExclusive => (Raw & ExclusiveBit) != 0;
    /// <summary>Written since soft-dirty bits were last cleared.</summary>
    public bool IsSoftDirty => (Raw & SoftDirtyBit) != 0;
    /// <summary>Write-protected by userfaultfd.</summary>
    public bool IsUffdWriteProtected => (Raw & UffdWpBit) != 0;
    /// <summary>Installed by MADV_GUARD_INSTALL (Linux 6.13+, reported from 6.15): any access faults, and it is no memory at all.</summary>
    public bool IsGuardRegion => (Raw & GuardBit) != 0;
    /// <summary>A page-cache page or shared anonymous memory (not private anonymous).</summary>
    public bool IsFileOrSharedAnon => (Raw & FileOrSharedAnonBit) != 0;
}
