using System.CommandLine;
using PageAtlas.Cli.Commands;
using PageAtlas.Rendering;

namespace PageAtlas.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        // Processes and files PageAtlas shows are other users': no control character of theirs may
        // reach the terminal, whichever line forgot to escape a name (JSON goes to the raw stream).
        Console.SetOut(new TerminalTextWriter(Console.Out, leaveOpen: true));
        Console.SetError(new TerminalTextWriter(Console.Error, leaveOpen: true));
        var root = new RootCommand("PageAtlas: where a Linux process's memory really lives, from virtual address to physical frame")
        {
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
        };
        root.Options.Add(CommonOptions.Verbose);

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) Console.Error.WriteLine($"pageatlas: {TerminalText.Escape(error.Message)}");
            Console.Error.WriteLine("pageatlas: try 'pageatlas --help'");
            return ExitCodes.Usage;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            return ErrorReporter.Report(e, parsed.GetValue(CommonOptions.Verbose));
        }
    }
}
