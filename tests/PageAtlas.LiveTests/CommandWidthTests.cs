using System.Globalization;
using System.Text.RegularExpressions;
using PageAtlas.Labs;

namespace PageAtlas.LiveTests;

/// <summary>
/// Every command with a table or long lines, run on a real specimen under a real pseudo-terminal
/// (script(1), stty) 80, 120 and 200 columns wide: no line wider than the terminal, and the figures
/// that must stay whole (each VMA's start, the walked address and its frame) are whole.
/// </summary>
public partial class CommandWidthTests
{
    [GeneratedRegex(@"\e\[[0-9;?]*[A-Za-z]")]
    private static partial Regex TerminalCode();

    [SkippableTheory]
    [InlineData(80)]
    [InlineData(120)]
    [InlineData(200)]
    public void EveryCommandFitsTheTerminal(int columns)
    {
        using var specimen = Specimen.Start("--small-maps", "30", "--threads", "2");
        using var pair = SpecimenProcess.Start("forkpair");
        string pid = specimen.Pid.ToString(CultureInfo.InvariantCulture), heap = $"0x{specimen["heap"] & ~4095UL:x}";
        string pfn = $"0x{PagemapFile.FrameOf(specimen.Pid, specimen["heap"] & ~4095UL):x}";
        string[][] commands =
        [
            ["maps", pid], ["composition", pid, "--vmas"], ["pages", pid, "--range", $"{heap}+16K"], ["translate", pid, $"{heap}+16K"],
            ["walk", pid, heap], ["pagetable", pid], ["frames"], ["frame", pfn], ["physmap"], ["ps", "--name", "layout"],
            ["share", pair.Pid.ToString(CultureInfo.InvariantCulture), pair.Value("child").ToString(CultureInfo.InvariantCulture)],
            ["peek", pid, heap, "64"], ["lab"],
        ];
        foreach (var args in commands)
        {
            string text = Terminal(columns, args);
            string? wide = text.Split('\n').FirstOrDefault(l => l.Length > columns);
            Assert.True(wide is null, $"{string.Join(' ', args)} at {columns} columns: a line of {wide?.Length}: {wide}");
            if (args[0] == "maps")
                foreach (string line in File.ReadAllLines($"/proc/{pid}/maps"))
                    Assert.Contains(line[..line.IndexOf('-', StringComparison.Ordinal)], text, StringComparison.Ordinal);
            if (args[0] == "walk") Assert.Contains(pfn, text, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// pageatlas ARGS on a pseudo-terminal <paramref name="columns"/> wide: its text as the terminal
    /// shows it (a progress line overwritten in place: <see cref="TerminalScreen"/>), without colour codes.
    /// </summary>
    private static string Terminal(int columns, string[] args)
    {
        string command = $"stty cols {columns} rows 50; dotnet {CliErrorTests.CliDll} {string.Join(' ', args)}";
        var (code, output, err) = CliProcess.Run(["script", "-qfec", command, "/dev/null"], null,
            new Dictionary<string, string?> { ["COLUMNS"] = null });
        Assert.True(code == 0, $"{string.Join(' ', args)}: exit {code}\n{output}\n{err}");
        return TerminalScreen.Shown(TerminalCode().Replace(output, ""));
    }
}
