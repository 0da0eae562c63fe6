using System.CommandLine;
using System.Runtime.CompilerServices;

namespace PageAtlas.Cli.Help;

/// <summary>A command line a person can run as it stands (after putting in their own pid or address), and what it shows.</summary>
internal sealed record Example(string CommandLine, string Shows);

/// <summary>
/// Each command's examples, shown under "Examples:" in its help and in the man page. A live test runs
/// every one of them, read from the help text, with <see cref="ExamplePlaceholders"/> replaced.
/// </summary>
internal static class CommandExamples
{
    private static readonly ConditionalWeakTable<Command, IReadOnlyList<Example>> s_examples = [];

    /// <summary>Gives <paramref name="command"/> its examples: command lines that use only <see cref="ExamplePlaceholders"/> for what differs between machines.</summary>
    public static void Add(Command command, params (string CommandLine, string Shows)[] examples) =>
        s_examples.AddOrUpdate(command, [.. examples.Select(e => new Example(e.CommandLine, e.Shows))]);

    /// <summary>The examples of <paramref name="command"/>, or none.</summary>
    public static IReadOnlyList<Example> Of(Command command) => s_examples.TryGetValue(command, out var examples) ? examples : [];
}

/// <summary>
/// What the examples write where a real value differs from machine to machine: put in your own.
/// The live test that runs the examples puts in a specimen process's.
/// </summary>
internal static class ExamplePlaceholders
{
    /// <summary>A process id.</summary>
    public const string Pid = "1234";

    /// <summary>A second process (share).</summary>
    public const string OtherPid = "1235";

    /// <summary>An address mapped, readable and writable, in process <see cref="Pid"/>.</summary>
    public const string Address = "0x7f12a4c00000";

    /// <summary>A page frame number (a frame process <see cref="Pid"/> maps).</summary>
    public const string Pfn = "0x12a4c0";

    /// <summary>Snapshot files, in the current directory.</summary>
    public const string Snapshot = "before.db", LaterSnapshot = "after.db";

    /// <summary>One line saying so, under every help page's examples.</summary>
    public const string Legend =
        $"In examples, {Pid} and {OtherPid} stand for process ids (a process name works too), {Address} for an address "
        + $"mapped in {Pid}, {Pfn} for a page frame number, and {Snapshot} and {LaterSnapshot} for snapshot files.";
}
