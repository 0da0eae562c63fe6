using System.Diagnostics;

namespace PageAtlas.LiveTests;

/// <summary>
/// The published native pageatlas (NativeAOT, artifacts/native/pageatlas) answers as the JIT build
/// does: the same JSON and text for the main commands on a live process and on snapshots, the same
/// errors, and a lone copy of the binary writes and reads snapshots with nothing beside it.
/// </summary>
public sealed class NativeBinaryTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pageatlas-native").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static readonly Lazy<string> s_published = new(Publish);

    /// <summary>The published native pageatlas, published first if it is not.</summary>
    internal static string Published => s_published.Value;

    /// <summary>
    /// artifacts/native/pageatlas, which scripts/test.sh publishes before the tests; published here
    /// (a minute or two) when a test run finds none.
    /// </summary>
    private static string Publish()
    {
        string root = Specimen.RepoRoot();
        string binary = Path.Combine(root, "artifacts", "native", "pageatlas");
        if (!File.Exists(binary))
        {
            using var publish = Process.Start(Path.Combine(root, "scripts", "publish-native.sh"))!;
            publish.WaitForExit();
        }
        Assert.True(File.Exists(binary), $"{binary} was not published: run scripts/publish-native.sh");
        return binary;
    }

    private static (int Code, string Out, string Err) Native(params string[] args) => CliProcess.Run([s_published.Value, .. args]);

    private static (int Code, string Out, string Err) Jit(params string[] args) => CliErrorTests.Run(args);

    /// <summary>Runs both builds with the same arguments; each must succeed.</summary>
    private static (string Native, string Jit) Both(params string[] args)
    {
        var native = Native(args);
        var jit = Jit(args);
        Assert.True(native.Code == 0, $"native pageatlas {string.Join(' ', args)}: exit {native.Code}: {native.Err}");
        Assert.True(jit.Code == 0, $"JIT pageatlas {string.Join(' ', args)}: exit {jit.Code}: {jit.Err}");
        return (native.Out, jit.Out);
    }

    [Fact]
    public void TheBinaryIsNativeAndItsHelpSaysPageatlas()
    {
        byte[] head = new byte[4];
        using (var file = File.OpenRead(s_published.Value)) file.ReadExactly(head);
        Assert.Equal("\x7f" + "ELF", System.Text.Encoding.ASCII.GetString(head));
        foreach (var run in new Func<string[], (int Code, string Out, string Err)>[] { Native, Jit })
        {
            var (code, help, _) = run(["--help"]);
            Assert.Equal(0, code);
            Assert.Contains("Usage:\n  pageatlas [command] [options]", help);
            Assert.DoesNotContain("PageAtlas.Cli", help);
            var (mapsCode, mapsHelp, _) = run(["maps", "--help"]);
            Assert.Equal(0, mapsCode);
            Assert.Contains("Usage:\n  pageatlas maps <pid> [options]\n  pageatlas maps --snapshot <file> [<pid>] [options]\n", mapsHelp);
        }
    }

    [Fact]
    public void MainCommandsOnALiveProcessPrintWhatTheJitBuildPrints()
    {
        using var specimen = Specimen.Start("--thp", "--threads", "2");
        string pid = specimen.Pid.ToString();
        string[][] commands =
        [
            ["maps", pid, "--json"],
            ["translate", pid, $"0x{specimen["sparse"]:x}+32K", $"0x{specimen["heap"]:x}", "--json"],
            ["walk", pid, $"0x{specimen["thp"]:x}", "--json"],
            ["walk", pid, $"0x{specimen["heap"]:x}", "--json"],
            ["pagetable", pid, "--format", "json"],
            ["pages", pid, "--vma", "[heap]", "--vma", $"0x{specimen["thp"]:x}", "--json"],
            ["peek", pid, $"0x{specimen["heap"]:x}", "64", "--json"],
        ];
        // Map counts, and so PSS, of shared library pages count the reading process too (the JIT
        // build maps more libraries than the native one): composition and pages of shared libraries
        // are compared on a snapshot (ALoneCopyWritesAndReadsSnapshotsAsTheJitBuildDoes), where they are fixed.
        // The two builds read the process a few milliseconds apart, and frame flags such as
        // referenced may change in between on a busy machine: a command whose outputs differ is run
        // again (three times at most). A real difference between the builds repeats.
        foreach (var command in commands)
        {
            var attempts = new List<string>();
            for (int attempt = 0; attempt < 3; attempt++)
            {
                var (native, jit) = Both(command);
                // peek reads the page through /proc/<pid>/mem, which marks it referenced: each build
                // sees the flags the other's read left. Its bytes, frame and map count still compare.
                if (command[0] == "peek") (native, jit) = (WithoutFrameFlags(native), WithoutFrameFlags(jit));
                if (native == jit)
                {
                    attempts.Clear();
                    break;
                }
                attempts.Add($"native:\n{native}\nJIT:\n{jit}");
            }
            Assert.True(attempts.Count == 0, $"pageatlas {string.Join(' ', command)} differs between the builds:\n{attempts.LastOrDefault()}");
        }
    }

    private static string WithoutFrameFlags(string json) =>
        string.Join('\n', json.Split('\n').Where(l => !l.Contains("\"kpageflags\"", StringComparison.Ordinal) && !l.Contains("\"flags\"", StringComparison.Ordinal)));

    [Fact]
    public void ALoneCopyWritesAndReadsSnapshotsAsTheJitBuildDoes()
    {
        // The binary alone in an empty directory, run from there with no library path: SQLite must
        // be inside it.
        string lone = Path.Combine(_directory, "pageatlas");
        File.Copy(s_published.Value, lone); // keeps its mode, executable
        var alone = new Dictionary<string, string?> { ["LD_LIBRARY_PATH"] = null };
        (int Code, string Out, string Err) Lone(params string[] args) => CliProcess.Run([lone, .. args], environment: alone, workingDirectory: _directory);

        using var first = Specimen.Start("--thp", "--threads", "2");
        using var second = Specimen.Start();
        string nativeFile = Path.Combine(_directory, "native.db");
        var written = Lone("snapshot", first.Pid.ToString(), second.Pid.ToString(), "--frames", "-o", nativeFile);
        Assert.True(written.Code == 0, $"a lone native pageatlas could not write a snapshot: exit {written.Code}: {written.Err}");
        Assert.Equal(["native.db", "pageatlas"], Directory.GetFileSystemEntries(_directory).Select(Path.GetFileName).Order());

        string jitFile = Path.Combine(_directory, "jit.db");
        Assert.Equal(0, Jit("snapshot", first.Pid.ToString(), "-o", jitFile).Code);

        string firstPid = first.Pid.ToString();
        string[][] readings =
        [
            ["maps", firstPid, "--json"],
            ["maps", firstPid],
            ["translate", "-p", firstPid, $"0x{first["sparse"]:x}+32K", "--json"],
            ["walk", "-p", firstPid, $"0x{first["thp"]:x}", "--json"],
            ["pagetable", firstPid, "--format", "json"],
            ["pagetable", firstPid],
            ["composition", firstPid, "--vmas", "--json"],
            ["composition", firstPid],
            ["pages", firstPid, "--json"],
            ["share", firstPid, second.Pid.ToString(), "--json"],
            ["frames", "--json"],
            ["physmap", "--json"],
        ];
        foreach (var reading in readings)
        {
            string[] args = [.. reading, "--snapshot", nativeFile];
            var native = Lone(args);
            var jit = Jit(args);
            Assert.True(native.Code == 0, $"lone native pageatlas {string.Join(' ', args)}: exit {native.Code}: {native.Err}");
            Assert.True(jit.Code == 0, $"JIT pageatlas {string.Join(' ', args)}: exit {jit.Code}: {jit.Err}");
            Assert.Equal(jit.Out, native.Out);
        }
        // And each build reads what the other wrote, SQLite versions apart.
        string[] jitWritten = ["maps", "--json", "--snapshot", jitFile];
        var nativeOfJit = Lone(jitWritten);
        Assert.Equal(0, nativeOfJit.Code);
        Assert.Equal(Jit(jitWritten).Out, nativeOfJit.Out);
        var diff = Both("diff", jitFile, nativeFile, "--pid", firstPid, "--json");
        Assert.Equal(diff.Jit, diff.Native);
        Assert.Equal(["jit.db", "native.db", "pageatlas"], Directory.GetFileSystemEntries(_directory).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void ALabStartsItsSpecimensAndJudgesItsClaims()
    {
        var (code, output, err) = Native("lab", "fork-cow");
        Assert.True(code == 0, $"native pageatlas lab fork-cow: exit {code}: {err}{output}");
        Assert.Contains("HOLDS", output);
        Assert.DoesNotContain("FAILS", output);
    }

    /// <summary>
    /// Installed as scripts/install.sh lays it out (PREFIX/bin/pageatlas, the specimens in
    /// PREFIX/lib/pageatlas/specimens), the program runs a lab from any directory with nothing set;
    /// without the specimens it says in one line where it looked.
    /// </summary>
    [Fact]
    public void AnInstalledPageatlasRunsLabsFromAnyDirectory()
    {
        string prefix = Directory.CreateTempSubdirectory("pageatlas-prefix").FullName;
        try
        {
            string bin = Directory.CreateDirectory(Path.Combine(prefix, "bin")).FullName;
            string program = Path.Combine(bin, "pageatlas");
            File.Copy(s_published.Value, program);
            var unset = new Dictionary<string, string?> { ["PAGEATLAS_SPECIMENS"] = null };

            var (missing, _, why) = CliProcess.Run([program, "lab", "fork-cow"], environment: unset, workingDirectory: "/");
            Assert.Equal(8, missing);
            Assert.Contains(Path.Combine(prefix, "lib", "pageatlas", "specimens"), why);
            Assert.Single(why.Split('\n', StringSplitOptions.RemoveEmptyEntries));

            string specimens = Directory.CreateDirectory(Path.Combine(prefix, "lib", "pageatlas", "specimens")).FullName;
            foreach (var name in new[] { "forkpair", "layout", "sharer", "lazy" })
                File.Copy(Specimen.BinaryPath(name), Path.Combine(specimens, name));
            var (code, output, err) = CliProcess.Run([program, "lab", "fork-cow"], environment: unset, workingDirectory: "/");
            Assert.True(code == 0, $"installed pageatlas lab fork-cow from /: exit {code}: {err}{output}");
            Assert.Contains("HOLDS", output);
            Assert.DoesNotContain("FAILS", output);
        }
        finally
        {
            Directory.Delete(prefix, recursive: true);
        }
    }

    [Theory]
    [InlineData(3, "maps", "999999999")]
    [InlineData(2, "walk", "0", "0x1000")]
    [InlineData(3, "walk", "no-such-process-name", "0x1000")]
    [InlineData(2, "frobnicate")]
    [InlineData(10, "maps", "--snapshot", "/nonexistent/pageatlas.db")]
    public void ErrorsAreTheJitBuildsOneLineAndExitCode(int expected, params string[] args)
    {
        var native = Native(args);
        var jit = Jit(args);
        Assert.Equal(expected, native.Code);
        Assert.Equal(jit.Code, native.Code);
        Assert.Equal(jit.Err, native.Err);
        Assert.StartsWith("pageatlas: ", native.Err);
        Assert.DoesNotContain("   at ", native.Err);
    }
}
