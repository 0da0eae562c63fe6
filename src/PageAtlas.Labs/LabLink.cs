namespace PageAtlas.Labs;

/// <summary>The kinds of view a lab figure is shown by (the explorer's views; the CLI's commands of the same names).</summary>
public enum LabView
{
    /// <summary>One process's address space (`maps`).</summary>
    AddressSpace,

    /// <summary>One page of one process: its walk and its frame (`walk`, `translate`).</summary>
    Page,

    /// <summary>One physical frame and every process that maps it (`frame`).</summary>
    Frame,

    /// <summary>What two or more processes share (`share`).</summary>
    Share,
}

/// <summary>
/// What one figure of a claim is about, in the lab's snapshot (<see cref="LabCapture"/>): the view that
/// shows it and its subject — the processes, and for a page the address, for a frame its number.
/// </summary>
/// <param name="View">The view.</param>
/// <param name="Label">What the view shows of the claim, for a person.</param>
/// <param name="Pids">The processes: one for a page or an address space, two or more to share; none for a frame.</param>
/// <param name="Address">The page's virtual address (<see cref="LabView.Page"/>).</param>
/// <param name="Frame">The frame's number (<see cref="LabView.Frame"/>).</param>
public sealed record LabLink(LabView View, string Label, IReadOnlyList<int> Pids, ulong? Address = null, ulong? Frame = null)
{
    /// <summary>The sharing of <paramref name="pids"/>.</summary>
    public static LabLink Share(string label, params int[] pids) => new(LabView.Share, label, pids);

    /// <summary>The page at <paramref name="address"/> of <paramref name="pid"/>.</summary>
    public static LabLink Page(string label, int pid, ulong address) => new(LabView.Page, label, [pid], address & ~4095UL);

    /// <summary>Frame <paramref name="pfn"/> and its owners.</summary>
    public static LabLink FrameOf(string label, ulong pfn) => new(LabView.Frame, label, [], Frame: pfn);

    /// <summary>The address space of <paramref name="pid"/>.</summary>
    public static LabLink AddressSpace(string label, int pid) => new(LabView.AddressSpace, label, [pid]);
}

/// <summary>
/// Called by a lab once, while its processes are alive, right after it has measured what its links
/// point at: the caller takes what it wants of <paramref name="pids"/> (a snapshot) before the lab ends
/// them. The lab waits for it.
/// </summary>
public delegate void LabCapture(IReadOnlyList<int> pids);
