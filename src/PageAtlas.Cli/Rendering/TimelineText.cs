using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;
using System.Globalization;

namespace PageAtlas.Cli.Rendering;

/// <summary>watch's text: a line per sample and one per VMA that changed.</summary>
internal static class TimelineText
{
    public static void Write(TextWriter writer, TimelineSample s)
    {
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[{s.Time:HH:mm:ss.fff}] #{s.Sequence}  virtual {HumanOutput.Bytes(s.VirtualBytes)}  present {s.Present} pages (+{s.BecamePresent} -{s.Left})  brk 0x{s.Break:x}"));
        foreach (var c in s.Changes)
        {
            if (s.Sequence == 0 && c.Present == 0) continue;
            string change = c.Change != VmaChangeKind.None ? $" {VmaChangeWords.Watch(c.Change)}" : "";
            writer.WriteLine(TerminalText.Escape($"    {c.Vma.Class,-28} {c.Vma.Vma.ToMapsLine()}{change}  present {c.Present} (+{c.BecamePresent} -{c.Left})"));
        }
    }
}
