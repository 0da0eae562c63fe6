using System.Diagnostics;

namespace PageAtlas.LiveTests;

/// <summary>
/// -o as root into paths other users may control: devices and FIFOs are written into, never replaced;
/// a symbolic link is refused; temporary files cannot be redirected; modes and owners are kept; a file
/// system that refuses the write is exit 11 naming the path. Every fact is checked with stat(1).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class OutputFileTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);
    private readonly string _directory = Directory.CreateTempSubdirectory("pageatlas-output-").FullName;
    /// <summary>Where files a link or a planted name could redirect a write to live: outside the output directory.</summary>
    private readonly string _elsewhere = Directory.CreateTempSubdirectory("pageatlas-victim-").FullName;
    private readonly List<string> _mounts = [];

    private string PathOf(string name) => Path.Combine(_directory, name);

    public void Dispose()
    {
        foreach (var mount in _mounts) FileFacts.Command("umount", "-l", mount);
        Directory.Delete(_directory, recursive: true);
        Directory.Delete(_elsewhere, recursive: true);
    }

    /// <summary>A file outside the output directory whose content a redirected write would change.</summary>
    private string Victim()
    {
        string victim = Path.Combine(_elsewhere, "victim");
        File.WriteAllText(victim, "precious");
        return victim;
    }

    /// <summary>A character device like /dev/null (1:3) of the test's own, so that a regression cannot replace the machine's.</summary>
    private string NullDevice()
    {
        string path = PathOf("null");
        FileFacts.Command("mknod", path, "c", "1", "3");
        return path;
    }

    [Fact]
    public void ACharacterDeviceIsWrittenIntoAndStaysADevice()
    {
        using var specimen = Specimen.Start();
        string device = NullDevice();
        foreach (var args in new[] { new[] { "snapshot", specimen.Pid.ToString(), "-o", device }, ["pagetable", specimen.Pid.ToString(), "-o", device] })
        {
            var (code, _, err) = RunningCli.Run(Bound, args);
            Assert.True(code == 0, err);
            Assert.Equal("character special file", FileFacts.Kind(device));
            Assert.Equal("1:3", FileFacts.Device(device));
            Assert.Equal(["null"], FileFacts.Entries(_directory));
        }
    }

    [Fact]
    public void AFifoWithAReaderGetsTheBytesAndStaysAFifo()
    {
        using var specimen = Specimen.Start();
        string fifo = PathOf("pipe");
        FileFacts.Command("mkfifo", fifo);

        string received = PathOf("received.db");
        using (var reader = StartReader(fifo, received))
        {
            var (code, _, err) = RunningCli.Run(Bound, ["snapshot", specimen.Pid.ToString(), "-o", fifo]);
            Assert.True(code == 0, err);
            Assert.True(reader.WaitForExit(30_000));
        }
        Assert.Equal("fifo", FileFacts.Kind(fifo));
        var (mapsCode, maps, mapsErr) = RunningCli.Run(Bound, ["maps", "--snapshot", received]);
        Assert.True(mapsCode == 0, mapsErr);
        Assert.Contains("[heap]", maps);

        string tree = PathOf("tree.txt");
        using (var reader = StartReader(fifo, tree))
        {
            var (code, _, err) = RunningCli.Run(Bound, ["pagetable", specimen.Pid.ToString(), "-o", fifo]);
            Assert.True(code == 0, err);
            Assert.True(reader.WaitForExit(30_000));
        }
        var (_, direct, _) = RunningCli.Run(Bound, ["pagetable", specimen.Pid.ToString()]);
        Assert.Equal(direct, File.ReadAllText(tree));
        Assert.Equal("fifo", FileFacts.Kind(fifo));
    }

    [Fact]
    public void DashWritesTheSnapshotToStandardOutput()
    {
        using var specimen = Specimen.Start();
        string received = PathOf("from-stdout.db");
        string cli = Path.Combine(AppContext.BaseDirectory, "PageAtlas.Cli.dll");
        using var shell = Process.Start(new ProcessStartInfo("sh", ["-c", "dotnet \"$1\" snapshot \"$2\" -o - > \"$3\"", "sh", cli, specimen.Pid.ToString(), received])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        string err = shell.StandardError.ReadToEnd();
        Assert.True(shell.WaitForExit(120_000));
        Assert.True(shell.ExitCode == 0, err);
        Assert.Contains("wrote", err); // the summary goes to stderr: stdout holds only the snapshot
        var (code, maps, mapsErr) = RunningCli.Run(Bound, ["maps", "--snapshot", received]);
        Assert.True(code == 0, mapsErr);
        Assert.Contains("[heap]", maps);
    }

    [Fact]
    public void ASymbolicLinkIsRefusedAndWhatItNamesIsUntouched()
    {
        using var specimen = Specimen.Start();
        string victim = Victim();
        string link = PathOf("out");
        File.CreateSymbolicLink(link, victim);
        foreach (var command in new[] { "snapshot", "pagetable" })
        {
            var (code, _, err) = RunningCli.Run(Bound, [command, specimen.Pid.ToString(), "-o", link]);
            Assert.Equal(11, code);
            Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("symbolic link", err);
            Assert.Contains(link, err);
            Assert.Equal("precious", File.ReadAllText(victim));
            Assert.Equal("symbolic link", FileFacts.Kind(link));
            Assert.Equal(["out"], FileFacts.Entries(_directory));
        }
    }

    [Fact]
    public void SymbolicLinksPlantedAtTheOldTemporaryNamesAreNeverFollowed()
    {
        using var specimen = Specimen.Start();
        string victim = Victim();
        // The old writer used ".NAME.PID.tmp" beside the output: plant a link at that name for every
        // pid the next few thousand processes can get.
        int last = int.Parse(File.ReadAllText("/proc/sys/kernel/ns_last_pid").Trim());
        var planted = new List<string>();
        foreach (var name in new[] { "out.db", "tree.txt" })
            for (int pid = last + 1; pid <= last + 3000; pid++)
            {
                string trap = $".{name}.{pid}.tmp";
                File.CreateSymbolicLink(PathOf(trap), victim);
                planted.Add(trap);
            }

        var (code, _, err) = RunningCli.Run(Bound, ["snapshot", specimen.Pid.ToString(), "-o", PathOf("out.db")]);
        Assert.True(code == 0, err);
        var (treeCode, _, treeErr) = RunningCli.Run(Bound, ["pagetable", specimen.Pid.ToString(), "-o", PathOf("tree.txt")]);
        Assert.True(treeCode == 0, treeErr);

        Assert.Equal("precious", File.ReadAllText(victim));
        Assert.Equal(planted.Append("out.db").Append("tree.txt").Order(StringComparer.Ordinal), FileFacts.Entries(_directory));
        Assert.All(planted, trap => Assert.Equal(victim, new FileInfo(PathOf(trap)).LinkTarget));
        Assert.All(planted.Where((_, i) => i % 500 == 0), trap => Assert.Equal("symbolic link", FileFacts.Kind(PathOf(trap))));
        var (mapsCode, maps, _) = RunningCli.Run(Bound, ["maps", "--snapshot", PathOf("out.db")]);
        Assert.Equal(0, mapsCode);
        Assert.Contains("[heap]", maps);
        Assert.Contains("PGD", File.ReadAllText(PathOf("tree.txt")));
    }

    [Fact]
    public void NewOutputsAreReadableByTheirOwnerOnlyAndAReplacedFileKeepsItsModeAndOwner()
    {
        using var specimen = Specimen.Start();
        foreach (var (command, name) in new[] { ("snapshot", "new.db"), ("pagetable", "new.txt") })
        {
            var (code, _, err) = RunningCli.Run(Bound, [command, specimen.Pid.ToString(), "-o", PathOf(name)]);
            Assert.True(code == 0, err);
            Assert.Equal(("600", 0, 0), FileFacts.Owner(PathOf(name)));
        }

        string shared = PathOf("shared.db");
        File.WriteAllText(shared, "old");
        FileFacts.Command("chown", "65534:65534", shared);
        FileFacts.Command("chmod", "0640", shared);
        var (replaced, _, replaceErr) = RunningCli.Run(Bound, ["snapshot", specimen.Pid.ToString(), "-o", shared]);
        Assert.True(replaced == 0, replaceErr);
        Assert.Equal(("640", 65534, 65534), FileFacts.Owner(shared));
        Assert.NotEqual("old", File.ReadAllText(shared)[..3]);
    }

    [Fact]
    public void AFullFileSystemIsExit11NamingThePathAndLeavesNothing()
    {
        using var specimen = Specimen.Start();
        string full = Mount("full", "size=16k");
        string file = Path.Combine(full, "x.db");
        var (code, _, err) = RunningCli.Run(Bound, ["snapshot", specimen.Pid.ToString(), "-o", file]);
        Assert.Equal(11, code);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(file, err);
        Assert.Empty(FileFacts.Entries(full));

        // Fill it to the last block: the page-table text cannot be written either.
        Process.Start("sh", ["-c", $"dd if=/dev/zero of='{full}/filler' bs=4k 2>/dev/null; true"])!.WaitForExit();
        string tree = Path.Combine(full, "tree.txt");
        var (treeCode, _, treeErr) = RunningCli.Run(Bound, ["pagetable", specimen.Pid.ToString(), "-o", tree]);
        Assert.Equal(11, treeCode);
        Assert.Contains(tree, treeErr);
        Assert.Equal(["filler"], FileFacts.Entries(full));
    }

    [Fact]
    public void AReadOnlyFileSystemIsExit11NamingThePath()
    {
        using var specimen = Specimen.Start();
        string readOnly = Mount("ro", "ro,size=1m");
        foreach (var command in new[] { "snapshot", "pagetable" })
        {
            string file = Path.Combine(readOnly, "out");
            var (code, _, err) = RunningCli.Run(Bound, [command, specimen.Pid.ToString(), "-o", file]);
            Assert.Equal(11, code);
            Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains(file, err);
            Assert.Contains("read-only", err, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void ADirectoryTheUserMayNotWriteIsExit11NamingThePath()
    {
        // User nobody, on a process of its own, writing into root's directory (0755).
        using var sleeper = AsNobody.StartSleep();
        try
        {
            File.SetUnixFileMode(_directory, (UnixFileMode)0b111_101_101);
            string file = PathOf("out");
            foreach (var command in new[] { "snapshot", "pagetable" })
            {
                var (code, _, err) = CliErrorTests.RunAs(AsNobody.Prefix, command, sleeper.Id.ToString(), "-o", file);
                Assert.True(code == 11, err);
                Assert.Contains($"cannot write {file}: Permission denied", err);
                Assert.Empty(FileFacts.Entries(_directory));
            }
        }
        finally
        {
            sleeper.Kill();
            sleeper.WaitForExit();
        }
    }

    /// <summary>A tmpfs of the test's own under its directory, unmounted when the test ends.</summary>
    private string Mount(string name, string options)
    {
        string point = PathOf(name);
        Directory.CreateDirectory(point);
        FileFacts.Command("mount", "-t", "tmpfs", "-o", options, "tmpfs", point);
        _mounts.Add(point);
        return point;
    }

    /// <summary>cat reading <paramref name="fifo"/> into <paramref name="file"/>: the FIFO's reader.</summary>
    private static Process StartReader(string fifo, string file) =>
        Process.Start(new ProcessStartInfo("sh", ["-c", "cat \"$1\" > \"$2\"", "sh", fifo, file]) { UseShellExecute = false })!;

    /// <summary>`snapshot -o -` on a terminal is refused (a binary file holding other processes' names byte for byte); piped, it is written.</summary>
    [SkippableFact]
    public void SnapshotToATerminalIsRefused()
    {
        if (!File.Exists("/usr/bin/script")) throw new SkipException("script (util-linux) is needed to give the command a terminal");
        using var specimen = Specimen.Start();
        string log = Path.Combine(Path.GetTempPath(), $"pageatlas-tty-{Environment.ProcessId}.log");
        try
        {
            string command = $"dotnet {CliErrorTests.CliDll} snapshot {specimen.Pid} -o -; echo \"exit=$?\"";
            var (code, _, _) = CliProcess.Run(["script", "-qfec", command, log]);
            Assert.Equal(0, code);
            string screen = File.ReadAllText(log);
            Assert.Contains("exit=2", screen);
            Assert.Contains("is a terminal", screen);
            Assert.DoesNotContain("SQLite format 3", screen);
        }
        finally
        {
            File.Delete(log);
        }
    }
}
