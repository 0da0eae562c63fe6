using System.CommandLine;
using PageAtlas.Cli;
using PageAtlas.Cli.Help;

namespace PageAtlas.Tests.Cli;

/// <summary>
/// Help as the parser has it: every usage line's required and optional marks are what parses, every
/// command's help has examples and no jargon, and a mistyped command or option is one line naming the
/// nearest ones (exit 2).
/// </summary>
public sealed class HelpTests
{
    private static Command Tree() => CommandLine.Create(CliConsole.Captured(() => Stream.Null, TextWriter.Null, TextWriter.Null, 80));

    public static TheoryData<string> Commands() => [.. CommandTree.Subcommands(Tree()).Select(c => c.Name)];

    /// <summary>A value the parser accepts for <paramref name="argument"/>: one of its fixed set, a pid, else an address (also a fine file name).</summary>
    private static string Sample(Argument argument) =>
        CommandTree.Values(argument) is [var first, ..] ? first : CommandTree.IsPid(argument) ? "1234" : "0x1000";

    /// <summary>The command line of <paramref name="form"/> with <paramref name="count"/> values for each positional, and the options it requires.</summary>
    private static string[] Line(Command command, UsageForm form, Func<Positional, int> count) =>
        [command.Name, .. form.Selector is { } s ? new[] { s.Name, "saved.db" } : [],
         .. command.Options.Where(o => o.Required).SelectMany(o => new[] { o.Name, "out.db" }),
         .. form.Positionals.SelectMany(p => Enumerable.Repeat(Sample(p.Argument), count(p)))];

