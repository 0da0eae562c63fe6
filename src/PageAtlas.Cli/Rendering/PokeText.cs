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
        console.Out.WriteLine($"pid {report.Pid} ({TerminalText.Escape(target.Facts.Name)}): wrote {report.Written.Length} bytes at 0x{report.Address:x}");
        console.Out.WriteLine("before:");
        foreach (var line in HexDump.Lines(report.Address, report.Before)) console.Out.WriteLine("  " + line);
        console.Out.WriteLine("after:");
        foreach (var line in HexDump.Lines(report.Address, report.After)) console.Out.WriteLine("  " + line);
        PeekText.Pages(console, report.PagesBefore, target.Visibility, "frame before: ");
        PeekText.Pages(console, report.PagesAfter, target.Visibility, "frame after:  ");
        foreach (var (before, after) in report.CopiedPages)
            console.Out.WriteLine($"page 0x{before.Address & ~4095UL:x}: the write gave the process its own copy (PFN 0x{before.Page.Entry.Pfn:x} -> 0x{after.Page.Entry.Pfn:x}, copy-on-write)");
    }
}
