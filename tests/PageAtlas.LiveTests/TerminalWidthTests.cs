using System.Diagnostics;
using System.Text.RegularExpressions;

namespace PageAtlas.LiveTests;

/// <summary>
/// maps of a real python3 (150-odd VMAs, library paths longer than a column) under a real
/// pseudo-terminal 80 columns wide (script(1), stty): no line wider than the terminal, every VMA's
/// start whole and equal to /proc/PID/maps's, the hidden columns named, classes coloured; with
/// NO_COLOR and in a pipe, no colour and every path whole.
/// </summary>
public partial class TerminalWidthTests
{
    [GeneratedRegex(@"\e\[[0-9;]*m")]
    private static partial Regex ColourCode();

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex ColumnGap();

    [SkippableFact]
    public void MapsOfPythonFitsAnEightyColumnTerminal()
    {
        var python = StartPython();
        try
        {
            Check(python.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        finally
        {
            python.StandardInput.Close(); // input() ends, and python3 with it
            if (!python.WaitForExit(5000)) python.Kill();
            python.Dispose();
        }
    }

    private static void Check(string pid)
    {
        string[] maps = File.ReadAllLines($"/proc/{pid}/maps");
        Assert.True(maps.Length >= 100, $"python3 has {maps.Length} VMAs");

        string onTerminal = Terminal(80, pid, noColour: null);
        string[] lines = ColourCode().Replace(onTerminal, "").Split('\n');
        string? wide = lines.FirstOrDefault(l => l.Length > 80);
        Assert.True(wide is null, $"a line of {wide?.Length} characters at 80 columns: {wide}");
        // Classes coloured (lib-code red, as in the page-table picture), and widths unmoved by the codes.
        Assert.Contains("\e[31mlib-code", onTerminal, StringComparison.Ordinal);
        int rule = Array.FindIndex(lines, l => l.StartsWith('─'));
        var rows = lines.Skip(rule + 1).TakeWhile(l => l.Length > 0).ToList();
        // Every VMA's start whole, in /proc's order: a cut address would not be one of them.
        Assert.Equal(maps.Select(l => l[..l.IndexOf('-', StringComparison.Ordinal)]), rows.Select(r => ColumnGap().Split(r.Trim())[0]));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^\d+ columns? hidden \("));

        string noColour = Terminal(80, pid, noColour: "1");
        Assert.DoesNotContain('\e', noColour);
        Assert.Equal(ColourCode().Replace(onTerminal, ""), noColour);

        var (code, piped, err) = CliErrorTests.Run(["maps", pid]);
        Assert.True(code == 0, err);
        Assert.DoesNotContain('\e', piped);
        Assert.DoesNotContain(piped.Split('\n'), l => l.EndsWith(' '));
        Assert.DoesNotContain("hidden", piped, StringComparison.Ordinal);
        foreach (string path in maps.Select(l => l.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries)).Where(f => f.Length == 6 && f[5].StartsWith('/')).Select(f => f[5].Trim()))
            Assert.Contains(path, piped, StringComparison.Ordinal);
    }

    /// <summary>pageatlas maps PID on a pseudo-terminal <paramref name="columns"/> wide; its output as the terminal shows it (<see cref="TerminalScreen"/>).</summary>
    private static string Terminal(int columns, string pid, string? noColour)
    {
        string command = $"stty cols {columns}; dotnet {CliErrorTests.CliDll} maps {pid}";
        var (code, output, err) = CliProcess.Run(["script", "-qfec", command, "/dev/null"], null,
            new Dictionary<string, string?> { ["NO_COLOR"] = noColour, ["COLUMNS"] = null });
        Assert.True(code == 0, $"{output}\n{err}");
        return TerminalScreen.Shown(output);
    }

    /// <summary>python3 with a few extension modules loaded, waiting on its standard input.</summary>
    private static Process StartPython()
    {
        var info = new ProcessStartInfo("python3") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "-c", "import ssl, json, decimal, sqlite3, ctypes; print('ready', flush=True); input()" }) info.ArgumentList.Add(a);
        Process python;
        try
        {
            python = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new SkipException("no python3 on this machine");
        }
        Assert.Equal("ready", python.StandardOutput.ReadLine());
        return python;
    }
}
