using PageAtlas.Analysis;
using PageAtlas.Model;
using PageAtlas.Paging;

namespace PageAtlas.Rendering;

/// <summary>
/// The colour class of a run of entries, one palette for the picture and the terminal: the host maps
/// it to its own means (Graphviz fills here, ANSI colours in the CLI), so the library holds no
/// terminal codes.
/// </summary>
public enum PageTableStyle
{
    /// <summary>Executable and library code, the vDSO.</summary>
    Code,
    /// <summary>Initialised data, bss and read-only data of the executable and libraries.</summary>
    Data,
    /// <summary>The brk heap.</summary>
    Heap,
    /// <summary>The main and thread stacks.</summary>
    Stack,
    /// <summary>Private anonymous memory.</summary>
    Anonymous,
    /// <summary>Other mapped files.</summary>
    File,
    /// <summary>Shared memory: System V, POSIX, memfd, shared anonymous.</summary>
    Shared,
    /// <summary>A 2 MiB PMD or 1 GiB PUD leaf, whatever its class: the mark of a huge page.</summary>
    HugeLeaf,
    /// <summary>Entries mapping the shared zero page.</summary>
    ZeroPage,
    /// <summary>Swap entries, guard markers and other markers: no frame.</summary>
    NotPresent,
    /// <summary>Anything else (guard areas, [vvar], [vsyscall]…).</summary>
    Other,
}

/// <summary>Which style a run takes, and the picture's palette and legend words.</summary>
public static class PageTableStyles
{
    /// <summary>The style of a leaf, zero-page, swap or marker run; null for a pointer to a table.</summary>
    public static PageTableStyle? Of(PageTableTree tree, PageTable table, TableEntryRun run)
    {
        if (run.Kind == TableEntryKind.Table || run.VmaIndex < 0) return null;
        if (run.Kind == TableEntryKind.ZeroPage) return PageTableStyle.ZeroPage;
        if (!run.MapsFrames) return PageTableStyle.NotPresent;
        if (table.Level != PageTableLevel.Pte) return PageTableStyle.HugeLeaf;
        return OfKind(tree.Vmas[run.VmaIndex].Class.Kind);
    }

    /// <summary>The style of a segment class's kind: the colour its pages take in the picture, and its class in a listing.</summary>
    public static PageTableStyle OfKind(SegmentKind kind)
    {
        return kind switch
        {
            SegmentKind.Code or SegmentKind.LibraryCode or SegmentKind.Vdso => PageTableStyle.Code,
            SegmentKind.ReadOnlyData or SegmentKind.Data or SegmentKind.Bss or SegmentKind.LibraryReadOnlyData
                or SegmentKind.LibraryData or SegmentKind.LibraryBss => PageTableStyle.Data,
            SegmentKind.Heap => PageTableStyle.Heap,
            SegmentKind.MainStack or SegmentKind.ThreadStack => PageTableStyle.Stack,
            SegmentKind.AnonymousMapping => PageTableStyle.Anonymous,
            SegmentKind.FileMapping => PageTableStyle.File,
            SegmentKind.SysVShm or SegmentKind.PosixShm or SegmentKind.Memfd or SegmentKind.SharedAnonymous => PageTableStyle.Shared,
            _ => PageTableStyle.Other,
        };
    }

    /// <summary>The picture's fill for a style: light tints, so that the black text stays readable.</summary>
    public static string Fill(PageTableStyle style) => style switch
    {
        PageTableStyle.Code => "#f4cccc",
        PageTableStyle.Data => "#fce5cd",
        PageTableStyle.Heap => "#d9ead3",
        PageTableStyle.Stack => "#cfe2f3",
        PageTableStyle.Anonymous => "#d9d2e9",
        PageTableStyle.File => "#fff2cc",
        PageTableStyle.Shared => "#d0e0e3",
        PageTableStyle.HugeLeaf => "#ffd966",
        PageTableStyle.ZeroPage => "#eeeeee",
        PageTableStyle.NotPresent => "#cccccc",
        _ => "#ffffff",
    };

    /// <summary>The legend's words for a style.</summary>
    public static string Name(PageTableStyle style) => style switch
    {
        PageTableStyle.Code => "code",
        PageTableStyle.Data => "data, bss, read-only data",
        PageTableStyle.Heap => "heap",
        PageTableStyle.Stack => "stack",
        PageTableStyle.Anonymous => "anonymous",
        PageTableStyle.File => "mapped file",
        PageTableStyle.Shared => "shared memory",
        PageTableStyle.HugeLeaf => "huge leaf (2 MiB PMD, 1 GiB PUD)",
        PageTableStyle.ZeroPage => "zero page",
        PageTableStyle.NotPresent => "swapped or marker (no frame)",
        _ => "other",
    };
}
