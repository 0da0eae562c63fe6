using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;

namespace PageAtlas.Cli.Rendering;

/// <summary>pages's text: a heading per VMA and a line per page, streamed.</summary>
internal static class PageListText
{
    public static void Write(CliConsole console, IMemoryTarget target, List<AddressRange> selected, PageReadOptions options)
    {
        if (target.Visibility.Reason is { } reason) console.Warn(reason);
        using var output = console.OpenText(LayoutOptions.Default(console));
        ulong count = 0, present = 0, shared = 0;
        ClassifiedVma? current = null;
        var line = new LineBuffer();
        foreach (var range in selected)
        {
            foreach (var batch in SharedMemoryPages.Read(target, range.Start, range.End, options))
            {
                if (!ReferenceEquals(batch.Vma, current))
                {
                    current = batch.Vma;
                    Heading(output, line, current);
                }
                foreach (var page in batch.Pages.Span)
                {
                    // On a narrow terminal a page's facts go on under its address, indented, never cut.
                    output.WriteParagraph(PageText.Write(page.Address, page, page.PhysicalAddress(target.Machine.PageSize), target.Visibility), indent: 4);
                    count++;
                    if (page.Entry.IsPresent) present++;
                    if (page.InObject != ObjectPageState.None) shared++;
                }
            }
        }
        output.WriteParagraph($"# {count} pages listed, {present} present" + (shared > 0 ? $", {shared} held by a shared-memory object where the page table maps none" : ""));
    }

    /// <summary>"# class  maps line" above a VMA's pages; on a narrow terminal broken between fields, the path shortened as a table shortens it.</summary>
    private static void Heading(TextOutput output, LineBuffer line, ClassifiedVma vma)
    {
        var heading = line.Clear().Append("# ").Append(vma.Class.ToString()).Append("  ").MapsLine(vma.Vma).Span;
        // A name's newline must show as \n here, not break the line (the writer under it keeps line breaks).
        string? escaped = TerminalText.NeedsEscape(heading) ? TerminalText.Escape(heading.ToString()) : null;
        if (output.Layout.Width is not { } width || (escaped?.Length ?? heading.Length) <= width)
        {
            if (escaped is null) output.WriteLine(heading);
            else output.WriteLine(escaped);
            return;
        }
        string path = TerminalText.Escape(vma.Vma.Path), text = escaped ?? heading.ToString();
        if (path.Length > 0 && text.EndsWith(path, StringComparison.Ordinal))
            text = text[..^path.Length] + CellShortening.Shorten(path, width - 2, ColumnKind.Path);
        output.WriteParagraph(text, indent: 2);
    }
}
