using System.Runtime.InteropServices;

namespace PageAtlas.Linux.Interop;

/// <summary>
/// The PAGEMAP_SCAN ioctl on /proc/&lt;pid&gt;/pagemap (kernel ≥ 6.7; include/uapi/linux/fs.h).
/// Debian 12's headers predate it, so the layout is declared here.
/// </summary>
internal static class PageMapScan
{
    /// <summary>_IOWR('f', 16, struct pm_scan_arg).</summary>
    internal const ulong PAGEMAP_SCAN = 0xC0606610;

    internal const ulong PAGE_IS_WPALLOWED = 1 << 0;
    internal const ulong PAGE_IS_WRITTEN = 1 << 1;
    internal const ulong PAGE_IS_FILE = 1 << 2;
    internal const ulong PAGE_IS_PRESENT = 1 << 3;
    internal const ulong PAGE_IS_SWAPPED = 1 << 4;
    internal const ulong PAGE_IS_PFNZERO = 1 << 5;
    internal const ulong PAGE_IS_HUGE = 1 << 6;
    internal const ulong PAGE_IS_SOFT_DIRTY = 1 << 7;

    /// <summary>struct pm_scan_arg: twelve u64 fields, 96 bytes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct pm_scan_arg
    {
        public ulong size;
        public ulong flags;
        public ulong start;
        public ulong end;
        public ulong walk_end;
        public ulong vec;
        public ulong vec_len;
        public ulong max_pages;
        public ulong category_inverted;
        public ulong category_mask;
        public ulong category_anyof_mask;
        public ulong return_mask;
    }

    /// <summary>struct page_region: a run of pages [start, end) sharing <c>categories</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct page_region
    {
        public ulong start;
        public ulong end;
        public ulong categories;
    }
}
