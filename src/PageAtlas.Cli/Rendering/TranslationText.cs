using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;

namespace PageAtlas.Cli.Rendering;

/// <summary>translate's text: a line per page (or per run outside every VMA).</summary>
internal static class TranslationText
{
    public static void Write(CliConsole console, IMemoryTarget target, List<AddressRange> ranges)
    {
        if (target.Visibility.Reason is { } reason) console.Warn(reason);
        using var output = console.OpenText(LayoutOptions.Default(console));
        foreach (var range in ranges)
        {
            foreach (var row in AddressTranslation.Translate(target, range))
            {
                if (row.State == PageState.Unmapped)
                {
                    output.WriteParagraph($"VA 0x{row.Address:x12} -> outside every VMA{(row.Pages > 1 ? $" ({row.Pages} pages)" : "")}");
                    continue;
                }
                output.WriteParagraph($"{PageText.Line(row.Address, row.Page, row.PhysicalAddress ?? 0, target.Visibility)}  {TerminalText.Escape(row.Vma!.Class.ToString())}", indent: 4);
            }
        }
    }
}
