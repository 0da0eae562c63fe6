using PageAtlas.Cli;
using PageAtlas.Cli.Help;

namespace PageAtlas.Tests.Cli;

/// <summary>
/// README's table of commands keeps up with the command tree: every option a command takes is named
/// in that command's row, or in README where it is explained for every command that takes it
/// (`--json`, `-p/--pid`, `--snapshot FILE`…), by one of its names.
/// </summary>
public sealed class ReadmeOptionsTests
{
    private static readonly string s_readme = Read();

    private static string Read()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string path = Path.Combine(directory.FullName, "README.md");
            if (File.Exists(path) && File.Exists(Path.Combine(directory.FullName, "PageAtlas.slnx"))) return File.ReadAllText(path);
        }
        throw new FileNotFoundException("README.md above the test binary");
    }

    public static TheoryData<string> Commands() =>
        [.. CommandTree.Subcommands(CommandLine.Create(CliConsole.Captured(() => Stream.Null, TextWriter.Null, TextWriter.Null, 80))).Select(c => c.Name)];

    /// <summary>Before: serve's row named neither --token-file nor --allow-host, which it took.</summary>
    [Theory]
    [MemberData(nameof(Commands))]
    public void EveryOptionIsInItsRowOrExplainedForAll(string name)
    {
        var command = CommandTree.Subcommands(CommandLine.Create(CliConsole.Captured(() => Stream.Null, TextWriter.Null, TextWriter.Null, 80))).Single(c => c.Name == name);
        string row = string.Join('\n', s_readme.Split('\n').Where(l => l.StartsWith($"| `pageatlas {name} ", StringComparison.Ordinal) || l.StartsWith($"| `pageatlas {name}`", StringComparison.Ordinal)));
        Assert.NotEqual("", row);
        var missing = command.Options.Where(o => !o.Hidden)
            .Where(o => !CommandTree.Names(o).Any(n => row.Contains(n, StringComparison.Ordinal) || s_readme.Contains($"`{n}", StringComparison.Ordinal)))
            .Select(o => o.Name);
        Assert.Empty(missing);
    }
}
