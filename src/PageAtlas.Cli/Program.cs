using System.CommandLine;
using PageAtlas.Cli.Commands;

namespace PageAtlas.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
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
        Interruption.Install();

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) Console.Error.WriteLine($"pageatlas: {error.Message}");
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
