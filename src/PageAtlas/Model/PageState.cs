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
}
