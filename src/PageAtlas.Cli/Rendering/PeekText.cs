using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;

namespace PageAtlas.Cli.Rendering;

/// <summary>peek's text: the bytes read as a hex dump (and as the shape asked for), with each page's frame.</summary>
internal static class PeekText
{
    public static void Write(CliConsole console, PeekReport report, IMemoryTarget target, string? shape)
    {
        if (target.Visibility.Reason is { } reason) console.Warn(reason);
        console.Out.WriteLine($"pid {target.Pid} ({TerminalText.Escape(target.Facts.Name)}): {report.Bytes.Length} bytes at 0x{report.Address:x}");
        Pages(console, report.Pages, target.Visibility, "");
        foreach (var line in HexDump.Lines(report.Address, report.Bytes)) console.Out.WriteLine(line);
        if (shape is not null) console.Out.WriteLine($"as {shape}: {HexDump.Interpret(report.Bytes, shape)}");
    }

    /// <summary>One line per page: its class and frame, as translate prints it.</summary>
    public static void Pages(CliConsole console, IReadOnlyList<PageTranslation> pages, FrameVisibility visibility, string label)
    {
        foreach (var page in pages)
            console.Out.WriteLine($"{label}{PageText.Line(page.Address, page.Page, page.PhysicalAddress ?? 0, visibility)}  {TerminalText.Escape(page.Vma!.Class.ToString())}");
    }
}
