using System.CommandLine;
using System.CommandLine.Help;
using PageAtlas.Cli.Commands;
using PageAtlas.Rendering;

namespace PageAtlas.Cli;

internal static class Program
{
    /// <summary>The command's name in usage lines and help.</summary>
    public const string ProgramName = "pageatlas";

    private static int Main(string[] args)
    {
        // Processes and files PageAtlas shows are other users': no control character of theirs may
        // reach the terminal, whichever line forgot to escape a name (JSON goes to the raw stream).
        Console.SetOut(new TerminalTextWriter(Console.Out, leaveOpen: true));
        Console.SetError(new TerminalTextWriter(Console.Error, leaveOpen: true));
        // Not a RootCommand: that one is named after argv[0], so help would say "PageAtlas.Cli" when
        // run as `dotnet PageAtlas.Cli.dll` or as the dotnet tool. The program is pageatlas however it starts.
        var root = new Command(ProgramName, "PageAtlas: where a Linux process's memory really lives, from virtual address to physical frame")
        {
            new HelpOption(),
            new VersionOption(),
            MapsCommand.Create(),
            TranslateCommand.Create(),
            WalkCommand.Create(),
            PageTableCommand.Create(),
            FramesCommand.Create(),
            CompositionCommand.Create(),
            FrameCommand.Create(),
            PhysmapCommand.Create(),
            ShareCommand.Create(),
            WatchCommand.Create(),
            LabCommand.Create(),
            SnapshotCommand.Create(),
            DiffCommand.Create(),
            PagesCommand.Create(),
            PeekCommand.Create(),
            PokeCommand.Create(),
            MtestCommand.Create(),
            MaptestCommand.Create(),
            PsCommand.Create(),
        };
        root.Options.Add(CommonOptions.Verbose);
        Interruption.Install();

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) Console.Error.WriteLine($"pageatlas: {TerminalText.Escape(error.Message)}");
            Console.Error.WriteLine("pageatlas: try 'pageatlas --help'");
            return ExitCodes.Usage;
        }
        int code;
        try
        {
            code = parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (StandardOutputClosedException)
        {
            code = ExitCodes.OutputClosed;
        }
        catch (Exception e) when (!Interruption.Ending)
        {
            code = ErrorReporter.Report(e, parsed.GetValue(CommonOptions.Verbose));
        }
        catch (Exception)
        {
            code = ExitCodes.Interrupted; // never returned: the signal's handler exits with its own code
        }
        Interruption.WaitIfEnding();
        return code;
    }
}
