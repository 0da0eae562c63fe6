using System.Diagnostics;
using PageAtlas.Labs;

namespace PageAtlas.LiveTests;

/// <summary>
/// The live tests' way to start specimens: <see cref="SpecimenProcess"/> (the one launcher of the
/// specimen protocol) after building the specimens if they are not, with the checks only tests make:
/// a "--thp" specimen is skipped, not failed, on a machine or at a moment that gives it no THP.
/// </summary>
public static class Specimen
{
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "PageAtlas.slnx"))) return dir.FullName;
        throw new InvalidOperationException("repository root not found");
    }

    /// <summary>specimens/out/<paramref name="name"/>, built first if it is not.</summary>
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

    /// <summary>Starts specimens/out/layout.</summary>
    public static SpecimenProcess Start(params string[] args) => StartProgram("layout", args);

    /// <summary>Starts specimens/out/<paramref name="program"/>, which speaks the same "name 0xADDR value" … "ready" protocol.</summary>
    public static SpecimenProcess StartProgram(string program, params string[] args) =>
        Checked(args, () => SpecimenProcess.Start(Built(program), args));

    /// <summary>
    /// Starts a copy of specimens/out/<paramref name="program"/> (layout by default) named <paramref name="name"/>,
    /// so its command name (comm) is that name.
    /// </summary>
    public static SpecimenProcess StartNamed(string name, string program = "layout", params string[] args) =>
        Checked(args, () => SpecimenProcess.StartNamed(name, Built(program), args));

    private static string Built(string program)
    {
        BinaryPath(program);
        return program;
    }

    private static SpecimenProcess Checked(string[] args, Func<SpecimenProcess> start)
    {
        bool thp = args.Contains("--thp");
        if (thp)
        {
            Requires.Thp();
            Requires.PagemapScan(); // a PMD-mapped THP is told from PTE-mapped pages by PAGEMAP_SCAN alone
        }
        var specimen = start();
        try
        {
            if (thp) RequireThpGranted(specimen);
            return specimen;
        }
        catch
        {
            specimen.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The kernel may decline MADV_HUGEPAGE when it finds no free 2 MiB block (THP defrag settings,
    /// fragmented memory): the THP tests are then skipped with what the kernel gave, not failed.
    /// </summary>
    private static void RequireThpGranted(SpecimenProcess specimen)
    {
        ulong area = specimen["thp"];
        var vma = Smaps.Read(specimen.Pid).Single(kv => kv.Key <= area && area < kv.Key + kv.Value["Size"] * 1024).Value;
        if (vma["AnonHugePages"] < 4096)
        {
            string defrag = File.ReadAllText("/sys/kernel/mm/transparent_hugepage/defrag").Trim();
            throw new SkipException($"the kernel gave the specimen's 4 MiB MADV_HUGEPAGE area {vma["AnonHugePages"]} kB of THP, not 4096 kB (defrag: {defrag}): no free 2 MiB blocks");
        }
    }
}
