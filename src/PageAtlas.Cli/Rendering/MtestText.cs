using PageAtlas.Analysis;
using PageAtlas.Rendering;

namespace PageAtlas.Cli.Rendering;

/// <summary>mtest's answer lines, one per command, in seed 002's shape: addresses and bytes in hexadecimal, the pid in decimal.</summary>
internal static class MtestText
{
    /// <summary>"r PID ADDR = 0xBB": the byte an r command read.</summary>
    public static string Read(PeekReport report) => $"r {report.Pid} {report.Address:x} = 0x{report.Bytes[0]:x2}";

    /// <summary>"w PID ADDR = 0xNEW (was 0xOLD)", noting when the kernel copied the page to a new frame (copy on write).</summary>
    public static string Written(PokeReport report)
    {
        string copied = report.CopiedPages.Any() ? ", page copied to a new frame" : "";
        return $"w {report.Pid} {report.Address:x} = 0x{report.After[0]:x2} (was 0x{report.Before[0]:x2}{copied})";
    }

    /// <summary>"error: …": why a command was not answered (the input goes on).</summary>
    public static string Error(PageAtlasException error) => $"error: {TerminalText.Escape(error.Message)}";
}
