using Microsoft.Win32.SafeHandles;
using PageAtlas.Linux.Interop;
using PageAtlas.Model;

namespace PageAtlas.Linux;

/// <summary>
/// The shared-memory object (a shmem file: System V segment, POSIX shm, memfd, shared anonymous
/// memory, tmpfs file) behind one VMA of another process, asked which of its pages are in RAM and
/// which in swap. The kernel keeps a swapped shmem page's swap entry in the object's page cache
/// (mm/shmem.c), not in the page table, so only the object can say this page by page.
/// <para>
/// The object is reached through /proc/&lt;pid&gt;/map_files (root) as <see cref="MappedFiles"/> opens
/// every mapped file: never through the path maps shows, which the target controls, and only once it
/// is known to be a regular file. It is neither read nor mapped, only counted: a System V segment's
/// attach count (shm_nattch), which its owner can see, does not change. cachestat (Linux 6.5+)
/// counts, for a range of the file, the pages in its page cache (nr_cache) and the slots holding a
/// swap entry (nr_evicted, filemap_cachestat): the same slots smaps counts as Swap
/// (shmem_partial_swap_usage). mincore() on a mapping of the object is no substitute: a page just
/// written to swap usually stays in the swap cache, and mincore calls it resident.
/// </para>
/// </summary>
internal sealed class SharedMemoryObject : IDisposable
{
    private readonly SafeFileHandle _file;

    private SharedMemoryObject(SafeFileHandle file) => _file = file;

    /// <summary>
    /// Opens the object behind <paramref name="vma"/> of process <paramref name="pid"/>, or returns null:
    /// no permission (map_files needs CAP_SYS_ADMIN), the VMA changed since maps was read, or its file
    /// is not a regular file on a shmem file system.
    /// </summary>
    public static unsafe SharedMemoryObject? TryOpen(int pid, Vma vma)
    {
        var file = MappedFiles.OpenRegular(pid, vma, out _, out _);
        if (file is null) return null;
        byte* fileSystem = stackalloc byte[FileCalls.StatfsSize];
        if (FileCalls.fstatfs(file, fileSystem) == 0 && *(long*)fileSystem == FileCalls.TMPFS_MAGIC) return new SharedMemoryObject(file);
        file.Dispose();
        return null;
    }

    /// <summary>
    /// The runs of pages of [<paramref name="from"/>, <paramref name="to"/>) in <paramref name="vma"/> that the
    /// object holds in RAM or in swap, ascending; null when the kernel has no cachestat.
    /// </summary>
    public List<ObjectPageRun>? ReadRuns(Vma vma, ulong from, ulong to, int pageSize)
    {
        ulong size = (ulong)pageSize;
        ulong firstPage = vma.Offset / size + (from - vma.Start) / size;
        var runs = new List<ObjectPageRun>();
        if (!Classify(firstPage, (to - from) / size, size, runs)) return null;
        // Runs were found as file page indices; the VMA maps page i of the file at Start + (i − pgoff) × size.
        for (int i = 0; i < runs.Count; i++)
            runs[i] = runs[i] with { Start = vma.Start + (runs[i].Start - vma.Offset / size) * size };
        return runs;
    }

    /// <summary>
    /// Splits [first, first + count) in halves until each part is uniform (all in RAM, all in swap, or
    /// nothing), appending the held parts in order: a few calls for long runs, about two per page at
    /// worst. Adjacent parts of one state are merged.
    /// </summary>
    private bool Classify(ulong first, ulong count, ulong pageSize, List<ObjectPageRun> runs)
    {
        if (count == 0) return true;
        if (!Cachestat.TryRead(_file, first * pageSize, count * pageSize, out var counts, out _)) return false;
        ObjectPageState? uniform = counts.nr_cache == 0 && counts.nr_evicted == 0 ? ObjectPageState.None
            : counts.nr_cache >= count ? ObjectPageState.Resident
            : counts.nr_evicted >= count ? ObjectPageState.Swapped
            : count == 1 ? (counts.nr_cache > 0 ? ObjectPageState.Resident : ObjectPageState.Swapped)
            : null;
        if (uniform is { } state)
        {
            if (state == ObjectPageState.None) return true;
            if (runs.Count > 0 && runs[^1].State == state && runs[^1].Start + runs[^1].Pages == first)
                runs[^1] = runs[^1] with { Pages = runs[^1].Pages + count };
            else runs.Add(new ObjectPageRun(first, count, state));
            return true;
        }
        ulong half = count / 2;
        return Classify(first, half, pageSize, runs) && Classify(first + half, count - half, pageSize, runs);
    }

    public void Dispose() => _file.Dispose();
}
