using System.Xml.Linq;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Paging;

namespace PageAtlas.LiveTests;

/// <summary>The reconstructed page-table tree against the kernel's own count (VmPTE) and a designed pattern.</summary>
public class PageTableTests
{
    private const ulong Gib = 1UL << 30;

    [SkippableTheory]
    [InlineData(10, 3)]
    [InlineData(700, 4)]
    public void DesignedPatternGivesExactlyThePredictedTablesPerLevel(int pages, int gigabytes)
    {
        using var specimen = Specimen.Start("--pattern", pages.ToString(), gigabytes.ToString());
        using var target = LiveProcess.Open(specimen.Pid);
        ulong start = specimen["pattern"];
        var tree = PageTableReconstruction.Build(target, [new AddressRange(start, start + (ulong)gigabytes * Gib)]);

        // One page in each of N distinct 2 MiB regions over M gigabytes of a fresh 512 GiB region:
        // 1 PUD table, M PMD tables, N PTE tables, N leaves.
        Assert.Equal(1, tree.At(PageTableLevel.Pud).Tables);
        Assert.Equal(gigabytes, tree.At(PageTableLevel.Pmd).Tables);
        Assert.Equal(pages, tree.At(PageTableLevel.Pte).Tables);
        Assert.Equal(pages, tree.At(PageTableLevel.Pte).Leaves);
        // The kernel agrees: VmPTE grew by exactly those tables while the specimen wrote the pages.
        long grownKb = specimen.Facts["vmpte-after"].Value - specimen.Facts["vmpte-before"].Value;
        Assert.Equal(tree.Accounting.ReconstructedTables * 4, grownKb);
    }

    [SkippableFact]
    public void VmPteIsNeverBelowTheReconstructedTablesOfAWholeProcess()
    {
        using var specimen = Specimen.Start("--thp", "--threads", "2", "--shared", "--small-maps", "40", "--pattern", "20", "2");
        using var target = LiveProcess.Open(specimen.Pid);
        var tree = PageTableReconstruction.Build(target);
        ulong vmPte = ReadVmPteBytes(specimen.Pid);

        Assert.True(tree.Accounting.WholeProcess);
        Assert.Equal(vmPte, tree.Accounting.VmPteBytes);
        // VmPTE counts PUD + PMD + PTE tables, plus one table deposited under each anonymous THP;
        // tables it holds beyond those can only be empty ones pagemap cannot see, never fewer.
        Assert.True(vmPte / 4096 >= (ulong)(tree.Accounting.ReconstructedTables + tree.Accounting.DepositedTables),
            $"VmPTE {vmPte / 4096} tables < reconstructed {tree.Accounting.ReconstructedTables} + deposited {tree.Accounting.DepositedTables}");
        Assert.True(tree.Accounting.ExtraKernelTables >= 0);
        Assert.Equal(1, tree.At(PageTableLevel.Pgd).Tables);
    }

    [SkippableFact]
    public void ThpIsAPmdLeafWithNoPageTableUnderItAndAReservedTable()
    {
        using var specimen = Specimen.Start("--thp");
        using var target = LiveProcess.Open(specimen.Pid);
        ulong thp = specimen["thp"];
        var tree = PageTableReconstruction.Build(target, [new AddressRange(thp, thp + 4 * 1024 * 1024)], full: true);

        Assert.Equal(0, tree.At(PageTableLevel.Pte).Tables);
        Assert.Equal(2, tree.At(PageTableLevel.Pmd).Leaves);
        Assert.Equal(2, tree.Accounting.DepositedTables);
        var leaves = tree.Tables.Single(t => t.Level == PageTableLevel.Pmd).Runs.Where(r => r.Kind == TableEntryKind.Leaf).ToArray();
        Assert.All(leaves, r => Assert.Equal(0UL, r.MinFrame % 512));
        // The frame pagemap gives for the THP's first page is the leaf's frame.
        var first = AddressTranslation.Translate(target, new AddressRange(thp, thp + 1)).Single();
        Assert.Equal(first.Page.Entry.Pfn, leaves[0].MinFrame);
    }

