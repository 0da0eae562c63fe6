using System.CommandLine;
using System.CommandLine.Parsing;
using System.Runtime.CompilerServices;

namespace PageAtlas.Cli;

/// <summary>
/// Options that cannot be given together, refused before a command does any work: exit 2 and one line
/// naming both, never one of them silently winning (a JSON document written into x.svg because
/// --json beat --format svg). Each command declares its own pairs; --json and the options that only
/// shape text on a terminal are refused together everywhere.
/// </summary>
internal static class OptionConflicts
{
    /// <summary>
    /// Options that only shape text for a person (redrawing a screen, decoding bytes, the table's width
    /// and units): JSON holds every figure in fixed units, so with --json they would be ignored.
    /// </summary>
    private static readonly Dictionary<string, string> s_textOnly = new(StringComparer.Ordinal)
    {
        ["--top"] = "--top redraws a screen for a person",
        ["--as"] = "--as decodes the bytes in text; JSON gives them as hex",
        ["--wide"] = "--wide lays out the text table",
        ["--bytes"] = "JSON gives sizes in bytes and pages, the unit in each key",
        ["--pages"] = "JSON gives sizes in bytes and pages, the unit in each key",
    };

    /// <summary>Options that choose one of several ways to show the same thing, wherever a command has them.</summary>
    private static readonly (string First, string Second, string Why)[] s_eitherOr =
    [
        ("--bytes", "--pages", "each chooses the unit of sizes"),
    ];

    private static readonly ConditionalWeakTable<Command, List<Conflict>> s_declared = [];

    /// <summary>Refuses <paramref name="first"/> and <paramref name="second"/> together (when <paramref name="applies"/>, if given, says so) because of <paramref name="why"/>.</summary>
    public static void Conflicts(this Command command, Symbol first, Symbol second, string why, Func<ParseResult, bool>? applies = null) =>
        s_declared.GetOrCreateValue(command).Add(new Conflict(first, second, why, applies));

    /// <summary>Throws for the first pair of conflicting options <paramref name="result"/> holds.</summary>
    /// <exception cref="InvalidRequestException">Two options that cannot go together were both given.</exception>
    public static void Check(ParseResult result)
    {
        var command = result.CommandResult;
        if (s_declared.TryGetValue(command.Command, out var conflicts))
            foreach (var c in conflicts)
                if (Given(command, c.First) && Given(command, c.Second) && (c.Applies?.Invoke(result) ?? true))
                    throw Refusal(c.First, c.Second, c.Why);
        var given = command.Children.OfType<OptionResult>().Where(o => !o.Implicit).ToDictionary(o => o.Option.Name, o => o.Option);
        foreach (var (first, second, why) in s_eitherOr)
            if (given.TryGetValue(first, out var a) && given.TryGetValue(second, out var b)) throw Refusal(a, b, why);
        if (!given.TryGetValue("--json", out var json) || !result.GetValue((Option<bool>)json)) return;
        foreach (var option in given.Values)
            if (s_textOnly.TryGetValue(option.Name, out var why))
                throw Refusal(json, option, why);
    }

    private static InvalidRequestException Refusal(Symbol first, Symbol second, string why) =>
        new($"{Spelling(first)} and {Spelling(second)} cannot be used together: {why}");

    /// <summary>Given on the command line (not a default): an option by its name, an argument by a token.</summary>
    private static bool Given(CommandResult command, Symbol symbol) => symbol switch
    {
        Option option => command.GetResult(option) is { Implicit: false },
        Argument argument => command.GetResult(argument) is { Tokens.Count: > 0 },
        _ => false,
    };

    private static string Spelling(Symbol symbol) => symbol is Argument argument ? $"the {argument.Name} argument" : symbol.Name;

    private sealed record Conflict(Symbol First, Symbol Second, string Why, Func<ParseResult, bool>? Applies);
}
