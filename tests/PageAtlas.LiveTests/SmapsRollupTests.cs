using System.Diagnostics;
using System.Globalization;
using PageAtlas.Analysis;
using PageAtlas.Labs;
using PageAtlas.Linux;

namespace PageAtlas.LiveTests;

/// <summary>
/// The process list's measurement (`pageatlas ps`, the explorer's list, the exporter's series):
/// smaps_rollup read through <see cref="ProcessScan"/>, against the pagemap path that measured them
/// before (pagemap joined with kpageflags and kpagecount, <see cref="Composition.MeasureTotal"/>) and
/// against the files the test reads itself; and what the scan does with a process that vanishes or
/// is refused while it is read.
/// </summary>
public class SmapsRollupTests
{
    private static string UniqueName() => "ru" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>A specimen of every kind of page both paths tell apart: THP, anonymous written, shared memory of four kinds, zero-page reads.</summary>
    private static SpecimenProcess Rich(string name) => Specimen.StartNamed(name, "layout", "--thp", "--touch-mib", "4", "--shared", "--zero-mib", "1");

    /// <summary>What the scan reads of the process named <paramref name="name"/>: smaps_rollup, VmPTE and the VMA count.</summary>
    private static (SmapsRollup Memory, ulong? PageTables, int Vmas) Scanned(string name)
    {
        var scan = new ProcessScan(new ProcessFilter(name), UserNames.Read());
        var found = scan.Measure(p => Tuple.Create(p.Memory(), p.PageTableBytes, p.VmaCount())).ToList();
        var one = Assert.Single(found);
        return (one.Item1, one.Item2, one.Item3);
    }

    /// <summary>The figures both paths give, in kB: Rss, Pss, Shared_Clean/Dirty, Private_Clean/Dirty, Anonymous, AnonHugePages, Swap, KSM.</summary>
    private static ulong[] Fast(SmapsRollup r) =>
        [.. new[] { r.Rss, r.Pss, r.SharedClean, r.SharedDirty, r.PrivateClean, r.PrivateDirty, r.Anonymous, r.AnonHugePages, r.Swap, r.Ksm ?? 0 }.Select(b => b / 1024)];

    /// <summary>
    /// The same figures by the pagemap path, with every map count as the kernel has it now (no
    /// correction for the reader's own mappings: the kernel's smaps_rollup makes none either).
    /// </summary>
    private static ulong[] Pagemap(int pid)
    {
        using var target = LiveProcess.Open(pid);
        var c = Composition.MeasureTotal(target);
        ulong page = (ulong)target.Machine.PageSize;
        return [.. new[] { c.Resident * page, c.PssBytes, c.SharedClean * page, c.SharedDirty * page, c.PrivateClean * page, c.PrivateDirty * page,
            c.Anonymous * page, c.AnonymousHuge * page, c.AllSwapped * page, c.Ksm * page }.Select(b => b / 1024)];
    }

    /// <summary>
    /// The fast path's figures equal the pagemap path's for an idle specimen, to the kB. The specimen
    /// maps libc, whose map counts move whenever any process on the machine starts or exits (other
    /// developers' builds do all the time), and with them its Pss: an attempt counts only when the
    /// pagemap path read the same before and after smaps_rollup (see <see cref="Agreed"/>).
    /// </summary>
    [SkippableFact]
    public void TheFastPathEqualsThePagemapPathForAnIdleSpecimen()
    {
        string name = UniqueName();
        using var specimen = Rich(name);
        var fast = Agreed(() => (Pagemap(specimen.Pid), Fast(Scanned(name).Memory), Pagemap(specimen.Pid)),
            "smaps_rollup never equalled the pagemap path read either side of it (rss,pss,shared clean/dirty,private clean/dirty,anonymous,thp,swap,ksm kB)");
        Assert.True(fast[7] >= 4096, $"the specimen's 4 MiB THP is not in AnonHugePages: {fast[7]} kB (the comparison would prove less)");
        Assert.True(fast[5] >= 8192 && fast[2] > 0 && fast[1] < fast[0], "written memory both paths see as private and dirty, libc as shared and clean, and so a PSS below RSS");
    }

