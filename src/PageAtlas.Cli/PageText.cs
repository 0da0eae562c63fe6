using PageAtlas.Model;

namespace PageAtlas.Cli;

/// <summary>One page as a line of text, in seed 001's "VA … -> PFN … (PA …)" form plus the pagemap and frame facts.</summary>
internal static class PageText
{
    // `pages` writes a line per page, millions of them: the line is built in one reused buffer, and
    // each flag set's names (a process has a few dozen distinct sets) are spelt out once.
    [ThreadStatic] private static LineBuffer? t_line;
    [ThreadStatic] private static Dictionary<FrameFlags, string>? t_flagNames;

    /// <param name="physicalAddress">The byte's physical address (frame base plus offset); read only for a present page with visible PFNs.</param>
    public static string Line(ulong address, PageRecord page, ulong physicalAddress, FrameVisibility visibility) =>
        Write(address, page, physicalAddress, visibility).ToString();

    /// <summary>The line, in a buffer reused by the next call (no string made: `pages` writes it straight out).</summary>
    /// <param name="physicalAddress">As for <see cref="Line"/>.</param>
    public static ReadOnlySpan<char> Write(ulong address, PageRecord page, ulong physicalAddress, FrameVisibility visibility)
    {
        var e = page.Entry;
        var line = t_line ??= new LineBuffer();
        line.Clear().Append("VA 0x").Hex(address, 12).Append(" -> ");
        int frameStart = line.Length;
        switch (page.State)
        {
            case PageState.Present when visibility.PfnsVisible:
                line.Append("PFN 0x").Hex(e.Pfn).Append(" (PA 0x").Hex(physicalAddress).Append(')');
                break;
            case PageState.Present: line.Append("PFN hidden (PA hidden)"); break;
            case PageState.Swapped: line.Append("swap type ").Number(e.SwapType).Append(" offset 0x").Hex(e.SwapOffset); break;
            case PageState.Guard: line.Append("PFN 0x0 (guard region: no memory)"); break;
            case PageState.Marker: line.Append("PFN 0x0 (kernel marker, not swap)"); break;
            case PageState.SharedSwapped: line.Append("swapped, held by the shared-memory object (not in the page table)"); break;
            case PageState.SharedResident: line.Append("resident in the shared-memory object, not mapped by this process"); break;
            default: line.Append("PFN 0x0 (not populated)"); break;
        }
        Pad(line, frameStart, 34);
        line.Append(' ');
        int stateStart = line.Length;
        line.Append(PageAtlas.Rendering.JsonRecords.StateName(page.State));
        Pad(line, stateStart, 13);
        line.Append(" [");
        int bitsStart = line.Length;
        if (e.IsExclusive) Bit(line, bitsStart, "exclusive");
        if (e.IsSoftDirty) Bit(line, bitsStart, "soft-dirty");
        if (e.IsUffdWriteProtected) Bit(line, bitsStart, "uffd-wp");
        // pagemap sets its file bit on the huge zero page too (its PMD maps no struct page the kernel calls anonymous): it is no file.
        if ((page.Flags & FrameFlags.ZeroPage) != 0) Bit(line, bitsStart, "zero-page");
        else if (e.IsFileOrSharedAnon) Bit(line, bitsStart, "file/shared");
        if (page.IsHugeLeaf) Bit(line, bitsStart, "huge-leaf");
        line.Append(']');
        if (page.State == PageState.Present && visibility.FrameFlagsVisible)
            line.Append(" map=").Number(page.MapCount).Append(" flags=").Append(LongNames(page.Flags));
        return line.Span;
    }

    private static void Pad(LineBuffer line, int from, int width)
    {
        int written = line.Length - from;
        if (written < width) line.Append(' ', width - written);
    }

    private static void Bit(LineBuffer line, int bitsStart, string name)
    {
        if (line.Length > bitsStart) line.Append(',');
        line.Append(name);
    }

    private static string LongNames(FrameFlags flags)
    {
        var names = t_flagNames ??= [];
        if (!names.TryGetValue(flags, out string? text)) names[flags] = text = FrameFlagNames.ToLongNames(flags);
        return text;
    }
}
