using System.CommandLine;

namespace PageAtlas.Cli.Help;

/// <summary>
/// One way of giving a command its positional arguments, as its usage line prints it and as the parser
/// accepts it: the option that selects the form (<c>--snapshot</c>: the pid becomes optional), or null
/// for the plain form, and how many values each positional argument takes in it, and the option that
/// may give it instead (<c>-p</c> for a pid).
/// </summary>
/// <remarks>
/// The parser's own arity of an argument can be looser than what a command accepts (a pid may be given
/// as <c>-p</c> instead, so the positional is optional to the parser): the form is what a person must
/// type, and the command's validators enforce it at parse time (<see cref="UsageForms"/>).
/// </remarks>
internal sealed record UsageForm(Option? Selector, IReadOnlyList<Positional> Positionals);

/// <summary>A positional argument in a usage form: how many values it takes there, and the option that may give them instead.</summary>
internal sealed record Positional(Argument Argument, ArgumentArity Arity, Option? GivenBy = null);

/// <summary>The usage forms of each command: registered by the code that defines its arguments, else read from the arguments' arity.</summary>
internal static class UsageForms
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Command, Func<IReadOnlyList<UsageForm>>> s_registered = [];

    /// <summary>
    /// Gives <paramref name="command"/> its forms, asked for when help is written: arguments added
    /// after this call (a command's operands) are then part of them.
    /// </summary>
    /// <remarks>
    /// The parser cannot enforce a form (its arity is the loosest form's), so a validator does: fewer
    /// positional values than the chosen form requires is a parse error naming what is missing.
    /// </remarks>
    public static void Register(Command command, Func<IReadOnlyList<UsageForm>> forms)
    {
        s_registered.AddOrUpdate(command, forms);
        command.Validators.Add(result => Enforce(command, forms(), result));
    }

    /// <summary>The forms of <paramref name="command"/>, the plain one first.</summary>
    public static IReadOnlyList<UsageForm> Of(Command command) =>
        s_registered.TryGetValue(command, out var forms) ? forms() : [new UsageForm(null, [.. command.Arguments.Where(a => !a.Hidden).Select(a => new Positional(a, a.Arity))])];

    /// <summary>"<c>&lt;pid&gt; &lt;address&gt; [&lt;length&gt;]</c>": the form's positionals, with --snapshot's selector first.</summary>
    public static string Positionals(UsageForm form)
    {
        var words = new List<string>();
        if (form.Selector is { } selector) words.Add($"{selector.Name} <{ValueName(selector)}>");
        foreach (var positional in form.Positionals) words.Add(Marked(positional.Argument, positional.Arity));
        return string.Join(' ', words.Where(w => w.Length > 0));
    }

    /// <summary>"<c>pageatlas share &lt;pid&gt; &lt;pid&gt;... [options]</c>".</summary>
    public static string Line(Command command, UsageForm form)
    {
        string positionals = Positionals(form);
        string path = string.Join(' ', CommandTree.Path(command));
        // An option the command cannot run without is part of its usage (snapshot's -o <file>).
        var required = command.Options.Where(o => o.Required && !o.Hidden).Select(o => $"{CommandTree.Names(o).First()} <{ValueName(o)}>");
        string words = string.Join(' ', new[] { path, positionals }.Concat(required).Where(w => w.Length > 0));
        bool hasOptions = command.Options.Any(o => !o.Hidden) || command.Parents.Any();
        return $"{words}{(command.Subcommands.Any(c => !c.Hidden) ? " [command]" : "")}{(hasOptions ? " [options]" : "")}";
    }

    /// <summary>The value an option takes, as usage names it: its help name, else its name without dashes.</summary>
    public static string ValueName(Option option) => option.HelpName ?? option.Name.TrimStart('-');

    /// <summary>"<c>&lt;pid&gt;</c>", "<c>[&lt;length&gt;]</c>", "<c>&lt;pid&gt; &lt;pid&gt;...</c>", "<c>[&lt;pid&gt;...]</c>".</summary>
    private static string Marked(Argument argument, ArgumentArity arity)
    {
        string word = $"<{argument.HelpName ?? argument.Name}>";
        if (arity.MaximumNumberOfValues == 0) return "";
        bool many = arity.MaximumNumberOfValues > 1;
        if (arity.MinimumNumberOfValues == 0) return many ? $"[{word}...]" : $"[{word}]";
        var required = Enumerable.Repeat(word, arity.MinimumNumberOfValues).ToList();
        if (many) required[^1] += "...";
        return string.Join(' ', required);
    }

    /// <summary>Adds a parse error when the form the command line chose lacks required positionals.</summary>
    private static void Enforce(Command command, IReadOnlyList<UsageForm> forms, System.CommandLine.Parsing.CommandResult result)
    {
        var form = forms.FirstOrDefault(f => f.Selector is { } s && result.GetResult(s) is not null) ?? forms.First(f => f.Selector is null);
        // Positionals fill the arguments in order, whichever argument the parser put them in (a pid
        // given by -p leaves its slot to the first operand).
        int given = result.Children.OfType<System.CommandLine.Parsing.ArgumentResult>().Sum(a => a.Tokens.Count);
        var required = form.Positionals
            .Where(p => p.GivenBy is not { } option || result.GetResult(option) is null)
            .SelectMany(p => Enumerable.Repeat($"<{p.Argument.HelpName ?? p.Argument.Name}>", p.Arity.MinimumNumberOfValues))
            .ToList();
        if (given >= required.Count) return;
        result.AddError($"missing {string.Join(' ', required.Skip(given))} (usage: {Line(command, form)})");
    }
}
