using System.CommandLine;

namespace PageAtlas.Cli.Help;

/// <summary>What a shell may offer for a value: nothing known, a fixed set of words, a running process, or a file.</summary>
internal enum ValueKind { Words, Pid, File }

/// <summary>What a value (an option's or a positional's) completes to.</summary>
internal sealed record CompletedValue(ValueKind Kind, IReadOnlyList<string> Words)
{
    /// <summary>
    /// A fixed set (--format, --sort, a lab's name), a live process (pids from /proc), else a file: what a
    /// shell offers by default, and right for snapshot and output files.
    /// </summary>
    public static CompletedValue Of(Symbol symbol) =>
        CommandTree.IsPid(symbol) ? new(ValueKind.Pid, [])
        : CommandTree.Values(symbol) is { Count: > 0 } words ? new(ValueKind.Words, words)
        : new(ValueKind.File, []);

    /// <summary>How the bash and zsh scripts name it: "pid", "file", or the words themselves.</summary>
    public string Script() => Kind switch
    {
        ValueKind.Pid => "pid",
        ValueKind.File => "file",
        _ => string.Join(' ', Words),
    };
}

/// <summary>An option as completion offers it: its names, what it does, and its value (null for a switch).</summary>
internal sealed record CompletedOption(IReadOnlyList<string> Names, string Description, CompletedValue? Value);

/// <summary>
/// A command as completion sees it, read from the command tree: its options, and what its positionals
/// complete to in order (the last one repeating when it takes many); the root's one positional is its
/// subcommands.
/// </summary>
internal sealed record CompletedCommand(string Name, string Description, IReadOnlyList<CompletedOption> Options, IReadOnlyList<CompletedValue> Positionals, bool LastRepeats)
{
    /// <summary>The root (Name "") and then every command a person sees.</summary>
    public static IReadOnlyList<CompletedCommand> All(Command root) =>
        [Of(root, "", [new CompletedValue(ValueKind.Words, [.. CommandTree.Subcommands(root).Select(c => c.Name)])], false),
         .. CommandTree.Subcommands(root).Select(c => Of(c, c.Name, [.. c.Arguments.Where(a => !a.Hidden).Select(CompletedValue.Of)], c.Arguments.LastOrDefault()?.Arity.MaximumNumberOfValues > 1))];

    /// <summary>A description short enough for a completion menu: the question a command answers, or its first 60 characters.</summary>
    public static string Short(string? description)
    {
        string text = description ?? "";
        int question = text.IndexOf('?');
        if (question > 0 && question < 80) return text[..(question + 1)];
        return text.Length <= 60 ? text : text[..57].TrimEnd() + "...";
    }

    private static CompletedCommand Of(Command command, string name, IReadOnlyList<CompletedValue> positionals, bool lastRepeats) =>
        new(name, Short(command.Description),
            [.. CommandTree.Options(command).Select(o => new CompletedOption([.. CommandTree.Names(o).Where(n => n != "-?")], Short(o.Description), CommandTree.TakesValue(o) ? CompletedValue.Of(o) : null))],
            positionals, lastRepeats);
}
