namespace PageAtlas.Model;

/// <summary>What a frame holds, as the physical map draws it.</summary>
public enum FrameKind
{
    /// <summary>Free: a buddy block's head and, estimated, the unflagged frames of its block.</summary>
    Free,
    /// <summary>Anonymous memory of processes.</summary>
    Anonymous,
    /// <summary>File pages in the page cache.</summary>
    File,
    /// <summary>Shared memory (shmem, tmpfs, System V, memfd).</summary>
    Shmem,
    /// <summary>Kernel slab caches.</summary>
    Slab,
    /// <summary>Page tables.</summary>
    PageTable,
    /// <summary>hugetlbfs pages.</summary>
    Hugetlb,
    /// <summary>Reserved at boot (firmware, kernel image, memmap) or holes with a struct page.</summary>
    Reserved,
    /// <summary>No flags and not in a free block: kernel allocations (stacks, vmalloc, buffers…).</summary>
    Unflagged,
    /// <summary>Flagged, but none of the above.</summary>
    Other,
    /// <summary>No struct page, offline or poisoned.</summary>
    Absent,
    /// <summary>Free, but not yet initialised by the kernel: counted in MemFree, in no buddy block (see <c>Analysis.UninitialisedMemory</c>).</summary>
    Uninitialised,
}