    [SkippableFact]
    public void WalkFollowsTheTablesOfTheTree()
    {
        using var specimen = Specimen.Start("--thp", "--pattern", "5", "2");
        using var target = LiveProcess.Open(specimen.Pid);
        var tree = PageTableReconstruction.Build(target, full: true);
        var names = tree.Tables.ToDictionary(t => t.Name);

        foreach (string fact in new[] { "data", "heap", "sparse-present", "stack", "thp", "pattern" })
        {
            ulong address = specimen[fact];
            var walk = PageWalk.Walk(target, address);
            foreach (var step in walk.Steps.Where(s => s.State is WalkEntryState.NextTable or WalkEntryState.Leaf))
            {
                Assert.True(names.TryGetValue(step.Table, out var table), $"{fact}: walk's table {step.Table} is not in the tree");
                Assert.Equal(step.Level, table.Level);
                var run = table.Runs.Single(r => r.FirstIndex <= step.Index && step.Index <= r.LastIndex);
                Assert.Equal(step.State == WalkEntryState.Leaf ? TableEntryKind.Leaf : TableEntryKind.Table, run.Kind);
                if (run.Kind == TableEntryKind.Leaf)
                {
                    // Exact runs: the entry's frame follows from the run's first frame.
                    ulong pagesPerLeaf = target.Machine.Paging.EntrySpan(step.Level) / 4096;
                    ulong frame = run.MinFrame + (ulong)(step.Index - run.FirstIndex) * pagesPerLeaf;
                    Assert.Equal(walk.PhysicalAddress! / 4096 / pagesPerLeaf * pagesPerLeaf, frame);
                }
            }
        }
    }

    [SkippableFact]
    public void SvgOfSleepShowsEveryLevelTableAndMapping()
    {
        using var sleep = System.Diagnostics.Process.Start("sleep", "600");
        try
        {
            WaitUntilAsleep(sleep.Id);
            string svgPath = Path.Combine(Path.GetTempPath(), $"pageatlas-sleep-{sleep.Id}.svg");
            var (code, _, err) = CliErrorTests.Run("pagetable", sleep.Id.ToString(), "--format", "svg", "-o", svgPath);
            Assert.True(code == 0, err);
            var svg = XDocument.Load(svgPath);
            File.Delete(svgPath);
            XNamespace ns = "http://www.w3.org/2000/svg";
            string Text(XElement e) => string.Join(" ", e.Descendants(ns + "text").Select(t => t.Value.Replace('\u00a0', ' ')));
            var clusters = svg.Descendants(ns + "g").Where(g => (string?)g.Attribute("class") == "cluster").Select(Text).ToArray();
            var nodes = svg.Descendants(ns + "g").Where(g => (string?)g.Attribute("class") == "node" && g.Element(ns + "title")?.Value != "legend").ToArray();

            Assert.Equal(["PGD", "PUD", "PMD", "PTE"], clusters.Select(c => c.Split(' ')[0]));
            // One node per table: the PGD plus the PUD, PMD and PTE tables VmPTE counts (sleep has no THP).
            Assert.Equal(1 + (int)(ReadVmPteBytes(sleep.Id) / 4096), nodes.Length);
            string all = string.Join("\n", nodes.Select(Text));
            string squeezed = System.Text.RegularExpressions.Regex.Replace(all, " +", " ");
            // Each mapping smaps says is resident appears beside its PTE entries.
            var resident = Smaps.Areas(sleep.Id).Where(a => a.RssKb > 0 && a.Path is not ("[vsyscall]" or "[vvar]" or "[vvar_vclock]")).ToArray();
            Assert.NotEmpty(resident);
            foreach (var area in resident) Assert.Contains(System.Text.RegularExpressions.Regex.Replace(area.Header, " +", " "), squeezed);
            Assert.Contains("PA 0x", all);
        }
        finally
        {
            sleep.Kill();
        }
    }

    /// <summary>
    /// Waits until sleep(1) sleeps in nanosleep (the kernel's wchan says so): until then the dynamic
    /// loader may still be mapping libraries, and the picture, VmPTE and smaps read one after the other
    /// would each see another process. A bound on a hang, not a timing assert.
    /// </summary>
    private static void WaitUntilAsleep(int pid)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!File.ReadAllText($"/proc/{pid}/wchan").Contains("nanosleep", StringComparison.Ordinal))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"sleep ({pid}) was not asleep in nanosleep after 60 s");
            Thread.Sleep(20);
        }
    }

    private static ulong ReadVmPteBytes(int pid) =>
        ulong.Parse(File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmPTE:", StringComparison.Ordinal))[6..].Trim().Split(' ')[0]) * 1024;
}

/// <summary>pagetable's output handling: bad formats, unwritable places, a missing Graphviz.</summary>
public class PageTableCliTests
{
    [SkippableFact]
    public void UnknownFormatExitsWith2()
    {
        using var specimen = Specimen.Start();
        var (code, _, err) = CliErrorTests.Run("pagetable", specimen.Pid.ToString(), "--format", "png");
        Assert.Equal(2, code);
        Assert.StartsWith("pageatlas: ", err);
    }

