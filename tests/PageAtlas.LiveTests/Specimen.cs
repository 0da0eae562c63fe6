using System.Diagnostics;
using System.Globalization;

namespace PageAtlas.LiveTests;

/// <summary>
/// A running specimens/out/layout process and the facts it printed about itself ("name 0xADDR value").
/// Disposing closes its stdin (it exits) and kills it if it lingers.
/// </summary>
public sealed class Specimen : IDisposable
{
    private readonly Process _process;

    public int Pid => _process.Id;
    public Dictionary<string, (ulong Address, long Value)> Facts { get; } = [];
    public List<(int Tid, ulong Stack, ulong Tls)> Threads { get; } = [];

    private Specimen(Process process) => _process = process;

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "PageAtlas.slnx"))) return dir.FullName;
        throw new InvalidOperationException("repository root not found");
    }

    public static string BinaryPath(string name)
    {
        string path = Path.Combine(RepoRoot(), "specimens", "out", name);
        if (!File.Exists(path))
        {
            using var build = Process.Start(Path.Combine(RepoRoot(), "scripts", "build-specimens.sh"))!;
            build.WaitForExit();
        }
        Assert.True(File.Exists(path), $"{path} was not built: run scripts/build-specimens.sh");
        return path;
    }

    public static Specimen Start(params string[] args) => StartProgram("layout", args);

    /// <summary>Starts specimens/out/<paramref name="program"/>, which speaks the same "name 0xADDR value" … "ready" protocol.</summary>
    public static Specimen StartProgram(string program, params string[] args) => StartBinary(BinaryPath(program), args);

    /// <summary>
    /// Starts a copy of specimens/out/<paramref name="program"/> (layout by default) named <paramref name="name"/>,
    /// so its command name (comm) is that name; the copy, in a private directory of its own, is removed once it runs.
    /// </summary>
    public static Specimen StartNamed(string name, string program = "layout", params string[] args)
    {
        var directory = Directory.CreateTempSubdirectory("pageatlas-named-");
        try
        {
            string copy = Path.Combine(directory.FullName, name);
            File.Copy(BinaryPath(program), copy);
            return StartBinary(copy, args);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static Specimen StartBinary(string path, string[] args)
    {
        var info = new ProcessStartInfo(path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        bool thp = args.Contains("--thp");
        if (thp)
        {
            Requires.Thp();
            Requires.PagemapScan(); // a PMD-mapped THP is told from PTE-mapped pages by PAGEMAP_SCAN alone
        }
        var specimen = new Specimen(Process.Start(info)!);
        try
        {
            specimen.ReadUntilReady();
            if (thp) specimen.RequireThpGranted();
        }
        catch
        {
            specimen.Dispose();
            throw;
        }
        return specimen;
    }

    private void ReadUntilReady()
    {
        while (_process.StandardOutput.ReadLine() is { } line)
        {
            if (line == "ready") return;
            var f = line.Split(' ');
            if (f[0] == "thread")
                Threads.Add((int.Parse(f[3], CultureInfo.InvariantCulture), Hex(f[5]), Hex(f[7])));
            else if (f.Length == 3)
                Facts[f[0]] = (Hex(f[1]), long.Parse(f[2], CultureInfo.InvariantCulture));
        }
        throw new InvalidOperationException("specimen exited before it was ready");
    }

    public ulong this[string fact] => Facts[fact].Address;

    /// <summary>
    /// The kernel may decline MADV_HUGEPAGE when it finds no free 2 MiB block (THP defrag settings,
    /// fragmented memory): the THP tests are then skipped with what the kernel gave, not failed.
    /// </summary>
    private void RequireThpGranted()
    {
        ulong area = this["thp"];
        var vma = Smaps.Read(Pid).Single(kv => kv.Key <= area && area < kv.Key + kv.Value["Size"] * 1024).Value;
        if (vma["AnonHugePages"] < 4096)
        {
            string defrag = File.ReadAllText("/sys/kernel/mm/transparent_hugepage/defrag").Trim();
            throw new SkipException($"the kernel gave the specimen's 4 MiB MADV_HUGEPAGE area {vma["AnonHugePages"]} kB of THP, not 4096 kB (defrag: {defrag}): no free 2 MiB blocks");
        }
    }

    private static ulong Hex(string s) => ulong.Parse(s.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    /// <summary>The bytes at <paramref name="address"/> as the specimen itself reads them.</summary>
    public byte[] Dump(ulong address, int length)
    {
        string line = Command($"dump {address:x} {length}");
        Assert.StartsWith("dump", line);
        return line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(h => Convert.ToByte(h, 16)).ToArray();
    }

    /// <summary>Sends one command line and returns the specimen's one-line answer.</summary>
    public string Command(string line)
    {
        _process.StandardInput.WriteLine(line);
        _process.StandardInput.Flush();
        return _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException($"specimen exited on '{line}'");
    }

    /// <summary>Closes stdin so the specimen returns from main, and waits for it.</summary>
    public void Exit()
    {
        _process.StandardInput.Close();
        _process.WaitForExit(10_000);
    }

    public void Dispose() => Stop(_process);

    /// <summary>Kills a specimen process if it lingers, waits for it and releases it.</summary>
    internal static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill();
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
        }
        process.Dispose();
    }
}
