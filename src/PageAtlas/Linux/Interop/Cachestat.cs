using System.Runtime.InteropServices;

namespace PageAtlas.Linux.Interop;

/// <summary>
/// The cachestat system call (Linux 6.5+, mm/filemap.c; include/uapi/linux/mman.h): page-cache
/// counts of a range of a file. Debian 12's glibc does not wrap it, so it is called by number.
/// </summary>
internal static unsafe partial class Cachestat
{
    /// <summary>__NR_cachestat on x86-64.</summary>
    private const long SyscallNumber = 451;

    /// <summary>struct cachestat_range: bytes [off, off + len) of the file; len 0 means to its end.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct cachestat_range
    {
        public ulong off;
        public ulong len;
    }

    /// <summary>
    /// struct cachestat (named apart from the call), in pages. For a shmem file nr_evicted counts the slots holding a swap entry:
    /// the pages the object keeps in swap (filemap_cachestat), exactly what smaps counts as its Swap.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct cachestat_counts
    {
        public ulong nr_cache;
        public ulong nr_dirty;
        public ulong nr_writeback;
        public ulong nr_evicted;
        public ulong nr_recently_evicted;
    }

    /// <summary>Counts the pages of [offset, offset + length) of <paramref name="file"/>; the errno on failure (ENOSYS before 6.5).</summary>
    internal static bool TryRead(SafeHandle file, ulong offset, ulong length, out cachestat_counts counts, out int errno)
    {
        var range = new cachestat_range { off = offset, len = length };
        cachestat_counts result;
        long rc = syscall(SyscallNumber, file, &range, &result, 0);
        counts = result;
        errno = rc < 0 ? Marshal.GetLastPInvokeError() : 0;
        return rc == 0;
    }

    // The descriptor travels as its SafeHandle, so it cannot be closed (and its number reused) while the call runs.
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long syscall(long number, SafeHandle file, cachestat_range* range, cachestat_counts* counts, uint flags);
}
