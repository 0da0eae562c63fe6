using System.CommandLine;
using PageAtlas.Cli;
using PageAtlas.Cli.Help;

namespace PageAtlas.Tests.Cli;

/// <summary>
/// One option name, one meaning: across the whole command tree each option name is a switch
/// everywhere or takes a value of one type everywhere. Before: `--top` was a switch on watch
/// (redraw) and took a number on exporter (the N largest processes), and `--snapshot FILE` read a
/// snapshot in every command but lab, where it wrote (replaced) the file.
/// </summary>
public sealed class OptionMeaningTests
{
    /// <summary>
    /// Names whose value is typed differently on different commands, each with the reason. Both are
    /// still values meaning the same thing. (serve's `--snapshot FILE…` is not here: it takes several
    /// files, but each is a snapshot to read, as elsewhere.)
    /// </summary>
    private static readonly HashSet<string> s_allowedToDiffer =
    [
        // The process to look at: a pid or a process name everywhere, but on diff a pid number only,
        // the same in both snapshots (a name would have to be matched in two files). Still a value naming one process.
        "-p", "--pid",
    ];

    [Fact]
    public void EachOptionNameIsASwitchEverywhereOrAValueOfOneTypeEverywhere()
    {
        var root = CommandLine.Create(CliConsole.Captured(() => Stream.Null, TextWriter.Null, TextWriter.Null, 80));
        var uses = All(root)
            .SelectMany(command => CommandTree.Options(command).SelectMany(option => CommandTree.Names(option).Select(name => (name, command, kind: Kind(option)))))
            .Where(use => !s_allowedToDiffer.Contains(use.name));
        var differing = uses.GroupBy(use => use.name)
            .Where(group => group.Select(use => use.kind).Distinct().Count() > 1)
            .Select(group => $"{group.Key}: " + string.Join("; ", group.GroupBy(use => use.kind).Select(kind => $"{kind.Key} on {string.Join(", ", kind.Select(use => use.command.Name))}")));
        Assert.True(!differing.Any(), string.Join("\n", differing));
    }

    /// <summary>The old spellings are gone, not kept as aliases (an alias keeps the ambiguity): one line, exit 2, nothing written.</summary>
    [Theory]
    [InlineData("lab", "fork-cow", "--snapshot")]
    [InlineData("exporter", "--top", "5")]
    public void TheOldNamesAreUnknownOptions(params string[] args)
    {
        string file = Path.Combine(Path.GetTempPath(), $"pageatlas-old-name-{Guid.NewGuid():n}");
        var run = InProcessCli.Run(args[^1] == "--snapshot" ? [.. args, file] : args);
        Assert.Equal(2, run.Code);
        Assert.StartsWith($"pageatlas: unknown option '{args.First(a => a.StartsWith("--", StringComparison.Ordinal))}'", run.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(file));
    }

    /// <summary>The check itself tells a switch from a number of the same name (the case --top was).</summary>
    [Fact]
    public void ASwitchAndANumberAreTwoKinds()
    {
        Assert.NotEqual(Kind(new Option<bool>("--top")), Kind(new Option<int?>("--top")));
        Assert.Equal(Kind(new Option<string?>("--snapshot")), Kind(new Option<string[]>("--snapshot")));
    }

    /// <summary>"switch", or "value of T" (T without Nullable and without the array several values make).</summary>
    private static string Kind(Option option)
    {
        if (!CommandTree.TakesValue(option)) return "switch";
        var type = option.ValueType;
        type = type.IsArray ? type.GetElementType()! : type;
        type = Nullable.GetUnderlyingType(type) ?? type;
        return $"value of {type.Name}";
    }

    private static IEnumerable<Command> All(Command command) => command.Subcommands.SelectMany(All).Prepend(command);
}
