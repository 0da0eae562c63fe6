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
        using var output = console.OpenText();
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
                    var heading = line.Clear().Append("# ").Append(current.Class.ToString()).Append("  ").MapsLine(current.Vma).Span;
                    // A name's newline must show as \n here, not break the line (the writer under it keeps line breaks).
                    if (TerminalText.NeedsEscape(heading)) output.WriteLine(TerminalText.Escape(heading.ToString()));
                    else output.WriteLine(heading);
                }
                foreach (var page in batch.Pages.Span)
                {
                    output.WriteLine(PageText.Write(page.Address, page, page.PhysicalAddress(target.Machine.PageSize), target.Visibility));
                    count++;
                    if (page.Entry.IsPresent) present++;
                    if (page.InObject != ObjectPageState.None) shared++;
                }
            }
        }
        output.WriteLine($"# {count} pages listed, {present} present" + (shared > 0 ? $", {shared} held by a shared-memory object where the page table maps none" : ""));
    }
}
