using PageAtlas.Labs;

namespace PageAtlas.LiveTests;

/// <summary>
/// The one launcher of the specimen protocol: a start that fails says why and leaves nothing; stopping
/// a specimen, politely or not, leaves neither it nor what it started running (checked in /proc).
/// </summary>
public sealed class SpecimenProcessTests
{
    private static readonly TimeSpan s_bound = TimeSpan.FromSeconds(60); // a bound on a hang: a loaded machine reaps slowly

    [Fact]
    public void ASpecimenThatExitsBeforeReadyFailsTheStartWithItsOwnError()
    {
        Specimen.BinaryPath("layout");
        var error = Assert.Throws<ExternalToolException>(() => SpecimenProcess.Start("layout", "--no-such-option"));
        Assert.Contains("layout: unknown option --no-such-option", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExitClosesTheInputAndTheForkedPairEndsBothProcesses()
    {
        using var pair = Specimen.StartProgram("forkpair");
        int child = (int)pair.Value("child");
        Assert.True(Directory.Exists($"/proc/{child}"), "the forked child is not running");

        pair.Exit();

        Assert.True(Gone(pair.Pid), $"specimen {pair.Pid} still runs after Exit");
        Assert.True(Gone(child), $"its child {child} still runs after Exit");
    }

    [Fact]
    public void KillEndsTheSpecimenAndItsChildAtOnce()
    {
        using var pair = Specimen.StartProgram("forkpair");
        int child = (int)pair.Value("child");

        pair.Kill();

        Assert.True(Gone(pair.Pid), $"specimen {pair.Pid} still runs after Kill");
        Assert.True(Gone(child), $"its child {child} still runs after Kill");
    }

    [Fact]
    public void ThreadsAreTheSpecimensOwnTasks()
    {
        using var specimen = Specimen.Start("--threads", "3");

        var tasks = Directory.GetDirectories($"/proc/{specimen.Pid}/task").Select(d => int.Parse(Path.GetFileName(d), System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        Assert.Equal([0, 1, 2], specimen.Threads.Select(t => t.Index).Order());
        Assert.All(specimen.Threads, t => Assert.Contains(t.Tid, tasks));
    }

    /// <summary>Whether <paramref name="pid"/> is gone (or only a zombie awaiting its reaper) within <see cref="s_bound"/>.</summary>
    private static bool Gone(int pid)
    {
        var deadline = DateTime.UtcNow + s_bound;
        while (DateTime.UtcNow < deadline)
        {
            string? state = File.Exists($"/proc/{pid}/stat") ? TryRead($"/proc/{pid}/stat") : null;
            if (state is null || state[(state.LastIndexOf(')') + 2)..].StartsWith('Z')) return true;
            Thread.Sleep(20);
        }
        return false;
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
