using PageAtlas.Output;

namespace PageAtlas.Cli;

/// <summary>
/// Where a command's document goes: stdout, or the file -o names, written as <see cref="OutputFile"/>
/// says (a regular file replaced whole, a device or FIFO written into, a symbolic link refused).
/// </summary>
internal static class OutputTarget
{
    /// <summary>What -o says about the rules, for --help.</summary>
    public const string Rules = "a file is replaced whole, new ones readable by their owner only; '-' is stdout; a device or FIFO is written into; a symbolic link is refused";

    /// <summary>Runs <paramref name="write"/> on stdout (<paramref name="path"/> null or "-") or on the file.</summary>
    public static void Write(CliConsole console, string? path, Action<Stream> write)
    {
        if (path is null or "-")
        {
            using var stdout = console.OpenOutput();
            write(stdout);
            return;
        }
        OutputFile.Write(path, write);
    }
}
