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

    /// <summary>The page has a frame in RAM.</summary>
    public bool IsPresent => (Raw & PresentBit) != 0;
    /// <summary>The page is in swap.</summary>
    public bool IsSwapped => (Raw & SwappedBit) != 0;
    /// <summary>Neither present nor swapped: never touched, or dropped (clean file page reclaimed).</summary>
    public bool IsPopulated => (Raw & (PresentBit | SwappedBit)) != 0;
    /// <summary>The frame number, or 0 when not present or hidden (no CAP_SYS_ADMIN).</summary>
    public ulong Pfn => IsPresent ? Raw & PfnMask : 0;
    /// <summary>Swap type (which swap area) of a swapped page.</summary>
    public uint SwapType => IsSwapped ? (uint)(Raw & ((1UL << SwapTypeBits) - 1)) : 0;
    /// <summary>Offset, in pages, within the swap area of a swapped page.</summary>
    public ulong SwapOffset => IsSwapped ? (Raw & PfnMask) >> SwapTypeBits : 0;
    /// <summary>Only this process maps the page.</summary>
    public bool IsExclusive => (Raw & ExclusiveBit) != 0;
    /// <summary>Written since soft-dirty bits were last cleared.</summary>
    public bool IsSoftDirty => (Raw & SoftDirtyBit) != 0;
    /// <summary>Write-protected by userfaultfd.</summary>
    public bool IsUffdWriteProtected => (Raw & UffdWpBit) != 0;
    /// <summary>Installed by MADV_GUARD_INSTALL.</summary>
    public bool IsGuardRegion => (Raw & GuardBit) != 0;
    /// <summary>A page-cache page or shared anonymous memory (not private anonymous).</summary>
    public bool IsFileOrSharedAnon => (Raw & FileOrSharedAnonBit) != 0;
}
