using PageAtlas.Analysis;
using PageAtlas.Model;
using PageAtlas.Rendering;

namespace PageAtlas.Cli.Rendering;

/// <summary>translate's JSON lines: a header object, then one row per page (<see cref="TranslationJson"/>), streamed.</summary>
internal static class TranslationListJson
{
    public static void Write(CliConsole console, IMemoryTarget target, List<AddressRange> ranges)
    {
        using var lines = JsonLines.Open(console, "translate", target);
        foreach (var range in ranges)
        {
            foreach (var row in AddressTranslation.Translate(target, range))
            {
                TranslationJson.WriteRow(lines.Next(), row, target.Visibility);
                lines.EndLine();
            }
        }
    }
}
