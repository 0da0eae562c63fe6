using PageAtlas.Model;
using PageAtlas.Rendering;

namespace PageAtlas.Cli;

/// <summary>
/// Colour for text on a terminal: only when stdout is one and NO_COLOR is not set, to any value, even
/// empty (https://no-color.org asks only non-empty values to count; a user who sets it at all means it),
/// never into a file or a pipe. The library names a style;
/// the ANSI codes live here. One palette for the page-table picture and the listings' class columns.
/// </summary>
/// <remarks>
/// No --color option: colour follows where the output goes (a terminal, or not) and NO_COLOR, which
/// covers turning it off; forcing it into a pipe (less -R) is the one case left, and a switch every
/// table command would carry for it is more to learn than it gives.
/// </remarks>
internal static class TerminalColours
{
    /// <summary>Back to the terminal's own colour.</summary>
    public const string Reset = "\e[0m";

    /// <summary>A claim that holds (lab, maptest): green.</summary>
    public const string Holds = "\e[32m";

    /// <summary>A claim that fails: bold red.</summary>
    public const string Fails = "\e[1;31m";

    /// <summary>
    /// Whether text written to <paramref name="outputPath"/> (null or "-" is <paramref name="console"/>'s
    /// standard output) may carry colour: asked of the console the command runs on, not of the
    /// process's own, so a captured console (a test, another host) gets none.
    /// </summary>
    public static bool Wanted(CliConsole console, string? outputPath) =>
        outputPath is null or "-" && !console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null;

    /// <summary>A style setter that writes ANSI codes straight to <paramref name="raw"/>, past the escaping writer.</summary>
    public static Action<PageTableStyle?> Writer(TextWriter raw) => style => raw.Write(style is { } s ? Code(s) : Reset);

    /// <summary>The colour of a segment class in a listing: its pages' colour in the page-table picture.</summary>
    public static string? Of(SegmentClass segment) => PageTableStyles.OfKind(segment.Kind) is var style && style != PageTableStyle.Other ? Code(style) : null;

    /// <summary>
    /// The colour of a kind of frame in physmap: the palette of the classes whose pages they hold
    /// (anonymous, file, shared memory; hugetlbfs as huge leaves), the kernel's own kinds apart, free dim.
    /// </summary>
    public static string? Of(FrameKind kind) => kind switch
    {
        FrameKind.Anonymous => Code(PageTableStyle.Anonymous),
        FrameKind.File => Code(PageTableStyle.File),
        FrameKind.Shmem => Code(PageTableStyle.Shared),
        FrameKind.Hugetlb => Code(PageTableStyle.HugeLeaf),
        FrameKind.Slab or FrameKind.PageTable or FrameKind.Unflagged => "\e[34m",
        FrameKind.Reserved => "\e[31m",
        FrameKind.Free or FrameKind.Uninitialised => "\e[2m",
        _ => null,
    };

    /// <summary>The ANSI code of <paramref name="style"/>.</summary>
    public static string Code(PageTableStyle style) => style switch
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
        _ => Reset,
    };
}