    /// <summary>
    /// Reads (before, ours, after) until before equals after (nothing moved between) and ours equals
    /// them, and returns ours; a wrong figure is wrong at every attempt, so 10 attempts that never
    /// agree fail with the last one's figures.
    /// </summary>
    private static ulong[] Agreed(Func<(ulong[] Before, ulong[] Ours, ulong[] After)> read, string failure)
    {
        string last = "";
        for (int attempt = 1; attempt <= 10; attempt++)
        {
            var (before, ours, after) = read();
            if (before.SequenceEqual(after) && ours.SequenceEqual(before)) return ours;
            last = $"kernel {string.Join(",", before)} then {string.Join(",", after)}; ours {string.Join(",", ours)}";
        }
        Assert.Fail($"{failure} in 10 attempts; the last: {last}");
        return [];
    }

    /// <summary>
    /// Every figure the scan reads equals what the test reads itself, with its own parser: each
    /// smaps_rollup line, KSM against ksm_stat's ksm_merging_pages where smaps_rollup has no KSM line,
    /// VmPTE against status, the VMA count against the lines of maps. Read either side of the scan,
    /// retried while they move (Pss, with libc's map counts; see above).
    /// </summary>
    [SkippableFact]
    public void TheScannedFiguresEqualTheKernelFilesReadByTheTest()
    {
        string name = UniqueName();
        using var specimen = Rich(name);
        SmapsRollup r = default;
        Agreed(() =>
        {
            var before = KernelFiles(specimen.Pid);
            var scanned = Scanned(name);
            r = scanned.Memory;
            ulong[] ours =
            [
                r.Rss, r.Pss, r.PssAnon ?? ulong.MaxValue, r.PssFile ?? ulong.MaxValue, r.PssShmem ?? ulong.MaxValue, r.SharedClean, r.SharedDirty,
                r.PrivateClean, r.PrivateDirty, r.Anonymous, r.AnonHugePages, r.ShmemPmdMapped, r.FilePmdMapped ?? ulong.MaxValue, r.Swap, r.SwapPss,
                r.Ksm ?? ulong.MaxValue, scanned.PageTables ?? ulong.MaxValue, (ulong)scanned.Vmas,
            ];
            return (before, ours, KernelFiles(specimen.Pid));
        }, "the scan never equalled the files read either side of it (bytes: the smaps_rollup fields, KSM, VmPTE, VMAs)");
        Assert.Equal(r.AnonHugePages + r.ShmemPmdMapped + (r.FilePmdMapped ?? 0), r.ThpMapped);
        Assert.Equal(r.Rss - r.Anonymous, r.FileBacked);
    }

    /// <summary>The test's own reading, in bytes, in the order of <see cref="TheScannedFiguresEqualTheKernelFilesReadByTheTest"/>.</summary>
    private static ulong[] KernelFiles(int pid)
    {
        var rollup = Smaps.Rollup(pid);
        ulong Kb(string field) => rollup.TryGetValue(field, out ulong kb) ? kb * 1024 : ulong.MaxValue;
        ulong ksm = rollup.ContainsKey("KSM") ? Kb("KSM") : KsmStatPages(pid) is { } pages ? pages * (ulong)Environment.SystemPageSize : ulong.MaxValue;
        string? pte = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmPTE:", StringComparison.Ordinal));
        ulong pageTables = pte is null ? ulong.MaxValue : ulong.Parse(pte[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        return
        [
            Kb("Rss"), Kb("Pss"), Kb("Pss_Anon"), Kb("Pss_File"), Kb("Pss_Shmem"), Kb("Shared_Clean"), Kb("Shared_Dirty"), Kb("Private_Clean"),
            Kb("Private_Dirty"), Kb("Anonymous"), Kb("AnonHugePages"), Kb("ShmemPmdMapped"), Kb("FilePmdMapped"), Kb("Swap"), Kb("SwapPss"),
            ksm, pageTables, (ulong)File.ReadAllLines($"/proc/{pid}/maps").Length,
        ];
    }

    private static ulong? KsmStatPages(int pid)
    {
        string path = $"/proc/{pid}/ksm_stat";
        if (!File.Exists(path)) return null;
        string? line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("ksm_merging_pages ", StringComparison.Ordinal));
        return line is null ? null : ulong.Parse(line["ksm_merging_pages ".Length..], CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A process that exits after the scan reached it and before its smaps_rollup is read is skipped
    /// and counted as vanished: the scan goes on. The exit happens inside the measurement, so the
    /// ordering is certain, not a race the test hopes to win. Other processes of the machine may
    /// vanish during the same scan (between the listing of /proc and their stat): at least one.
    /// </summary>
    [Fact]
    public void AProcessThatExitsMidScanIsCountedAsVanishedAndSkipped()
    {
        string name = UniqueName();
        using var specimen = Specimen.StartNamed(name, "layout");
        var scan = new ProcessScan(new ProcessFilter(name), UserNames.Read());
        var reached = new List<int>();
        var measured = scan.Measure(p =>
        {
            reached.Add(p.Pid);
            specimen.Kill(); // returns once the process is reaped
            return Tuple.Create(p.Memory());
        }).ToList();
        Assert.Equal([specimen.Pid], reached);
        Assert.Empty(measured);
        Assert.True(scan.Vanished >= 1, "the specimen was not counted as vanished");
    }

    /// <summary>
    /// A zombie's smaps_rollup opens but its read fails with ESRCH: its memory is torn down
    /// (show_smaps_rollup, fs/proc/task_mmu.c). The reader calls that the process being gone — what the
    /// scan counts as vanished — not a malformed file. The zombie: sh starts a child and execs a sleep
    /// that never waits for it.
    /// </summary>
    [Fact]
    public void AZombiesSmapsRollupReadsAsGoneNotAsAnError()
    {
        using var parent = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "exec 2>/dev/null; /bin/true & exec /bin/sleep 60"]) { RedirectStandardInput = true })!;
        try
        {
            int zombie = WaitForZombieChild(parent.Id);
            var reader = new ProcFileReader();
            var e = Assert.Throws<TargetUnavailableException>(() => reader.Read(zombie, "smaps_rollup", SmapsRollup.Parse));
            Assert.Equal(zombie, e.Pid);
        }
        finally
        {
            parent.Kill();
            parent.WaitForExit();
        }
    }

