namespace PageAtlas.Tests.Cli;

/// <summary>
/// pagetable's colour is decided from the console the command runs on (its redirection and NO_COLOR),
/// not from the test process's own standard output: in-process, both ways.
/// </summary>
public class CliColourTests(CliSnapshotFixture snapshots) : IClassFixture<CliSnapshotFixture>
{
    private static bool NoColourAsked => Environment.GetEnvironmentVariable("NO_COLOR") is not null;

    [Fact]
    public void ACapturedConsoleGetsNoAnsiEscape()
    {
        var run = InProcessCli.Run("pagetable", "--snapshot", snapshots.Before);
        Assert.True(run.Code == 0, run.Err);
        Assert.Contains("PTE", run.Out);
        Assert.DoesNotContain('\e', run.Out);
    }

    [Fact]
    public void AConsoleThatIsATerminalGetsColourUnlessNoColourIsSet()
    {
        // The test process's stdout is redirected: colour here can only come from the console's own flag.
        var run = InProcessCli.RunOnTerminal("pagetable", "--snapshot", snapshots.Before);
        Assert.True(run.Code == 0, run.Err);
        Assert.Equal(!NoColourAsked, run.Out.Contains("\e[", StringComparison.Ordinal));
        // Written to a file, never: the file is read later, maybe not on a terminal.
        string file = snapshots.PathOf($"pagetable-{Guid.NewGuid():N}.txt");
        Assert.Equal(0, InProcessCli.RunOnTerminal("pagetable", "--snapshot", snapshots.Before, "-o", file).Code);
        Assert.DoesNotContain('\e', File.ReadAllText(file));
    }
}
