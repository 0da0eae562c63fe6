using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas;

/// <summary>
/// A process's memory as PageAtlas sees it: its VMAs (classified), process facts and pages,
/// read in batches. A live process is one source; a saved snapshot is another: every analysis
/// takes this interface and works the same on both.
/// </summary>
public interface IMemoryTarget : IDisposable
{
    /// <summary>Process id.</summary>
    int Pid { get; }

    /// <summary>The machine (kernel, page size, paging mode).</summary>
    MachineInfo Machine { get; }

    /// <summary>/proc/&lt;pid&gt;/stat.</summary>
    ProcStat Stat { get; }

    /// <summary>/proc/&lt;pid&gt;/status.</summary>
    ProcStatus Status { get; }

    /// <summary>Every VMA in address order, with its segment class.</summary>
    IReadOnlyList<ClassifiedVma> Vmas { get; }

    /// <summary>Which frame figures are visible.</summary>
    FrameVisibility Visibility { get; }

    /// <summary>
    /// The page size the kernel maps <paramref name="vma"/> with (smaps' KernelPageSize): the base
    /// page size, or a hugetlbfs page size (2 MiB, 1 GiB).
    /// </summary>
    ulong KernelPageSize(ClassifiedVma vma);

    /// <summary>
    /// The pages of every VMA that overlaps [<paramref name="start"/>, <paramref name="end"/>), in address
    /// order, one batch at a time; batches never span two VMAs.
    /// </summary>
    IEnumerable<PageBatch> ReadPages(ulong start, ulong end, PageReadOptions options);

    /// <summary>smaps' Swap of every VMA backed by a shared-memory object, read when a swap area is active.</summary>
    SharedMemorySwap SharedMemorySwap { get; }

    /// <summary>
    /// What the shared-memory object behind <paramref name="vma"/> (System V, POSIX shm, memfd, shared
    /// anonymous memory, a tmpfs file) holds within [<paramref name="start"/>, <paramref name="end"/>):
    /// runs of resident and of swapped pages, ascending, whether this process maps them or not. Empty
    /// when the VMA has no such object or it cannot be asked.
    /// </summary>
    IReadOnlyList<ObjectPageRun> SharedObjectPages(ClassifiedVma vma, ulong start, ulong end);
}
