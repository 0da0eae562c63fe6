using PageAtlas.Rendering;

namespace PageAtlas.Cli;

/// <summary>
/// Colour for text on a terminal: only when stdout is one and NO_COLOR is not set (https://no-color.org:
/// any non-empty value turns colour off), never into a file or a pipe. The library names a style;
/// the ANSI codes live here.
/// </summary>
internal static class TerminalColours
{
    /// <summary>
    /// Whether text written to <paramref name="outputPath"/> (null or "-" is <paramref name="console"/>'s
    /// standard output) may carry colour: asked of the console the command runs on, not of the
    /// process's own, so a captured console (a test, another host) gets none.
    /// </summary>
    public static bool Wanted(CliConsole console, string? outputPath) =>
        outputPath is null or "-" && !console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));

    /// <summary>A style setter that writes ANSI codes straight to <paramref name="raw"/>, past the escaping writer.</summary>
    public static Action<PageTableStyle?> Writer(TextWriter raw) => style => raw.Write(style is { } s ? Code(s) : "\e[0m");

    private static string Code(PageTableStyle style) => style switch
    {
        PageTableStyle.Code => "\e[31m",
        PageTableStyle.Data => "\e[33m",
        PageTableStyle.Heap => "\e[32m",
        PageTableStyle.Stack => "\e[34m",
        PageTableStyle.Anonymous => "\e[35m",
        PageTableStyle.File => "\e[36m",
        PageTableStyle.Shared => "\e[96m",
        PageTableStyle.HugeLeaf => "\e[1;93m",
        PageTableStyle.ZeroPage or PageTableStyle.NotPresent => "\e[2m",
        _ => "\e[0m",
    };
}