    private static IReadOnlyList<string> Errors(string[] args)
    {
        var parsed = Tree().Parse(args);
        return [.. parsed.Errors.Select(e => e.Message), .. Typos.Explain(parsed) is { } typo ? [typo] : Array.Empty<string>()];
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void EveryUsageMarkIsWhatTheParserAccepts(string name)
    {
        var command = CommandTree.Subcommands(Tree()).Single(c => c.Name == name);
        foreach (var form in UsageForms.Of(command))
        {
            string usage = UsageForms.Line(command, form);
            int Least(Positional p) => p.Arity.MinimumNumberOfValues;
            AssertParses(usage, Line(command, form, Least));
            foreach (var positional in form.Positionals)
            {
                // An optional positional given (twice when it takes many) parses; a required one left out
                // (one value fewer than its least) does not.
                int most = Math.Min(positional.Arity.MaximumNumberOfValues, 2);
                if (most > Least(positional)) AssertParses(usage, Line(command, form, p => p == positional ? most : Least(p)));
                if (Least(positional) > 0)
                {
                    string[] fewer = Line(command, form, p => p == positional ? Least(p) - 1 : Least(p));
                    Assert.True(Errors(fewer).Count > 0, $"{usage}: '{string.Join(' ', fewer)}' parsed, but it lacks a required <{positional.Argument.Name}>");
                }
            }
        }
    }

    private static void AssertParses(string usage, string[] line) =>
        Assert.True(Errors(line).Count == 0, $"{usage}: '{string.Join(' ', line)}' failed: {string.Join("; ", Errors(line))}");

    [Theory]
    [InlineData(true, "peek", "1234", "0x1000")]
    [InlineData(true, "peek", "-p", "1234", "0x1000", "16")]
    [InlineData(false, "peek", "-p", "1234")]
    [InlineData(false, "peek", "1234")]
    [InlineData(true, "walk", "--snapshot", "saved.db", "0x1000")]
    [InlineData(false, "walk", "--snapshot", "saved.db")]
    [InlineData(true, "share", "--snapshot", "saved.db")]
    [InlineData(false, "share", "1234")]
    [InlineData(true, "share", "-p", "1234", "-p", "1235")]
    [InlineData(true, "lab")]
    [InlineData(true, "maps", "--snapshot", "saved.db")]
    [InlineData(false, "maps")]
    [InlineData(false, "translate", "1234")]
    public void PidsGivenByOptionAndSnapshotsMakeTheirOwnForms(bool parses, params string[] args) =>
        Assert.Equal(parses, Errors(args).Count == 0);

    [Fact]
    public void TheRootListingShowsEachCommandsTrueArity()
    {
        string help = InProcessCli.Run("--help").Out;
        Assert.Contains("\n  share <pid> <pid>...  ", help);
        Assert.Contains("\n  lab [<name>]  ", help);
        Assert.Contains("\n  peek <pid> <address> [<length>]\n", help);
        Assert.Contains("\n  frame <pfn>  ", help);
        Assert.Contains("Usage:\n  pageatlas [command] [options]\n", help);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void EveryCommandsHelpHasPlainWordsAndTwoOrThreeExamples(string name)
    {
        var run = InProcessCli.RunAt(80, name, "--help");
        Assert.Equal(0, run.Code);
        Assert.Contains($"Usage:\n  pageatlas {name}", run.Out);
        Assert.DoesNotContain("seed", run.Out, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("PageAtlas.Cli", run.Out);
        string examples = run.Out[(run.Out.IndexOf("\nExamples:\n", StringComparison.Ordinal) + 1)..];
        int count = examples.Split('\n').Count(l => l.StartsWith("  ", StringComparison.Ordinal) && !l.StartsWith("   ", StringComparison.Ordinal) && l.Contains("pageatlas " + name, StringComparison.Ordinal));
        Assert.InRange(count, 2, 3);
        // Wrapped to 80 columns, but an example's command line, which must stay whole to be copied.
        Assert.All(run.Out.Split('\n').Where(l => !l.Contains("pageatlas " + name, StringComparison.Ordinal)), l => Assert.True(l.Length <= 80, $"longer than 80 columns: {l}"));
    }

    /// <summary>
    /// An option name takes the same kind of value in every command, and its help says so alike:
    /// `--snapshot &lt;file&gt;` everywhere, never `&lt;snapshot&gt;` (System.CommandLine's default, the
    /// option's own name) in one of them. (--phys is an address in frame, a range of them in frames.)
    /// </summary>
    [Fact]
    public void AnOptionNameShowsTheSamePlaceholderInEveryCommand()
    {
        var options = CommandTree.Subcommands(Tree()).SelectMany(c => CommandTree.Options(c).Where(CommandTree.TakesValue).Select(o => (Command: c.Name, Option: o))).ToList();
        var placeholders = options.GroupBy(o => o.Option.Name).Where(g => g.Key != "--phys")
            .Select(g => (Name: g.Key, Shown: g.Select(o => HelpPage.OptionLabel(o.Option)).Distinct().ToList())).Where(g => g.Shown.Count > 1);
        Assert.Empty(placeholders.Select(p => $"{p.Name}: {string.Join(" / ", p.Shown)}"));
    }

    /// <summary>A default is stated once: the description's own words, or the parser's "(default: …)" when the description has none.</summary>
    [Theory]
    [MemberData(nameof(Commands))]
    public void NoOptionStatesItsDefaultTwice(string name)
    {
        var command = CommandTree.Subcommands(Tree()).Single(c => c.Name == name);
        Assert.All(CommandTree.Options(command), o =>
        {
            string described = HelpPage.Described(o);
            int defaults = described.Split("default", StringSplitOptions.None).Length - 1;
            Assert.True(defaults <= 1, $"{name} {o.Name}: {described}");
        });
    }

    [Theory]
    [InlineData("unknown command 'mpas': did you mean 'maps'?", "mpas", "1234")]
    [InlineData("unknown command 'comp': did you mean 'composition' or 'completion'?", "comp")]
    [InlineData("unknown command 'xyzzy' (pageatlas --help lists them)", "xyzzy")]
    [InlineData("unknown option '--jsno' for 'pageatlas maps': did you mean '--json'?", "maps", "--jsno", "1234")]
    [InlineData("unknown option '--jsno' for 'pageatlas maps': did you mean '--json'?", "maps", "--jsno")]
    [InlineData("unknown option '--srot' for 'pageatlas ps': did you mean '--sort'?", "ps", "--srot", "pss")]
    [InlineData("unknown option '--verbsoe' for 'pageatlas walk': did you mean '--verbose'?", "walk", "1", "0x1000", "--verbsoe")]
    public void ATypoIsOneLineWithTheNearestNamesAndExit2(string message, params string[] args)
    {
        var run = InProcessCli.Run(args);
        Assert.Equal(2, run.Code);
        Assert.Equal("", run.Out);
        Assert.Equal($"pageatlas: {message}\n", run.Err);
    }

    [Fact]
    public void AWordAfterDoubleDashIsNoOptionTypo()
    {
        var run = InProcessCli.Run("maps", "--", "--no-such-process-name");
        Assert.Equal(3, run.Code);
    }

    [Theory]
    [InlineData("maps", "maps", 0)]
    [InlineData("mpas", "maps", 1)]
    [InlineData("frmaes", "frames", 1)]
    [InlineData("pgaetabel", "pagetable", 2)]
    [InlineData("", "ps", 2)]
    public void EditDistanceCountsASwapAsOneEdit(string a, string b, int distance) => Assert.Equal(distance, Typos.Distance(a, b));
}
