using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace PageAtlas.Cli.Rendering;

/// <summary>poke's text: the bytes and frames before and after the write.</summary>
internal static class PokeText
{
    public static void Write(CliConsole console, PokeReport report, IMemoryTarget target)
    {
        if (target.Visibility.Reason is { } reason) console.Warn(reason);
        using var output = console.OpenText(LayoutOptions.Default(console));
        // The dump is indented by two: its lines of 16 bytes need two columns more.
        int? dumpWidth = output.Layout.Width - 2;
        output.WriteParagraph($"pid {report.Pid} ({TerminalText.Escape(target.Facts.Name)}): wrote {report.Written.Length} bytes at 0x{report.Address:x}");
        output.WriteParagraph("before:");
        foreach (var line in HexDump.Lines(report.Address, report.Before, dumpWidth)) output.WriteLine("  " + line);
        output.WriteParagraph("after:");
        foreach (var line in HexDump.Lines(report.Address, report.After, dumpWidth)) output.WriteLine("  " + line);
        PeekText.Pages(output, report.PagesBefore, target.Visibility, "frame before: ");
        PeekText.Pages(output, report.PagesAfter, target.Visibility, "frame after:  ");
        foreach (var (before, after) in report.CopiedPages)
            output.WriteParagraph($"page 0x{before.Address & ~4095UL:x}: the write gave the process its own copy (PFN 0x{before.Page.Entry.Pfn:x} -> 0x{after.Page.Entry.Pfn:x}, copy-on-write)");
    }
}
