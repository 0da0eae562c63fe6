using System.Text.RegularExpressions;

namespace PageAtlas.LiveTests;

/// <summary>
/// Every example in every command's --help, and in the README's examples, run as a person would run
/// it (in bash, pipes and quotes included), read from the help text itself, with the placeholders
/// the help's last line names replaced: 1234 and 1235 by two specimen processes, 0x7f12a4c00000 by
/// an address the first has written (its heap), 0x12a4c0 by that page's frame number (read from
/// /proc/PID/pagemap, not from PageAtlas), before.db and after.db by snapshots of the first.
/// Each must exit 0 and answer something: output, or the file it was asked to write.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class HelpExamplesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pageatlas-examples").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [SkippableFact]
    public void EveryCommandsExamplesRun()
    {
        var commands = Commands().Where(c => c != "maptest").ToList();
        Assert.Contains("maps", commands);
        RunAll(commands.SelectMany(c => Examples(c).Select(e => (c, e))));
    }

    /// <summary>
    /// maptest's examples need the kernel companion (/dev/pageatlas), which kmod/test.sh loads in QEMU
    /// and runs maptest there. With it loaded they run as every other example; without it each must
    /// answer what the README says: one line naming the companion, exit 8.
    /// </summary>
    [Fact]
    public void MaptestsExamplesRunWithTheKernelCompanionAndSayWhatIsMissingWithout()
    {
        if (File.Exists("/dev/pageatlas"))
        {
            RunAll(Examples("maptest").Select(e => ("maptest", e)));
            return;
        }
        foreach (string line in Examples("maptest"))
        {
            var (code, stdout, stderr) = CliErrorTests.Run([.. line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)]);
            Assert.True(code == 8, $"{line}: exit {code}, {stderr}");
            Assert.Equal("", stdout);
            Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("maptest needs the kernel companion", stderr);
        }
    }

    [SkippableFact]
    public void TheReadmesExamplesRun()
    {
        string readme = File.ReadAllText(Path.Combine(Specimen.RepoRoot(), "README.md"));
        int start = readme.IndexOf("\n### Examples\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no '### Examples' section");
        string block = readme[start..];
        block = block[(block.IndexOf("```bash\n", StringComparison.Ordinal) + 8)..];
        block = block[..block.IndexOf("```", StringComparison.Ordinal)];
        var lines = block.Split('\n').Select(l => l.Split("  #")[0].Trim()).Where(l => l.Contains("pageatlas ", StringComparison.Ordinal)).ToList();
        Assert.True(lines.Count >= 5, "README's examples are fewer than 5");
        RunAll(lines.Select(l => ("README", l)));
    }

    /// <summary>Runs each example with the placeholders replaced; fails listing every one that did not exit 0 with an answer.</summary>
    private void RunAll(IEnumerable<(string Source, string CommandLine)> examples)
    {
        using var first = Specimen.Start();
        using var second = Specimen.Start();
        ulong heap = first["heap"];
        string pfn = $"0x{PagemapFile.FrameOf(first.Pid, heap):x}";
        string bin = WrapperDirectory();
        foreach (string file in new[] { "before.db", "after.db" })
        {
            var saved = CliErrorTests.Run("snapshot", $"{first.Pid}", "-o", Path.Combine(_directory, file));
            Assert.True(saved.Code == 0, saved.Err);
        }
        var failures = new List<string>();
        int ran = 0;
        foreach (var (source, line) in examples)
        {
            string command = line.Replace("0x7f12a4c00000", $"0x{heap:x}").Replace("0x12a4c0", pfn);
            command = Pid().Replace(command, m => m.Value == "1234" ? $"{first.Pid}" : $"{second.Pid}");
            if (IsServer(command))
            {
                ran++;
                if (RunServer(command, bin) is { } failure) failures.Add($"{source}: {line}\n  ran: {command}\n  {failure}");
                continue;
            }
            var before = Directory.GetFiles(_directory).ToDictionary(f => f, File.GetLastWriteTimeUtc);
            var (code, stdout, stderr) = CliProcess.Run(["bash", "-c", command], environment: new Dictionary<string, string?>
            {
                ["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}",
                ["DOTNET_CLI_HOME"] = Path.GetTempPath(),
                ["DOTNET_NOLOGO"] = "1",
            }, workingDirectory: _directory);
            bool wroteFile = Directory.GetFiles(_directory).Any(f => new FileInfo(f).Length > 0 && (!before.TryGetValue(f, out var t) || File.GetLastWriteTimeUtc(f) != t));
            ran++;
            if (code != 0 || (stdout.Trim().Length == 0 && !wroteFile))
                failures.Add($"{source}: {line}\n  ran: {command}\n  exit {code}, {stdout.Length} bytes out; stderr: {stderr.Trim()}");
        }
        Assert.True(ran > 0, "no example found");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>A directory holding `pageatlas`, which runs this build (the JIT one the other live tests run).</summary>
    /// <summary>A server runs until stopped: its example holds when it prints its URL and Ctrl+C then ends it with exit 0.</summary>
    private static bool IsServer(string command) =>
        command.StartsWith("pageatlas serve", StringComparison.Ordinal) || command.StartsWith("pageatlas exporter", StringComparison.Ordinal);

    private string? RunServer(string command, string bin)
    {
        var info = new System.Diagnostics.ProcessStartInfo("bash", ["-c", "exec " + command])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = _directory,
        };
        info.Environment["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}";
        info.Environment["DOTNET_CLI_HOME"] = Path.GetTempPath();
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var server = System.Diagnostics.Process.Start(info)!;
        var stderr = server.StandardError.ReadToEndAsync();
        var line = server.StandardOutput.ReadLineAsync();
        try
        {
            if (!line.Wait(TimeSpan.FromSeconds(60)) || line.Result is not { } url || !url.Contains("http://127.0.0.1:", StringComparison.Ordinal))
                return $"printed no URL in 60 s; stderr: {(server.HasExited ? stderr.Result : "")}";
            RunningCli.SendSignal(server.Id, 2);
            if (!server.WaitForExit(30_000)) return "did not end within 30 s of Ctrl+C";
            return server.ExitCode == 0 ? null : $"exit {server.ExitCode} after Ctrl+C; stderr: {stderr.Result.Trim()}";
        }
        finally
        {
            if (!server.HasExited) server.Kill(entireProcessTree: true);
        }
    }

    private string WrapperDirectory()
    {
        string bin = Path.Combine(_directory, ".bin");
        Directory.CreateDirectory(bin);
        string wrapper = Path.Combine(bin, "pageatlas");
        File.WriteAllText(wrapper, $"#!/bin/sh\nexec dotnet '{CliErrorTests.CliDll}' \"$@\"\n");
        File.SetUnixFileMode(wrapper, (UnixFileMode)0b111_101_101);
        return bin;
    }

    /// <summary>The commands the root help lists.</summary>
    internal static List<string> Commands()
    {
        var (code, help, _) = CliErrorTests.Run("--help");
        Assert.Equal(0, code);
        string listing = help[(help.IndexOf("\nCommands:\n", StringComparison.Ordinal) + 11)..];
        return [.. listing.Split('\n').Where(l => l.StartsWith("  ", StringComparison.Ordinal) && !l.StartsWith("   ", StringComparison.Ordinal)).Select(l => l.Trim().Split(' ')[0])];
    }

    /// <summary>The command lines under "Examples:" in <paramref name="command"/>'s help (indented two spaces; what each shows is indented six).</summary>
    private static List<string> Examples(string command)
    {
        var (code, help, stderr) = CliErrorTests.Run(command, "--help");
        Assert.True(code == 0, stderr);
        int start = help.IndexOf("\nExamples:\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"{command} --help has no examples");
        var lines = help[(start + 11)..].Split('\n')
            .Where(l => l.StartsWith("  ", StringComparison.Ordinal) && !l.StartsWith("   ", StringComparison.Ordinal) && l.Contains("pageatlas " + command, StringComparison.Ordinal))
            .Select(l => l.Trim()).ToList();
        Assert.InRange(lines.Count, 2, 3);
        return lines;
    }

    [GeneratedRegex(@"\b123[45]\b")]
    private static partial Regex Pid();
}
