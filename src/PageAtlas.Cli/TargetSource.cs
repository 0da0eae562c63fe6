using System.CommandLine;
using System.CommandLine.Parsing;
using PageAtlas.Linux;
using PageAtlas.Snapshots;

namespace PageAtlas.Cli;

/// <summary>
/// Where a command's process comes from, and the arguments that say it: a pid (positional, or
/// <c>-p/--pid</c>), and for commands that can read one, <c>--snapshot FILE</c> (then the pid names
/// one of the processes saved, and may be left out when the file holds one).
/// </summary>
/// <remarks>
/// A pid is never guessed apart from an address by its text. Live, the first positional is the pid
/// (or <c>-p</c> gives it). For a command whose pid is followed by operands (walk's address,
/// translate's ranges, peek's and poke's address), once <c>-p</c> or <c>--snapshot</c> says where the
/// process comes from, every positional is an operand: <c>walk --snapshot f 0x7f…</c>,
/// <c>walk --snapshot f -p 123 0x7f…</c>, <c>peek -p 123 0x7f… 16</c>. A command with no operands
/// (maps, pages…) takes its positional pid with <c>--snapshot</c> too; it and <c>-p</c> together are
/// an error.
/// </remarks>
internal sealed class TargetSource
{
    private readonly bool _operandsFollow;
    private readonly List<(Argument Argument, bool Required)> _operands = [];

    private TargetSource(bool snapshots, bool operandsFollow, string description)
    {
        _operandsFollow = operandsFollow;
        Pid = new Argument<ProcessRef?>("pid") { Description = description, Arity = ArgumentArity.ZeroOrOne, CustomParser = ParsePositional };
        PidOption = new Option<ProcessRef?>("--pid", "-p") { Description = "The process, by id or name, instead of the positional <pid>", CustomParser = Pids.ParseOne, HelpName = "pid" };
        Snapshot = snapshots ? SnapshotOption() : null;
    }

    /// <summary>The positional pid.</summary>
    public Argument<ProcessRef?> Pid { get; }

    /// <summary>-p/--pid.</summary>
    public Option<ProcessRef?> PidOption { get; }

    /// <summary>--snapshot FILE, or null for a command that needs the live process.</summary>
    public Option<string?>? Snapshot { get; }

    /// <summary>A live process or a saved one.</summary>
    public static TargetSource LiveOrSnapshot(bool operandsFollow = false) =>
        new(snapshots: true, operandsFollow, "The process: its id, or its name as ps shows it (with --snapshot: which saved process; optional when the file holds one)");

    /// <summary>A live process only (peek, poke, watch).</summary>
    public static TargetSource Live(bool operandsFollow = false) => new(snapshots: false, operandsFollow, "The process: its id, or its name as ps shows it");

    public static Option<string?> SnapshotOption() => new("--snapshot") { Description = "Read a file saved by 'pageatlas snapshot' instead of a live process", HelpName = "file" };

    /// <summary>Adds the pid argument, -p and --snapshot to <paramref name="command"/>, and its usage forms: call it before <see cref="AddOperand"/>.</summary>
    public void AddTo(Command command)
    {
        command.Arguments.Add(Pid);
        command.Options.Add(PidOption);
        if (Snapshot is not null) command.Options.Add(Snapshot);
        Help.UsageForms.Register(command, Forms);
    }

    /// <summary>
    /// Adds an operand that follows the pid (an address, a length): optional to the parser, since a
    /// pid given by -p or --snapshot leaves its slot to the first operand, and <paramref name="required"/>
    /// in the usage, which a validator enforces (<see cref="Help.UsageForms"/>).
    /// </summary>
    public void AddOperand(Command command, Argument operand, bool required)
    {
        command.Arguments.Add(operand);
        _operands.Add((operand, required));
    }

    /// <summary>
    /// <c>&lt;pid&gt; OPERANDS</c>, the pid also given by -p; and with --snapshot, the pid optional
    /// (the file may hold one process).
    /// </summary>
    private List<Help.UsageForm> Forms()
    {
        var operands = _operands.Select(o => new Help.Positional(o.Argument, Arity(o.Argument, o.Required))).ToList();
        List<Help.UsageForm> forms = [new(null, [new(Pid, ArgumentArity.ExactlyOne, PidOption), .. operands])];
        if (Snapshot is not null) forms.Add(new(Snapshot, [new(Pid, ArgumentArity.ZeroOrOne, PidOption), .. operands]));
        return forms;
    }

    private static ArgumentArity Arity(Argument operand, bool required) =>
        new(required ? 1 : 0, operand.Arity.MaximumNumberOfValues);

    /// <summary>The snapshot file named, or null for the live process.</summary>
    public string? SnapshotPath(ParseResult result) => Snapshot is null ? null : result.GetValue(Snapshot);

    /// <summary>The process given, by the positional argument or by -p, or null.</summary>
    /// <exception cref="InvalidRequestException">Both gave one.</exception>
    public ProcessRef? ChosenPid(ParseResult result)
    {
        // A positional that is the first operand holds no pid (and System.CommandLine cannot give its value).
        ProcessRef? positional = NamesProcessElsewhere(result.CommandResult) ? null : result.GetValue(Pid), option = result.GetValue(PidOption);
        if (positional is not null && option is not null)
            throw new InvalidRequestException("the process is named twice: give its pid as an argument or with -p/--pid, not both");
        return positional ?? option;
    }

    /// <summary>The live process's pid, which must be given (a name is looked up).</summary>
    public int RequiredPid(ParseResult result) => (ChosenPid(result) ?? throw new InvalidRequestException("a process id is required")).Live();

    /// <summary>Opens the target the arguments name.</summary>
    public IMemoryTarget Open(ParseResult result)
    {
        var pid = ChosenPid(result);
        if (SnapshotPath(result) is not { } snapshot)
            return LiveProcess.Open((pid ?? throw new InvalidRequestException("a process id is required (or --snapshot FILE)")).Live());
        return Snapshots.Snapshot.OpenTarget(snapshot, pid?.Saved());
    }

    /// <summary>
    /// The command's operands in the order given: when -p or --snapshot named the process, the first
    /// positional (which the pid argument holds) is the first operand.
    /// </summary>
    public string[] Operands(ParseResult result, params IEnumerable<string?> rest)
    {
        string? first = NamesProcessElsewhere(result.CommandResult) ? result.GetResult(Pid)?.Tokens is [var token, ..] ? token.Value : null : null;
        return [.. new[] { first }.Concat(rest).OfType<string>()];
    }

    private ProcessRef? ParsePositional(ArgumentResult result)
    {
        if (result.Tokens.Count == 0) return null;
        // Not a pid: the first operand (see Operands).
        if (NamesProcessElsewhere((CommandResult)result.Parent!)) return null;
        return Pids.Parse(result, result.Tokens[0].Value);
    }

    private bool NamesProcessElsewhere(CommandResult command) =>
        _operandsFollow && (command.GetResult(PidOption) is not null || (Snapshot is not null && command.GetResult(Snapshot) is not null));
}
