using System.CommandLine;
using System.CommandLine.Parsing;
using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.Cli;

/// <summary>
/// What a user typed in place of a pid: a decimal pid, checked when the command line is parsed, or
/// a process's command name, looked up (<see cref="ProcessFinder"/>) only when a live process is
/// opened, so that a name no process has is exit 3 and one several share is exit 2 with the
/// candidates. A saved process (--snapshot) is chosen by its pid only.
/// </summary>
internal readonly record struct ProcessRef(string Text)
{
    /// <summary>The live process's pid.</summary>
    public int Live() => ProcessFinder.Resolve(Text);

    /// <summary>The pid of a process saved in a snapshot.</summary>
    public int Saved() => ProcessId.Parse(Text);
}

/// <summary>Pids parsed by System.CommandLine: a malformed number is a parse error (exit 2) before any command runs.</summary>
internal static class Pids
{
    /// <summary>An option's one pid or name.</summary>
    public static ProcessRef? ParseOne(ArgumentResult result) => result.Tokens.Count == 0 ? null : Parse(result, result.Tokens[0].Value);

    /// <summary>Every token of <paramref name="result"/> as a pid or name.</summary>
    public static ProcessRef[] ParseAll(ArgumentResult result) => [.. result.Tokens.Select(t => Parse(result, t.Value) ?? default)];

    /// <summary>An option's one pid, a number only (diff's, which chooses among saved processes).</summary>
    public static int? ParseNumber(ArgumentResult result) => result.Tokens.Count == 0 ? null : Number(result, result.Tokens[0].Value);

    /// <summary><paramref name="text"/> as a pid or name, or null with the error recorded on <paramref name="result"/>.</summary>
    public static ProcessRef? Parse(ArgumentResult result, string text)
    {
        // Digits are a pid, and must be a valid one; anything else is a name.
        if (text.Length > 0 && text.All(char.IsAsciiDigit) && Number(result, text) is null) return null;
        return new ProcessRef(text);
    }

    private static int? Number(ArgumentResult result, string text)
    {
        try
        {
            return ProcessId.Parse(text);
        }
        catch (InvalidRequestException e)
        {
            result.AddError(e.Message);
            return null;
        }
    }
}

/// <summary>
/// Several processes (share, snapshot): positional pids, or -p/--pid repeated, not both; at least
/// <paramref name="minimum"/> of them, checked when the command line is parsed.
/// </summary>
internal sealed class PidList(string description, int minimum)
{
    /// <summary>The positional pids (optional to the parser: -p may give them instead).</summary>
    public Argument<ProcessRef[]> Positional { get; } = new("pid") { Description = description, Arity = ArgumentArity.ZeroOrMore, CustomParser = Pids.ParseAll };

    /// <summary>-p/--pid, repeatable.</summary>
    public Option<ProcessRef[]> Option { get; } = new("--pid", "-p") { Description = "A process, by id or name, instead of the positional pids (repeat it for several)", CustomParser = Pids.ParseAll, HelpName = "pid" };

    /// <summary>
    /// Adds both to <paramref name="command"/>, and its usage: <paramref name="minimum"/> pids, or with
    /// <paramref name="snapshot"/> (when the command reads snapshots) any number, none meaning every
    /// process the file holds.
    /// </summary>
    public void AddTo(Command command, Option? snapshot = null)
    {
        command.Arguments.Add(Positional);
        command.Options.Add(Option);
        Help.UsageForms.Register(command, () => snapshot is null
            ? [new(null, [new(Positional, new ArgumentArity(minimum, ArgumentArity.ZeroOrMore.MaximumNumberOfValues), Option)])]
            : [new(null, [new(Positional, new ArgumentArity(minimum, ArgumentArity.ZeroOrMore.MaximumNumberOfValues), Option)]),
               new(snapshot, [new(Positional, ArgumentArity.ZeroOrMore, Option)])]);
    }

    /// <summary>The processes given, in order.</summary>
    /// <exception cref="InvalidRequestException">Both ways were used.</exception>
    public ProcessRef[] Chosen(ParseResult result)
    {
        ProcessRef[] positional = result.GetValue(Positional) ?? [], option = result.GetValue(Option) ?? [];
        if (positional.Length > 0 && option.Length > 0)
            throw new InvalidRequestException("the processes are named twice: give their pids as arguments or with -p/--pid, not both");
        return positional.Length > 0 ? positional : option;
    }
}
