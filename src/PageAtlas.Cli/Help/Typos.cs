using System.CommandLine;
using System.CommandLine.Parsing;

namespace PageAtlas.Cli.Help;

/// <summary>
/// "Did you mean": a mistyped command or option named with the closest ones the command line has,
/// in one line. System.CommandLine's own typo corrections print a list on several lines after its
/// error; PageAtlas reports every error in one line of its own.
/// </summary>
internal static class Typos
{
    /// <summary>
    /// The line that explains an unknown command or option in <paramref name="parsed"/>, or null when
    /// there is none. A word beginning with "--" before any "--" is an option, known or not: no
    /// argument of pageatlas begins so, and taken as one it would be looked up as a process name.
    /// </summary>
    public static string? Explain(ParseResult parsed)
    {
        var command = parsed.CommandResult.Command;
        string where = string.Join(' ', CommandTree.Path(command));
        foreach (var token in parsed.Tokens)
        {
            if (token.Type == TokenType.DoubleDash) break;
            if (token.Type == TokenType.Argument && token.Value.StartsWith("--", StringComparison.Ordinal) && token.Value.Length > 2)
                return UnknownOption(token.Value, command, where);
        }
        foreach (string word in parsed.UnmatchedTokens)
        {
            if (word.StartsWith('-') && word.Length > 1) return UnknownOption(word, command, where);
            if (!command.Parents.Any() && command.Subcommands.Any())
            {
                var close = Closest(word, CommandTree.Subcommands(command).Select(c => c.Name));
                return close.Count > 0
                    ? $"unknown command '{word}': did you mean {Listed(close)}?"
                    : $"unknown command '{word}' ({CommandLine.ProgramName} --help lists them)";
            }
        }
        return null;
    }

    /// <summary>
    /// The candidates nearest <paramref name="word"/>: those at the smallest edit distance when it is
    /// small enough to be a slip (one edit in a word of up to 4 letters, two in a longer one), else
    /// those it begins (a word cut short), else none.
    /// </summary>
    public static IReadOnlyList<string> Closest(string word, IEnumerable<string> candidates)
    {
        string bare = word.TrimStart('-');
        var named = candidates.Distinct().Select(c => (Name: c, Distance: Distance(bare, c.TrimStart('-')))).ToList();
        int allowed = bare.Length <= 4 ? 1 : 2;
        int best = named.Count == 0 ? int.MaxValue : named.Min(c => c.Distance);
        if (best <= allowed) return [.. named.Where(c => c.Distance == best).Select(c => c.Name)];
        if (bare.Length < 2) return [];
        string dashes = word[..(word.Length - bare.Length)];
        return [.. named.Select(c => c.Name).Where(c => c.StartsWith(dashes + bare, StringComparison.Ordinal) && c.TrimStart('-').Length == c.Length - dashes.Length)];
    }

    /// <summary>Edit distance counting an inserted, removed or changed letter, or two neighbours swapped ("mpas" to "maps"), as one edit each (optimal string alignment).</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }

    private static string UnknownOption(string token, Command command, string where)
    {
        string name = token.Split('=', 2)[0];
        var close = Closest(name, CommandTree.Options(command).SelectMany(CommandTree.Names));
        return close.Count > 0
            ? $"unknown option '{name}' for '{where}': did you mean {Listed(close)}?"
            : $"unknown option '{name}' for '{where}' ('{where} --help' lists them)";
    }

    private static string Listed(IReadOnlyList<string> names) =>
        names.Count == 1 ? $"'{names[0]}'" : string.Join(", ", names.Take(names.Count - 1).Select(n => $"'{n}'")) + $" or '{names[^1]}'";
}
