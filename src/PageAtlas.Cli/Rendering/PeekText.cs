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
        using var output = console.OpenText(LayoutOptions.Default(console));
        output.WriteParagraph($"pid {target.Pid} ({TerminalText.Escape(target.Facts.Name)}): {report.Bytes.Length} bytes at 0x{report.Address:x}");
        Pages(output, report.Pages, target.Visibility, "");
        foreach (var line in HexDump.Lines(report.Address, report.Bytes, output.Layout.Width)) output.WriteLine(line);
        if (shape is not null) output.WriteParagraph($"as {shape}: {HexDump.Interpret(report.Bytes, shape)}", indent: 4);
    }

    /// <summary>One line per page: its class and frame, as translate prints it.</summary>
    public static void Pages(TextOutput output, IReadOnlyList<PageTranslation> pages, FrameVisibility visibility, string label)
    {
        foreach (var page in pages)
            output.WriteParagraph($"{label}{PageText.Line(page.Address, page.Page, page.PhysicalAddress ?? 0, visibility)}  {TerminalText.Escape(page.Vma!.Class.ToString())}", indent: 4);
    }
}
