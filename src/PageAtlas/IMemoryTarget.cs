using PageAtlas.Model;

namespace PageAtlas;

/// <summary>
/// A process's memory as PageAtlas sees it: its VMAs (classified), process facts and pages,
/// read in batches. A live process is one source; a saved snapshot is another: every analysis
/// takes this interface and works the same on both.
/// </summary>
/// <remarks>
/// <para><b>Threads.</b> A target is not thread-safe: use it from one thread at a time. What it
/// returns of the process (<see cref="Facts"/>, <see cref="Machine"/>, <see cref="Vmas"/> and their
/// classes, <see cref="Visibility"/>) is immutable once read and may be kept and shared freely.</para>
/// <para><b>Buffers.</b> A target has one set of page buffers (a live process's
/// <c>Linux.PageReader</c>, a snapshot's chunk and batch buffers), reused by every enumeration of
/// <see cref="ReadPages"/>. A <see cref="PageBatch.Pages"/> is valid until the enumerator moves on
/// (its next <c>MoveNext</c>) or is disposed: a batch may be overwritten by the next one, and a live
/// read of neighbouring small VMAs hands out several batches of one buffer. Copy what must outlive
/// the step (a <see cref="PageRecord"/> is a value: copying it out of the span keeps it). Only one
/// enumeration may be in progress at a time: a second one, started before the first ends, overwrites
/// the first's pages. Read two processes side by side with two targets.</para>
/// </remarks>
public interface IMemoryTarget : IDisposable
{
    /// <summary>Process id.</summary>
    int Pid { get; }

    /// <summary>The machine (kernel, page size, paging mode).</summary>
    MachineInfo Machine { get; }

    /// <summary>What the analyses use of the process besides its VMAs and pages (name, parent, sizes, start addresses).</summary>
    ProcessFacts Facts { get; }

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
    /// The pages of every VMA that overlaps [<paramref name="start"/>, <paramref name="endAddress"/>), in address
    /// order, one batch at a time; batches never span two VMAs.
    /// </summary>
    IEnumerable<PageBatch> ReadPages(ulong start, ulong endAddress, PageReadOptions options);

    /// <summary>smaps' Swap of every VMA backed by a shared-memory object, read when a swap area is active.</summary>
    SharedMemorySwap SharedMemorySwap { get; }

    /// <summary>
    /// What the shared-memory object behind <paramref name="vma"/> (System V, POSIX shm, memfd, shared
    /// anonymous memory, a tmpfs file) holds within [<paramref name="start"/>, <paramref name="endAddress"/>):
    /// runs of resident and of swapped pages, ascending, whether this process maps them or not. Empty
    /// when the VMA has no such object or it cannot be asked.
    /// </summary>
    IReadOnlyList<ObjectPageRun> SharedObjectPages(ClassifiedVma vma, ulong start, ulong endAddress);
}
