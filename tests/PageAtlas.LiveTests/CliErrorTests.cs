using System.Diagnostics;
using System.Text.Json;
using PageAtlas.Linux;

namespace PageAtlas.LiveTests;

/// <summary>The CLI's behaviour on bad input: one line on stderr, a documented exit code, no stack trace.</summary>
public class CliErrorTests
{
    private static readonly string[] s_translatedStates = ["present", "not-populated", "present", "not-populated", "not-populated", "present", "not-populated", "not-populated"];

    internal static string CliDll => Path.Combine(AppContext.BaseDirectory, "PageAtlas.Cli.dll");

    internal static (int Code, string Out, string Err) Run(params string[] args) => RunAs(null, args);

    internal static (int Code, string Out, string Err) RunAs(string[]? prefix, params string[] args) => RunWithInput(prefix, null, args);

    internal static (int Code, string Out, string Err) RunWithInput(string[]? prefix, string? input, params string[] args) =>
        RunWithEnvironment(prefix, input, null, args);

    internal static (int Code, string Out, string Err) RunWithEnvironment(string[]? prefix, string? input, Dictionary<string, string>? environment, params string[] args)
    {
        var variables = new Dictionary<string, string?> { ["DOTNET_CLI_HOME"] = Path.GetTempPath(), ["DOTNET_NOLOGO"] = "1" };
        foreach (var (name, value) in environment ?? []) variables[name] = value;
        return CliProcess.Run([.. prefix ?? [], "dotnet", CliDll, .. args], input, variables);
    }

    private static void AssertOneLineError(string stderr)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr, got: {stderr}");
        Assert.StartsWith("pageatlas: ", lines[0]);
        Assert.DoesNotContain("   at ", stderr);
    }

    [SkippableFact]
    public void UnknownPidExitsWith3()
    {
        var (code, _, err) = Run("maps", "999999999");
        Assert.Equal(3, code);
        AssertOneLineError(err);
        Assert.Contains("no process", err);
    }

    [SkippableFact]
    public void KernelThreadExitsWith4()
    {
        var (code, _, err) = Run("maps", "2");
        Assert.Equal(4, code);
        AssertOneLineError(err);
        Assert.Contains("kernel thread", err);
    }

    [SkippableFact]
    public void ZombieExitsWith4()
    {
        // sh starts a short-lived child, then becomes sleep 300 (killed at the end), which never reaps it: a zombie.
        var info = new ProcessStartInfo("sh", ["-c", "sleep 0.2 & echo $!; exec sleep 300"]) { RedirectStandardOutput = true };
        using var parent = Process.Start(info)!;
        try
        {
            string zombie = parent.StandardOutput.ReadLine()!.Trim();
            // A bound on a hang (a loaded machine may take seconds to run the child at all), not a timing assert.
            var clock = Stopwatch.StartNew();
            while (!File.ReadAllText($"/proc/{zombie}/stat").Contains(") Z ", StringComparison.Ordinal) && clock.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(20);
            Assert.Contains(") Z ", File.ReadAllText($"/proc/{zombie}/stat"));
            var (code, _, err) = Run("walk", zombie, "0x1000");
            Assert.Equal(4, code);
            AssertOneLineError(err);
            Assert.Contains("zombie", err);
        }
        finally
        {
            parent.Kill();
        }
    }

    [SkippableTheory]
    [InlineData("walk", "0", "0x1000")] // a name is looked up (ProcessNameTests); a number that is no pid is malformed
    [InlineData("translate", "SELF", "0xzz")]
    [InlineData("translate", "SELF", "0x800000000000")]
    [InlineData("translate", "SELF", "0x7ffffffff000+8K")]
    [InlineData("walk", "-5", "0x1000")]
    [InlineData("frobnicate", "1", "")]
    public void BadArgumentsExitWith2(string command, string pid, string address)
    {
        using var specimen = Specimen.Start();
        string[] args = address.Length == 0 ? [command, pid] : [command, pid.Replace("SELF", specimen.Pid.ToString()), address];
        var (code, _, err) = Run(args);
        Assert.Equal(2, code);
        Assert.StartsWith("pageatlas: ", err);
        Assert.DoesNotContain("   at ", err);
    }

    [SkippableFact]
    public void VerboseAddsTheStackTrace()
    {
        var (code, _, err) = Run("maps", "999999999", "--verbose");
        Assert.Equal(3, code);
        Assert.Contains("   at ", err);
    }

    [SkippableFact]
    public void ProcessThatExitsMidReadIsReportedAsGone()
    {
        using var specimen = Specimen.Start("--touch-mib", "64");
        using var target = LiveProcess.Open(specimen.Pid);
        specimen.Exit();
        var e = Assert.Throws<TargetUnavailableException>(() =>
        {
            foreach (var _ in target.ReadPages(0, ulong.MaxValue, Model.PageReadOptions.PopulatedWithFrames)) { }
        });
        Assert.Contains(e.Reason, new[] { TargetUnavailableReason.Exited, TargetUnavailableReason.NotFound });
    }

    [SkippableFact]
    public void JsonOutputCarriesSchemaAndVersion()
    {
        using var specimen = Specimen.Start();
        var (code, stdout, _) = Run("maps", specimen.Pid.ToString(), "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal("pageatlas/maps", doc.RootElement.GetProperty("schema").GetString());
        Assert.Equal(4, doc.RootElement.GetProperty("version").GetInt32());
        var heap = doc.RootElement.GetProperty("vmas").EnumerateArray().Single(v => v.GetProperty("class").GetProperty("kind").GetString() == "heap");
        Assert.True(heap.GetProperty("presentPages").GetInt64() >= 8);

        var (code2, lines, _) = Run("translate", specimen.Pid.ToString(), $"0x{specimen["sparse"]:x}+32K", "--json");
        Assert.Equal(0, code2);
        var rows = lines.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal("pageatlas/translate", rows[0].GetProperty("schema").GetString());
        Assert.Equal(s_translatedStates,
            rows.Skip(1).Select(r => r.GetProperty("state").GetString()).ToArray());
    }
}
