using System.CommandLine;
using System.CommandLine.Help;
using PageAtlas.Cli.Commands;
using PageAtlas.Cli.Help;
using PageAtlas.Rendering;

namespace PageAtlas.Cli;

/// <summary>
/// The command tree and one run of it against a <see cref="CliConsole"/>: the program runs it on its
/// own streams, tests in-process on captured ones. Parse errors, help and every report go to the
/// console given; the exit code is what the program returns.
/// </summary>
internal static class CommandLine
{
    /// <summary>The command's name in usage lines and help.</summary>
    public const string ProgramName = "pageatlas";

    /// <summary>Parses <paramref name="args"/>, runs the command, and turns its failure into one line and an exit code.</summary>
    /// <param name="token">Cancelled when the run must stop (a signal): handlers receive it from System.CommandLine.</param>
    public static int Run(string[] args, CliConsole console, CancellationToken token)
    {
        var root = Create(console);
        var parsed = root.Parse(args);
        // A mistyped command or option is one line naming the nearest ones, whatever else failed because of it.
        if (Typos.Explain(parsed) is { } typo)
        {
            console.Error.WriteLine($"pageatlas: {TerminalText.Escape(typo)}");
            return ExitCodes.Usage;
        }
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) console.Error.WriteLine($"pageatlas: {TerminalText.Escape(error.Message)}");
            console.Error.WriteLine($"pageatlas: try '{string.Join(' ', CommandTree.Path(parsed.CommandResult.Command))} --help'");
            return ExitCodes.Usage;
        }
        var configuration = new InvocationConfiguration
        {
            EnableDefaultExceptionHandler = false,
            // Signals are PageAtlas's own (Interruption): it cancels the token, cleans up and exits with 128 + the signal.
            ProcessTerminationTimeout = null,
            Output = console.Out,
            Error = console.Error,
        };
        try
        {
            return parsed.InvokeAsync(configuration, token).GetAwaiter().GetResult();
        }
        catch (StandardOutputClosedException)
        {
            return ExitCodes.OutputClosed;
        }
        catch (Exception e) when (!Interruption.Ending)
        {
            return ErrorReporter.Report(e, parsed.GetValue(CommonOptions.Verbose), console.Error);
        }
        catch (Exception)
        {
            return ExitCodes.Interrupted; // never returned by the program: the signal's handler exits with its own code
        }
    }

    /// <summary>
    /// Sets <paramref name="command"/>'s action: <paramref name="run"/> gets the parse result and
    /// System.CommandLine's cancellation token, once no two options given conflict (<see cref="OptionConflicts"/>).
    /// </summary>
    public static void SetHandler(this Command command, Func<ParseResult, CancellationToken, int> run) =>
        command.SetAction((result, token) =>
        {
            OptionConflicts.Check(result);
            return Task.FromResult(run(result, token));
        });

    /// <summary>The command tree, with its commands writing to <paramref name="console"/>.</summary>
    internal static Command Create(CliConsole console)
    {
        // Not a RootCommand: that one is named after argv[0], so help would say "PageAtlas.Cli" when
        // run as `dotnet PageAtlas.Cli.dll` or as the dotnet tool. The program is pageatlas however it starts.
        var root = new Command(ProgramName, "Where a Linux process's memory really lives: its regions, the physical page frames behind each virtual address, the page tables between them, and what the machine's RAM holds; read from /proc (pagemap, kpageflags, kpagecount) as root")
        {
            new HelpOption { Action = new HelpPage(console) },
            new VersionOption(),
            MapsCommand.Create(console),
            TranslateCommand.Create(console),
            WalkCommand.Create(console),
            PageTableCommand.Create(console),
            FramesCommand.Create(console),
            CompositionCommand.Create(console),
            FrameCommand.Create(console),
            PhysmapCommand.Create(console),
            ShareCommand.Create(console),
            WatchCommand.Create(console),
            LabCommand.Create(console),
            SnapshotCommand.Create(console),
            DiffCommand.Create(console),
            PagesCommand.Create(console),
            PeekCommand.Create(console),
            PokeCommand.Create(console),
            MtestCommand.Create(console),
            MaptestCommand.Create(console),
            PsCommand.Create(console),
            ServeCommand.Create(console),
            CompletionCommand.Create(console),
            ManCommand.Create(console),
            ExporterCommand.Create(console),
        };
        root.Options.Add(CommonOptions.Verbose);
        return root;
    }
}
