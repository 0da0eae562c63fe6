using PageAtlas.Rendering;
using Spectre.Console;

namespace PageAtlas.Cli;

/// <summary>The console for human-readable output: wide when piped, so tables do not wrap in files.</summary>
internal static class HumanOutput
{
    public static IAnsiConsole Create()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Out),
            Ansi = Console.IsOutputRedirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = Console.IsOutputRedirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        });
        if (Console.IsOutputRedirected) console.Profile.Width = 400;
        return console;
    }

    /// <summary>"4.0 KiB", "1.5 GiB".</summary>
    public static string Bytes(ulong bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? $"{bytes} B" : $"{value:0.#} {units[unit]}";
    }

    /// <summary>Prints a warning line on stderr (used for missing privileges: the output goes on).</summary>
    public static void Warn(string message) => Console.Error.WriteLine($"pageatlas: warning: {message}");

    /// <summary>Prints a note on stderr: how PageAtlas read what was asked (the output goes on).</summary>
    public static void Note(string message) => Console.Error.WriteLine($"pageatlas: note: {TerminalText.Escape(message)}");
}
