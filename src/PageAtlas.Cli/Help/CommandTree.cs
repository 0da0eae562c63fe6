using System.CommandLine;
using System.CommandLine.Completions;

namespace PageAtlas.Cli.Help;

/// <summary>
/// What help, the man page and the completion scripts read from the command tree: the commands and
/// options a person sees (hidden ones left out), the values an option or argument takes when they are
/// a fixed set, and which take a process.
/// </summary>
internal static class CommandTree
{
    /// <summary>The commands under <paramref name="command"/> a person sees.</summary>
    public static IEnumerable<Command> Subcommands(Command command) => command.Subcommands.Where(c => !c.Hidden);

    /// <summary>The options <paramref name="command"/> takes: its own, then those its ancestors give every command below them (--verbose, --help).</summary>
    public static IEnumerable<Option> Options(Command command)
    {
        var seen = new HashSet<Option>();
        foreach (var option in command.Options.Where(o => !o.Hidden)) if (seen.Add(option)) yield return option;
        for (var parent = command.Parents.OfType<Command>().FirstOrDefault(); parent is not null; parent = parent.Parents.OfType<Command>().FirstOrDefault())
            foreach (var option in parent.Options.Where(o => o.Recursive && !o.Hidden)) if (seen.Add(option)) yield return option;
    }

    /// <summary>An option's names, the short one first: "-p", "--pid".</summary>
    public static IEnumerable<string> Names(Option option) =>
        new[] { option.Name }.Concat(option.Aliases).Distinct().Where(n => !n.StartsWith('/')).OrderBy(n => n.StartsWith("--", StringComparison.Ordinal) ? 1 : 0).ThenBy(n => n.Length);

    /// <summary>Whether the option takes a value (not a switch).</summary>
    public static bool TakesValue(Option option) => option.Arity.MaximumNumberOfValues > 0 && option.ValueType != typeof(bool);

    /// <summary>The values <paramref name="symbol"/> takes when they are a fixed set (--format, --sort, a lab's name), else none.</summary>
    public static IReadOnlyList<string> Values(Symbol symbol)
    {
        if ((symbol is Option option && !TakesValue(option)) || IsPid(symbol)) return [];
        var completions = symbol switch
        {
            Option o => o.GetCompletions(CompletionContext.Empty),
            Argument argument => argument.GetCompletions(CompletionContext.Empty),
            _ => [],
        };
        return [.. completions.Select(c => c.Label)];
    }

    /// <summary>Whether <paramref name="symbol"/> names a live process (a pid or a name): completed from /proc.</summary>
    public static bool IsPid(Symbol symbol) => symbol switch
    {
        Option option => option.ValueType == typeof(ProcessRef?) || option.ValueType == typeof(ProcessRef[]),
        Argument argument => argument.ValueType == typeof(ProcessRef?) || argument.ValueType == typeof(ProcessRef[]),
        _ => false,
    };

    /// <summary>The command's names from the root: "pageatlas", "peek".</summary>
    public static IEnumerable<string> Path(Command command)
    {
        var names = new Stack<string>();
        for (Command? c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault()) names.Push(c.Name);
        return names;
    }
}