    /// <summary>The child of <paramref name="parent"/> once it is a zombie (30 s is a bound on a hang, not a timing assert).</summary>
    private static int WaitForZombieChild(int parent)
    {
        var bound = Stopwatch.StartNew();
        while (bound.Elapsed < TimeSpan.FromSeconds(30))
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{parent}/task"))
            {
                string children = File.ReadAllText(Path.Combine(task, "children")).Trim();
                foreach (var child in children.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    string stat = File.ReadAllText($"/proc/{child}/stat");
                    if (stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z')) return int.Parse(child, CultureInfo.InvariantCulture);
                }
            }
            Thread.Sleep(20);
        }
        throw new TimeoutException($"no zombie child of {parent} within 30 s");
    }

    /// <summary>
    /// Not root: `pageatlas ps` as nobody counts every other user's process as refused (its
    /// smaps_rollup is EACCES: no ptrace access), exit 0 with a note, never an error; and a process of
    /// nobody's own is listed with its smaps_rollup's figures, PSS included — which the pagemap path
    /// could not give without root (kpagecount).
    /// </summary>
    [Fact]
    public void AsNobodyOtherUsersProcessesAreCountedAsRefusedAndOwnOnesMeasured()
    {
        using var own = AsNobody.StartSleep();
        try
        {
            var (code, output, err) = CliErrorTests.RunAs(AsNobody.Prefix, "ps", "--json", "--sort", "pid");
            Assert.True(code == 0, err);
            using var document = System.Text.Json.JsonDocument.Parse(output);
            var root = document.RootElement;
            Assert.True(root.GetProperty("skipped").GetProperty("refused").GetInt32() > 0, output);
            Assert.Contains("could not be read (permission denied", err, StringComparison.Ordinal);
            var processes = root.GetProperty("processes").EnumerateArray().ToList();
            Assert.All(processes, p => Assert.Equal(65534u, p.GetProperty("uid").GetUInt32()));
            var listed = Assert.Single(processes, p => p.GetProperty("pid").GetInt32() == own.Id);
            var rollup = Smaps.Rollup(own.Id);
            Assert.Equal(rollup["Rss"] * 1024, listed.GetProperty("rssBytes").GetUInt64());
            Assert.Equal((rollup["Private_Clean"] + rollup["Private_Dirty"]) * 1024, listed.GetProperty("ussBytes").GetUInt64());
            Assert.True(listed.GetProperty("pssBytes").GetUInt64() < listed.GetProperty("rssBytes").GetUInt64(), "a PSS of its own, below its RSS (it shares libc)");
        }
        finally
        {
            own.Kill();
            own.WaitForExit();
        }
    }
}
