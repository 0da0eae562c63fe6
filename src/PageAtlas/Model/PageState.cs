namespace PageAtlas.Model;

/// <summary>Where one virtual page stands.</summary>
public enum PageState
{
    /// <summary>The address is in no VMA of the process.</summary>
    Unmapped,
    /// <summary>Inside a VMA but with no page-table entry: never touched, or reclaimed.</summary>
    NotPopulated,
    /// <summary>Backed by a frame in RAM.</summary>
    Present,
    /// <summary>In a swap area.</summary>
    Swapped,
    /// <summary>A guard region (MADV_GUARD_INSTALL): the PTE holds a marker that makes any access fault; no memory at all.</summary>
    Guard,
    /// <summary>Another marker the kernel keeps in the PTE instead of a frame: a page under migration, a poisoned page, a userfaultfd write-protect marker.</summary>
    Marker,
    /// <summary>
    /// No page-table entry, but the shared-memory object behind the VMA (System V, POSIX shm, memfd,
    /// shared anonymous memory, a tmpfs file) holds the page in swap: the kernel keeps that swap
    /// entry in the object's page cache, not in the page table (mm/shmem.c), so pagemap shows nothing.
    /// </summary>
    SharedSwapped,
    /// <summary>
    /// No page-table entry here, but the page is resident in the shared-memory object behind the
    /// VMA: another process maps it, or this one unmapped it (MADV_DONTNEED, reclaim without swap).
    /// A fault would map it again without I/O.
    /// </summary>
    SharedResident,
}
