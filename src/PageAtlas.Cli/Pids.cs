using System.CommandLine;
using System.CommandLine.Parsing;
using PageAtlas.Model;

namespace PageAtlas.Cli;

/// <summary>Process ids parsed by System.CommandLine: a malformed one is a parse error (exit 2) before any command runs.</summary>
internal static class Pids
{
    /// <summary>An option's one pid.</summary>
    public static int? ParseOne(ArgumentResult result) => result.Tokens.Count == 0 ? null : Parse(result, result.Tokens[0].Value);

    /// <summary>Every token of <paramref name="result"/> as a pid.</summary>
    public static int[] ParseAll(ArgumentResult result) => [.. result.Tokens.Select(t => Parse(result, t.Value) ?? 0)];

    /// <summary><paramref name="text"/> as a pid, or null with the error recorded on <paramref name="result"/>.</summary>
    public static int? Parse(ArgumentResult result, string text)
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

/// <summary>Several processes (share, snapshot): positional pids, or -p/--pid repeated, not both.</summary>
internal sealed class PidList(string description, ArgumentArity arity)
{
    /// <summary>The positional pids.</summary>
    public Argument<int[]> Positional { get; } = new("pid") { Description = description, Arity = arity, CustomParser = Pids.ParseAll };

    /// <summary>-p/--pid, repeatable.</summary>
    public Option<int[]> Option { get; } = new("--pid", "-p") { Description = "A process id (repeat for several; instead of the positional pids)", CustomParser = Pids.ParseAll };

    /// <summary>Adds both to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Arguments.Add(Positional);
        command.Options.Add(Option);
    }

    /// <summary>The pids given, in order.</summary>
    /// <exception cref="InvalidRequestException">Both ways were used.</exception>
    public int[] Chosen(ParseResult result)
    {
        int[] positional = result.GetValue(Positional) ?? [], option = result.GetValue(Option) ?? [];
        if (positional.Length > 0 && option.Length > 0)
            throw new InvalidRequestException("the processes are named twice: give their pids as arguments or with -p/--pid, not both");
        return positional.Length > 0 ? positional : option;
    }
}