    [SkippableFact]
    public void OutputIntoAMissingDirectoryExitsWith11()
    {
        using var specimen = Specimen.Start();
        var (code, _, err) = CliErrorTests.Run("pagetable", specimen.Pid.ToString(), "-o", "/nonexistent-dir/x.dot", "--format", "dot");
        Assert.Equal(11, code);
        Assert.Contains("does not exist", err);
    }

    [SkippableFact]
    public void MissingGraphvizExitsWith8AndLeavesNoFile()
    {
        using var specimen = Specimen.Start();
        string directory = Directory.CreateTempSubdirectory("pageatlas-svg").FullName;
        string svg = Path.Combine(directory, "tree.svg");
        string dotnet = Path.GetDirectoryName(Environment.ProcessPath!)!;
        // A PATH with dotnet but without Graphviz's dot.
        var environment = new Dictionary<string, string> { ["PATH"] = dotnet };
        var (code, _, err) = CliErrorTests.RunWithEnvironment(null, null, environment, "pagetable", specimen.Pid.ToString(), "--format", "svg", "-o", svg);
        Assert.Equal(8, code);
        Assert.Contains("Graphviz", err);
        Assert.Empty(Directory.GetFiles(directory));
        Directory.Delete(directory);
    }

    [SkippableFact]
    public void JsonListsEveryTableWithItsEntriesAndTheVmPteComparison()
    {
        using var specimen = Specimen.Start("--pattern", "3", "1");
        var (code, stdout, err) = CliErrorTests.Run("pagetable", specimen.Pid.ToString(), "--json");
        Assert.True(code == 0, err);
        using var doc = System.Text.Json.JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal("pageatlas/pagetable", root.GetProperty("schema").GetString());
        var tables = root.GetProperty("tables").EnumerateArray().ToArray();
        ulong pattern = specimen["pattern"];
        ulong Start(System.Text.Json.JsonElement t) => Convert.ToUInt64(t.GetProperty("spanStart").GetString(), 16);
        var patternPtes = tables.Where(t => t.GetProperty("level").GetString() == "PTE" && Start(t) >= pattern && Start(t) < pattern + (1UL << 30)).ToArray();
        // Pages in 2 MiB slots 0, 1 and 2 of the gigabyte: three PTE tables, one entry each.
        Assert.Equal([pattern, pattern + 0x200000, pattern + 0x400000], patternPtes.Select(Start));
        Assert.All(patternPtes, t => Assert.Equal(1, t.GetProperty("usedEntries").GetInt32()));
        long kernelBytes = root.GetProperty("vmPte").GetProperty("kernelBytes").GetInt64();
        long tablesCounted = root.GetProperty("levels").EnumerateArray().Where(l => l.GetProperty("level").GetString() != "PGD").Sum(l => l.GetProperty("tableCount").GetInt64());
        Assert.True(kernelBytes / 4096 >= tablesCounted);
    }

    [SkippableFact]
    public void APartialPictureSaysItsCountsAreOfTheRangeAndVmPteIsTheWholeProcesss()
    {
        using var specimen = Specimen.Start("--pattern", "3", "1");
        ulong pattern = specimen["pattern"];
        var (code, dot, err) = CliErrorTests.Run("pagetable", specimen.Pid.ToString(), "--format", "dot", "--range", $"0x{pattern:x}+1G");
        Assert.True(code == 0, err);
        long vmPteKb = long.Parse(File.ReadLines($"/proc/{specimen.Pid}/status").Single(l => l.StartsWith("VmPTE:", StringComparison.Ordinal))[6..].Trim().Split(' ')[0]);
        // 1 PUD, 1 PMD and 3 PTE tables under the range; VmPTE counts every table of the process.
        Assert.Contains($"page tables of 0x{pattern:x}–0x{pattern + (1UL << 30):x} only", dot, StringComparison.Ordinal);
        Assert.Matches($@"PUD 1, PMD 1, PTE 3 tables; VmPTE {vmPteKb} kB is the whole process's", dot);
        (code, string text, err) = CliErrorTests.Run("pagetable", specimen.Pid.ToString(), "--range", $"0x{pattern:x}+1G");
        Assert.True(code == 0, err);
        Assert.Contains($"PUD + PMD + PTE tables reconstructed in this range: 5 (20 kB); kernel's VmPTE: {vmPteKb} kB ({vmPteKb / 4} tables), the whole process's", text, StringComparison.Ordinal);
    }
}
