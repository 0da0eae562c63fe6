using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using PageAtlas.Linux.Interop;
using static PageAtlas.Linux.Interop.PageMapScan;

namespace PageAtlas.Linux;

/// <summary>A run of virtual pages [Start, End) that PAGEMAP_SCAN found in the same categories.</summary>
/// <param name="Start">First byte.</param>
/// <param name="End">One past the last byte.</param>
/// <param name="IsPresent">The pages have frames.</param>
/// <param name="IsSwapped">The pages are in swap.</param>
/// <param name="IsHuge">Mapped by a huge leaf (a PMD-mapped THP, or hugetlb).</param>
public readonly record struct PopulatedRange(ulong Start, ulong End, bool IsPresent, bool IsSwapped, bool IsHuge);

/// <summary>
/// /proc/&lt;pid&gt;/pagemap: one 64-bit entry per virtual page, read with pread at offset
/// (address / page size) × 8, and the PAGEMAP_SCAN ioctl that reports populated ranges only.
/// The kernel takes the target's mm when the file is opened, so reads return 0 bytes once
/// the process has exited.
/// </summary>
public sealed class Pagemap : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly int _pid;
    private readonly int _pageShift;
    private bool _scanUnsupported;

    private readonly ulong _userAddressEnd;

    /// <summary>Opens the pagemap of <paramref name="pid"/>; <paramref name="userAddressEnd"/> is where user space ends.</summary>
    public Pagemap(int pid, ulong userAddressEnd)
    {
        _pid = pid;
        _userAddressEnd = userAddressEnd;
        _pageShift = System.Numerics.BitOperations.Log2((uint)Environment.SystemPageSize);
        _handle = ProcFs.OpenForRead(ProcFs.PidPath(pid, "pagemap"), pid);
        // Lets the fallback for kernels before 6.7 be exercised (tests, benchmarks) on a kernel that has the ioctl.
        _scanUnsupported = Environment.GetEnvironmentVariable(NoScanVariable) == "1";
    }

    /// <summary>Set to 1, PageAtlas reads pagemap as on a kernel without PAGEMAP_SCAN (before Linux 6.7).</summary>
    public const string NoScanVariable = "PAGEATLAS_NO_PAGEMAP_SCAN";

    /// <summary>Whether the kernel answered PAGEMAP_SCAN (false after it refused once).</summary>
    public bool ScanSupported => !_scanUnsupported;

    /// <summary>
    /// Reads the entries of the pages starting at <paramref name="address"/> into <paramref name="entries"/>.
    /// </summary>
    /// <exception cref="TargetUnavailableException">The process has gone.</exception>
    public void Read(ulong address, Span<ulong> entries)
    {
        var bytes = MemoryMarshal.AsBytes(entries);
        long offset = (long)(address >> _pageShift) * sizeof(ulong);
        int done = 0;
        while (done < bytes.Length)
        {
            int n;
            try
            {
                n = RandomAccess.Read(_handle, bytes[done..], offset + done);
            }
            catch (IOException e) when (ProcFs.IsNoSuchProcess(e))
            {
                throw ProcFs.Gone(_pid);
            }
            if (n == 0)
            {
                // pagemap ends at the top of user space: the [vsyscall] page above it is in no page
                // table pagemap walks, so it reads as not populated. Below that, 0 bytes means the mm is gone.
                if (address + (ulong)(done / sizeof(ulong)) * (1UL << _pageShift) >= _userAddressEnd)
                {
                    bytes[done..].Clear();
                    return;
                }
                throw ProcFs.Gone(_pid);
            }
            done += n;
        }
    }

    /// <summary>
    /// Lists the populated (present or swapped) ranges in [start, end) with PAGEMAP_SCAN, appending
    /// to <paramref name="ranges"/>. Returns false, having added nothing, when the kernel lacks the ioctl.
    /// </summary>
    public unsafe bool TryScanPopulated(ulong start, ulong end, List<PopulatedRange> ranges)
    {
        if (_scanUnsupported) return false;
        const int VectorLength = 1024;
        var vector = stackalloc page_region[VectorLength];
        ulong cursor = start;
        while (cursor < end)
        {
            var arg = new pm_scan_arg
            {
                size = (ulong)sizeof(pm_scan_arg),
                start = cursor,
                end = end,
                vec = (ulong)vector,
                vec_len = VectorLength,
                category_anyof_mask = PAGE_IS_PRESENT | PAGE_IS_SWAPPED,
                return_mask = PAGE_IS_PRESENT | PAGE_IS_SWAPPED | PAGE_IS_HUGE,
            };
            int count = LibC.ioctl(_handle, PAGEMAP_SCAN, &arg);
            if (count < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno is 25 /* ENOTTY */ or 22 /* EINVAL */ && ranges.Count == 0 && cursor == start)
                {
                    _scanUnsupported = true;
                    return false;
                }
                if (errno == 3 /* ESRCH */ || !ProcFs.ProcessExists(_pid)) throw ProcFs.Gone(_pid);
                throw new IOException($"PAGEMAP_SCAN on /proc/{_pid}/pagemap failed: {ProcFs.DescribeErrno(errno)}");
            }
            ulong reported = cursor;
            for (int i = 0; i < count; i++)
            {
                ulong c = vector[i].categories;
                // A resumed walk can report again what the previous vector held (below): keep each page once.
                ulong from = Math.Max(vector[i].start, reported);
                if (from < vector[i].end)
                    ranges.Add(new PopulatedRange(from, vector[i].end, (c & PAGE_IS_PRESENT) != 0, (c & PAGE_IS_SWAPPED) != 0, (c & PAGE_IS_HUGE) != 0));
                reported = Math.Max(reported, vector[i].end);
            }
            // On 6.18 a vector that comes back short means the walk is complete, whatever
            // walk_end says; only a full vector asks to resume. Resume past the last region, not
            // merely from walk_end: a vector that fills up exactly at the end of a VMA can come back
            // with walk_end behind its own last regions (4 MiB behind, seen on 6.18), and resuming
            // there reported those pages twice.
            if (count < VectorLength) break;
            ulong next = Math.Max(arg.walk_end, reported);
            if (next <= cursor) break;
            cursor = next;
        }
        return true;
    }

    /// <inheritdoc/>
    public void Dispose() => _handle.Dispose();
}
