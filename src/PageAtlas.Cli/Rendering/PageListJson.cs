using PageAtlas.Analysis;
using PageAtlas.Model;
using PageAtlas.Rendering;

namespace PageAtlas.Cli.Rendering;

/// <summary>pages's JSON lines: a header object, then one object per page, streamed (docs/json.md).</summary>
internal static class PageListJson
{
    public static void Write(CliConsole console, IMemoryTarget target, List<AddressRange> selected, PageReadOptions options)
    {
        using var lines = JsonLines.Open(console, "pages", target);
        foreach (var range in selected)
        {
            foreach (var batch in SharedMemoryPages.Read(target, range.Start, range.End, options))
            {
                foreach (var page in batch.Pages.Span)
                {
                    var writer = lines.Next();
                    writer.WriteStartObject();
                    JsonRecords.WriteHex(writer, "address", page.Address);
                    JsonRecords.WritePageFields(writer, page, target.Machine.PageSize, target.Visibility);
                    JsonRecords.WriteHex(writer, "vmaStart", batch.Vma.Vma.Start);
                    JsonRecords.WriteClass(writer, batch.Vma.Class);
                    writer.WriteEndObject();
                    lines.EndLine();
                }
            }
        }
    }
}
