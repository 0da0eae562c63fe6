namespace PageAtlas.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        var console = CliConsole.ForProcess();
        Interruption.Install(console.Error);
        int code = CommandLine.Run(args, console, Interruption.Token);
        Interruption.WaitIfEnding();
        return code;
    }
}
