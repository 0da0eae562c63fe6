using System.CommandLine;
using System.CommandLine.Invocation;
using System.Text;

namespace PageAtlas.Cli.Help;

/// <summary>
/// `--help` for any command: what it answers, its usage forms with true arity, its arguments and
/// options, its subcommands, and its examples; written from the command tree, so an option added to a
/// command appears in its help by itself.
/// </summary>
internal sealed class HelpPage(CliConsole console) : SynchronousCommandLineAction
{
    /// <summary>Help is asked for: a missing argument beside --help is no error.</summary>
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        int width = Math.Clamp(console.IsOutputRedirected ? 80 : console.TerminalSize().Width, 40, 200);
        console.Out.Write(Text(parseResult.CommandResult.Command, width));
        return ExitCodes.Ok;
    }

    /// <summary>The help of <paramref name="command"/>, laid out for <paramref name="width"/> columns.</summary>
    public static string Text(Command command, int width)
    {
        var text = new StringBuilder();
        if (command.Description is { } description)
        {
            text.Append("Description:\n");
            Wrap(text, description, 2, width);
            text.Append('\n');
        }
        text.Append("Usage:\n");
        foreach (var form in UsageForms.Of(command)) text.Append("  ").Append(UsageForms.Line(command, form)).Append('\n');
        Table(text, "Arguments", command.Arguments.Where(a => !a.Hidden).Select(a => ($"<{a.HelpName ?? a.Name}>", Described(a))), width);
        Table(text, "Options", CommandTree.Options(command).Select(o => (OptionLabel(o), Described(o))), width);
        Table(text, "Commands", CommandTree.Subcommands(command).Select(c => (Listed(c), c.Description ?? "")), width);
        var examples = CommandExamples.Of(command);
        if (examples.Count > 0)
        {
            text.Append("\nExamples:\n");
            foreach (var example in examples)
            {
                text.Append("  ").Append(example.CommandLine).Append('\n');
                Wrap(text, example.Shows, 6, width);
            }
            text.Append('\n');
            Wrap(text, ExamplePlaceholders.Legend, 2, width);
        }
        return text.ToString();
    }

    /// <summary>"-p, --pid &lt;pid&gt;", "--format &lt;text|dot|svg|json&gt;", "--json".</summary>
    public static string OptionLabel(Option option)
    {
        string names = string.Join(", ", CommandTree.Names(option));
        if (!CommandTree.TakesValue(option)) return names;
        var values = CommandTree.Values(option);
        return $"{names} <{(values.Count > 0 ? string.Join('|', values) : UsageForms.ValueName(option))}>";
    }

    /// <summary>
    /// An option's description with its default and whether it must be given; a description that
    /// states its default in its own words ("default: a free one") is not given the parser's as well.
    /// </summary>
    public static string Described(Option option)
    {
        string text = option.Description ?? "";
        if (option.Required) text += " (required)";
        else if (CommandTree.TakesValue(option) && option.HasDefaultValue && option.GetDefaultValue() is { } value and not bool
            && !text.Contains("default", StringComparison.Ordinal)) text += $" (default: {value})";
        return text;
    }

    private static string Described(Argument argument)
    {
        var values = CommandTree.Values(argument);
        return values.Count > 0 ? $"{argument.Description} ({string.Join(", ", values)})" : argument.Description ?? "";
    }

    /// <summary>A subcommand as the command listing shows it: its name and its plain usage form's positionals.</summary>
    private static string Listed(Command command)
    {
        string positionals = UsageForms.Positionals(UsageForms.Of(command)[0]);
        return positionals.Length > 0 ? $"{command.Name} {positionals}" : command.Name;
    }

    /// <summary>A titled two-column table: labels, then descriptions wrapped beside them (under them when a label is long).</summary>
    private static void Table(StringBuilder text, string title, IEnumerable<(string Label, string Description)> rows, int width)
    {
        var list = rows.ToList();
        if (list.Count == 0) return;
        text.Append('\n').Append(title).Append(":\n");
        int column = Math.Min(list.Max(r => r.Label.Length), width / 3) + 4;
        foreach (var (label, description) in list)
        {
            text.Append("  ").Append(label);
            if (label.Length + 2 > column - 2)
            {
                text.Append('\n');
                Wrap(text, description, column, width);
                continue;
            }
            text.Append(' ', column - 2 - label.Length);
            var lines = new StringBuilder();
            Wrap(lines, description, column, width);
            text.Append(lines.ToString().TrimStart(' '));
        }
    }

    /// <summary>Appends <paramref name="words"/> in lines indented by <paramref name="indent"/>, none longer than <paramref name="width"/> unless one word is.</summary>
    private static void Wrap(StringBuilder text, string words, int indent, int width)
    {
        var line = new StringBuilder();
        foreach (string word in words.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && indent + line.Length + 1 + word.Length > width)
            {
                text.Append(' ', indent).Append(line).Append('\n');
                line.Clear();
            }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        text.Append(' ', indent).Append(line).Append('\n');
    }
}
