using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;
using System.Globalization;

namespace PageAtlas.Cli.Rendering;

/// <summary>watch's text: a line per sample and one per VMA that changed; the first sample a line per segment class unless every VMA is asked for.</summary>
internal static class TimelineText
{
    /// <param name="width">The terminal's width, at which a VMA's line goes on below, indented (null: one line each).</param>
    public static void Write(TextWriter writer, TimelineSample s, bool everyVma, int? width)
    {
        writer.WriteLine(Header(s));
        if (s.Sequence == 0 && !everyVma)
        {
            foreach (var t in SegmentKindTotal.Of(s.Changes))
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"    {new SegmentClass(t.Kind).KindName,-16} {t.Vmas,5} VMA(s)  virtual {HumanOutput.Bytes(t.VirtualBytes),5}  present {t.Present}"));
            return;
        }
        foreach (var c in s.Changes)
        {
            if (s.Sequence == 0 && c.Present == 0) continue;
            string line = VmaLine(c, width);
            foreach (var part in width is { } w ? Paragraph.Lines(line, w, indent: 8) : [line]) writer.WriteLine(part);
        }
    }

    /// <summary>The sample's one-line summary.</summary>
    public static string Header(TimelineSample s) => string.Create(CultureInfo.InvariantCulture,
        $"[{s.Time:HH:mm:ss.fff}] #{s.Sequence}  virtual {HumanOutput.Bytes(s.VirtualBytes)}  present {s.Present} pages (+{s.BecamePresent} -{s.Left})  brk 0x{s.Break:x}");

    /// <summary>
    /// One VMA's change, escaped for a terminal. With a <paramref name="width"/>, a path that would not
    /// fit even on a line of its own (the line breaks between words, continuing 8 columns in) is
    /// shortened as tables shorten paths, keeping its file name.
    /// </summary>
    public static string VmaLine(VmaChange c, int? width = null)
    {
        string change = c.Change != VmaChangeKind.None ? $" {VmaChangeWords.Watch(c.Change)}" : "";
        string maps = c.Vma.Vma.ToMapsLine(), path = c.Vma.Vma.Path;
        if (width is { } w && path.Length > w - 8 && maps.EndsWith(path, StringComparison.Ordinal))
            maps = maps[..^path.Length] + CellShortening.Shorten(path, Math.Max(w - 8, 16), ColumnKind.Path);
        return TerminalText.Escape($"    {c.Vma.Class,-28} {maps}{change}  present {c.Present} (+{c.BecamePresent} -{c.Left})");
    }
}
