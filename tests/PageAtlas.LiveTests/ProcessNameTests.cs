using System.Globalization;

namespace PageAtlas.LiveTests;

/// <summary>
/// A process name in place of a pid: one process of that command name is that pid, several are one
/// line listing them (exit 2), none is exit 3 as an unknown pid is. The pids are the ones this test
/// started, and `ps -o comm` confirms the kernel's name for them.
/// </summary>
public class ProcessNameTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private static string UniqueName() => "pa" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public void AUniqueNameIsThatProcess()
    {
        string name = UniqueName();
        using var specimen = Specimen.StartNamed(name);
        var (psCode, comm, _) = CliProcess.Run(["ps", "-o", "comm=", "-p", specimen.Pid.ToString(CultureInfo.InvariantCulture)]);
        Assert.Equal(0, psCode);
        Assert.Equal(name, comm.Trim());

        var (byName, namedOut, namedErr) = RunningCli.Run(Bound, ["maps", name]);
        var (byPid, pidOut, _) = RunningCli.Run(Bound, ["composition", specimen.Pid.ToString(CultureInfo.InvariantCulture)]);
        Assert.True(byName == 0, namedErr);
        Assert.Equal(0, byPid);
        Assert.StartsWith($"pid {specimen.Pid} ({name})", namedOut);
        var (_, compositionByName, _) = RunningCli.Run(Bound, ["composition", name]);
        Assert.Equal(pidOut.Split('\n')[0], compositionByName.Split('\n')[0]);
    }

    [Fact]
    public void ANameSeveralProcessesShareIsOneLineListingThemAndExitTwo()
    {
        string name = UniqueName();
        using var first = Specimen.StartNamed(name);
        using var second = Specimen.StartNamed(name);
        var (code, output, err) = RunningCli.Run(Bound, ["maps", name]);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        string line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"2 processes are named '{name}'", line);
        Assert.Contains($"{first.Pid} ({name})", line);
        Assert.Contains($"{second.Pid} ({name})", line);
    }

    [Fact]
    public void ANameNoProcessHasIsExitThreeAsAnUnknownPid()
    {
        string name = UniqueName();
        var (code, output, err) = RunningCli.Run(Bound, ["maps", name]);
        Assert.Equal(3, code);
        Assert.Equal("", output);
        Assert.Contains($"no process named '{name}'", Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public void ALongNameMatchesOnTheFifteenBytesTheKernelKeeps()
    {
        string name = UniqueName() + "-long-name";
        using var specimen = Specimen.StartNamed(name);
        var (code, output, err) = RunningCli.Run(Bound, ["maps", name]);
        Assert.True(code == 0, err);
        Assert.StartsWith($"pid {specimen.Pid} ({name[..15]})", output);
    }
}
