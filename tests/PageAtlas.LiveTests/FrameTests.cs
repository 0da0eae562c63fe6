using System.Text.Json;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.LiveTests;

/// <summary>The frame census, the frame → owners search and the physical map, against the kernel's files read independently.</summary>
public class FrameTests
{
    /// <summary>kpageflags words read here with plain file I/O, not PageAtlas' reader.</summary>
    private static ulong[] ReadFlags(ulong firstPfn, int count)
    {
        using var file = new FileStream("/proc/kpageflags", FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
        file.Position = (long)firstPfn * 8;
        var bytes = new byte[count * 8];
        file.ReadExactly(bytes);
        return Enumerable.Range(0, count).Select(i => BitConverter.ToUInt64(bytes, i * 8)).ToArray();
    }

    private static FrameCensusReport Census(ulong firstPfn, ulong endPfn, params string[] filter)
    {
        using var frames = new LiveFrameSource();
        return FrameCensus.Take(frames, FrameFilter.Parse(filter), firstPfn, endPfn);
    }

    [SkippableFact]
    public void CensusOfAThpsFramesMatchesKpageflagsReadDirectly()
    {
        using var specimen = Specimen.Start("--thp");
        using var target = LiveProcess.Open(specimen.Pid);
        ulong pfn = AddressTranslation.Translate(target, new AddressRange(specimen["thp"], specimen["thp"] + 1)).Single().Page.Entry.Pfn;
        // The LRU bits (referenced, active) of the THP can move on a busy machine: the census is taken
        // between two direct readings, again (three times at most) until the two agree.
        FrameCensusReport report = null!;
        ulong[] direct = [], after = [];
        for (int attempt = 0; attempt < 3 && (attempt == 0 || !direct.SequenceEqual(after)); attempt++)
        {
            direct = ReadFlags(pfn, 512);
            report = Census(pfn, pfn + 512);
            after = ReadFlags(pfn, 512);
        }

        Assert.Equal(512UL, report.ScannedFrames);
        // Every distinct flag set and its count, exactly as read directly.
        var expected = direct.GroupBy(f => f).ToDictionary(g => g.Key, g => (ulong)g.Count());
        Assert.Equal(expected, report.Combinations.ToDictionary(c => (ulong)c.Flags, c => c.Frames));
        ulong Row(string name) => report.Rows.Single(r => r.Name == name).Frames;
        Assert.Equal(512UL, Row("large folios (thp flag)"));
        Assert.Equal(0UL, Row("shmem THP") + Row("page-cache large folios"));
        Assert.Equal(512UL, Row("anonymous THP"));
        Assert.Equal(512UL, Row("compound (huge, THP, large folios)"));
        Assert.Equal(512UL, Row("anonymous, mapped"));
        Assert.Single(report.Combinations, c => c.Flags.HasFlag(FrameFlags.CompoundHead));

        var filtered = Census(pfn, pfn + 512, "compound_tail");
        Assert.Equal(511UL, filtered.MatchedFrames);
    }

    /// <summary>
    /// The kernel's counters move while the census scans (most on a busy machine), so each is read
    /// before the scan and right after it, and the census must lie between the two readings, widened
    /// only by the error the kernel allows its own counters: per-CPU vmstat deltas not yet folded in,
    /// at most the sum of every CPU's "vm stats threshold" in /proc/zoneinfo. A counter that went up
    /// and down within the scan can still fall outside; then the census is taken again (at most 5
    /// times), and every attempt's misses are shown if none holds.
    /// </summary>
    [SkippableFact]
    public void WholeMachineCensusAgreesWithTheKernelsOwnCounters()
    {
        ulong drift = (ulong)File.ReadLines("/proc/zoneinfo").Where(l => l.Contains("vm stats threshold:", StringComparison.Ordinal))
            .Sum(l => long.Parse(l[(l.LastIndexOf(':') + 1)..].Trim(), System.Globalization.CultureInfo.InvariantCulture)) * 4096;
        var misses = new List<string>();
        for (int attempt = 1; attempt <= 5; attempt++)
        {
            var before = ProcMeminfo.Read();
            FrameCensusReport report;
            ProcMeminfo after;
            // The counters the census compared with: read once, right after its scan.
            using (var frames = new LiveFrameSource())
            {
                var once = new MachineFilesReadOnce(frames);
                report = FrameCensus.Take(once, FrameFilter.All);
                after = once.ReadMeminfo();
            }
            ulong Row(string name) => report.Rows.Single(r => r.Name == name).Frames;
            CheckStructure(report, Row);

            var missed = new List<string>();
            void Between(string fields, string row)
            {
                ulong Sum(ProcMeminfo m) => fields.Split('+').Aggregate(0UL, (s, f) => s + m[f]!.Value);
                ulong a = Sum(before), b = Sum(after), ours = Row(row) * 4096;
                ulong low = Math.Min(a, b), high = Math.Max(a, b);
                if (ours + drift < low || ours > high + drift)
                    missed.Add($"{row}: census {ours / 1024} kB, {fields} {a / 1024} kB before and {b / 1024} kB after (allowed drift {drift / 1024} kB)");
            }
            Between("Active(file)+Inactive(file)", "file-backed (page cache)");
            Between("Unevictable", "unevictable");
            Between("Mlocked", "mlocked");
            Between("AnonPages", "anonymous, mapped");
            Between("Dirty", "file dirty");
            Between("AnonHugePages", "anonymous THP");
            if (missed.Count == 0) return;
            misses.Add($"attempt {attempt}: {string.Join("; ", missed)}");
        }
        Assert.Fail(string.Join("\n", misses));
    }

    /// <summary>What must hold of any census of the whole machine, however the counters move.</summary>
    private static void CheckStructure(FrameCensusReport report, Func<string, ulong> row)
    {
        Assert.True(report.WholeMachine);
        // max_pfn: the last System RAM byte of /proc/iomem rounded up to a frame.
        ulong ramEnd = ProcIomem.Read().Where(r => r.IsSystemRam).Max(r => r.End) + 1;
        Assert.Equal((ramEnd + 4095) / 4096, report.EndPfn);
        Assert.Equal(report.ScannedFrames, report.MatchedFrames);
        // Frames that do not move: reserved at boot.
        ulong reservedDirect = 0;
        for (ulong pfn = 0; pfn < report.EndPfn; pfn += 65536)
            reservedDirect += (ulong)ReadFlags(pfn, (int)Math.Min(65536, report.EndPfn - pfn)).Count(f => (f & (1UL << 32)) != 0);
        Assert.Equal(reservedDirect, row("reserved"));
        // Free pages: every page of the buddy blocks read with the counters, and memory not yet initialised.
        Assert.Equal(ProcBuddyinfo.FreePages(report.FreeZones) + row("free, not yet initialised"), row("free pages"));
        // Flagless frames are split, never lost: the scan's flagless set = "no flags" + not yet initialised.
        ulong flagless = report.Combinations.Where(c => c.Flags == FrameFlags.None).Aggregate(0UL, (s, c) => s + c.Frames);
        Assert.Equal(flagless, row("no flags") + row("free, not yet initialised"));
        Assert.Equal(report.Combinations.Where(c => !c.Flags.HasFlag(FrameFlags.NoPage)).Aggregate(0UL, (s, c) => s + c.Frames), row("valid frames"));
        Assert.Equal(row("dirty"), report.Combinations.Where(c => c.Flags.HasFlag(FrameFlags.Dirty)).Aggregate(0UL, (s, c) => s + c.Frames));
        Assert.True(row("file dirty") <= row("dirty"));
        Assert.Equal(row("large folios (thp flag)"), row("anonymous THP") + row("shmem THP") + row("page-cache large folios"));
    }

    /// <summary>Every frame of <paramref name="runs"/>, read directly, has no flags and no map count.</summary>
    private static bool AllUnused(IReadOnlyList<FrameRange> runs)
    {
        using var counts = new FileStream("/proc/kpagecount", FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
        foreach (var run in runs)
        {
            for (ulong pfn = run.StartPfn; pfn < run.EndPfn; pfn += 65536)
            {
                int n = (int)Math.Min(65536, run.EndPfn - pfn);
                if (ReadFlags(pfn, n).Any(f => f != 0)) return false;
                counts.Position = (long)pfn * 8;
                var bytes = new byte[n * 8];
                counts.ReadExactly(bytes);
                if (bytes.Any(b => b != 0)) return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Memory the kernel has not initialised yet (this machine boots with deferred_init=lazy) is
    /// found at the tops of zones: every frame of it, read directly, has no flags and no map count,
    /// it is no larger than the zone's present − managed pages, and the census and the physical map
    /// both give it its own kind instead of calling it kernel memory.
    /// </summary>
    [SkippableFact]
    public void MemoryNotYetInitialisedIsFreeAndFoundAtTheTopsOfZones()
    {
        var zones = ProcZoneinfo.Read();
        if (!zones.Any(z => z.Present > z.Managed + UninitialisedMemory.BlockFrames))
            throw new SkipException("every zone's present pages are managed: this kernel initialised all memory at boot (no deferred_init)");
        using var frames = new LiveFrameSource();
        // The kernel initialises more of it, from the bottom up, whenever it runs short: a frame found
        // in use means the boundary moved since it was located, and the check starts again.
        IReadOnlyList<FrameRange> runs = [];
        for (int attempt = 0; attempt < 3 && (attempt == 0 || !AllUnused(runs)); attempt++)
        {
            zones = ProcZoneinfo.Read();
            runs = UninitialisedMemory.Locate(frames, zones);
        }
        Assert.True(AllUnused(runs), "the located runs hold used or flagged frames");
        Assert.NotEmpty(runs);
        foreach (var run in runs)
        {
            var zone = zones.Single(z => run.StartPfn >= z.StartPfn && run.EndPfn <= z.EndPfn);
            Assert.Equal(zone.EndPfn, run.EndPfn);
            Assert.Equal(0UL, run.StartPfn % UninitialisedMemory.BlockFrames);
            Assert.True(run.Frames <= zone.Present - zone.Managed);
        }
        // The census finds the runs during its scan, the map before its own: the same runs, unless the
        // kernel initialised more in between (then both are taken again).
        FrameCensusReport report = null!;
        PhysicalMapReport map = null!;
        for (int attempt = 0; attempt < 3 && (attempt == 0 || Frames(report.Uninitialised) != map.Total[FrameKind.Uninitialised]); attempt++)
        {
            report = FrameCensus.Take(frames, FrameFilter.All);
            map = PhysicalMap.Draw(frames);
        }
        Assert.Equal(Frames(report.Uninitialised), report.Rows.Single(r => r.Name == "free, not yet initialised").Frames);
        Assert.Equal(Frames(report.Uninitialised), map.Total[FrameKind.Uninitialised]);
        Assert.Contains(report.Notes, n => n.Contains("not yet initialised", StringComparison.Ordinal));
        // The CLI's map draws it with its own letter.
        var (code, stdout, _) = CliErrorTests.Run("physmap");
        Assert.Equal(0, code);
        Assert.Contains("'_'", stdout);
    }

    private static ulong Frames(IReadOnlyList<FrameRange> runs) => runs.Aggregate(0UL, (s, r) => s + r.Frames);

    [SkippableFact]
    public void FrameOwnersFindsBothRunsOfACodePageAndOnlyTheHeapsOwner()
    {
        using var first = Specimen.Start();
        using var second = Specimen.Start();
        using var one = LiveProcess.Open(first.Pid);
        using var other = LiveProcess.Open(second.Pid);
        var code = AddressTranslation.Translate(one, new AddressRange(first["code"], first["code"] + 1)).Single().Page;
        var heap = AddressTranslation.Translate(one, new AddressRange(first["heap"], first["heap"] + 1)).Single().Page;
        using var frames = new LiveFrameSource();

        var codeOwners = FrameOwners.Find(code.Entry.Pfn, frames, ProcessList.Pids(), LiveProcess.Open, null, null);
        Assert.Contains(codeOwners.Mappings, m => m.Pid == first.Pid && m.Address == (first["code"] & ~4095UL) && m.Vma.Class.Kind == SegmentKind.Code);
        Assert.Contains(codeOwners.Mappings, m => m.Pid == second.Pid && m.Address == (second["code"] & ~4095UL));
        Assert.Equal(codeOwners.MapCount, (ulong)codeOwners.Mappings.Count);

        var heapOwners = FrameOwners.Find(heap.Entry.Pfn, frames, ProcessList.Pids(), LiveProcess.Open, null, null);
        var owner = Assert.Single(heapOwners.Mappings);
        Assert.Equal((first.Pid, first["heap"] & ~4095UL, SegmentKind.Heap), (owner.Pid, owner.Address, owner.Vma.Class.Kind));
        Assert.Equal(1UL, heapOwners.MapCount);
    }

    [SkippableFact]
    public void FrameCommandNamesTheMemoryCgroupAndTheOwnerInJson()
    {
        using var specimen = Specimen.Start();
        using var target = LiveProcess.Open(specimen.Pid);
        var heap = AddressTranslation.Translate(target, new AddressRange(specimen["heap"], specimen["heap"] + 1)).Single().Page;
        var (code, stdout, err) = CliErrorTests.Run("frame", "--phys", $"0x{heap.Entry.Pfn * 4096 + 0x10:x}", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal($"0x{heap.Entry.Pfn:x}", root.GetProperty("pfn").GetString());
        var mapping = Assert.Single(root.GetProperty("mappings").EnumerateArray());
        Assert.Equal(specimen.Pid, mapping.GetProperty("pid").GetInt32());
        // The specimen's own cgroup, as /proc/<pid>/cgroup names it, is where its heap page is charged.
        string line = File.ReadAllLines($"/proc/{specimen.Pid}/cgroup").First(l => l.Contains("memory", StringComparison.Ordinal) || l.StartsWith("0::", StringComparison.Ordinal));
        string cgroup = line[(line.LastIndexOf(':') + 1)..];
        Assert.EndsWith(cgroup.TrimEnd('/'), root.GetProperty("cgroup").GetString()!.TrimEnd('/'));
    }

    [SkippableFact]
    public void PhysicalMapCountsEveryFrameOnceAndFindsAReservedHugePage()
    {
        using var pool = new HugePagePool(2048, 1);
        using var specimen = Specimen.Start("--hugetlb-mib", "2");
        using var frames = new LiveFrameSource();
        var map = PhysicalMap.Draw(frames);

        Assert.Equal(map.FrameLimit, map.Total.Counts.Aggregate(0UL, (s, c) => s + c));
        Assert.Equal(map.FrameLimit, map.Cells.Aggregate(0UL, (s, c) => s + c.Frames));
        Assert.True(map.Total[FrameKind.Hugetlb] >= 512);
        using var target = LiveProcess.Open(specimen.Pid);
        ulong pfn = AddressTranslation.Translate(target, new AddressRange(specimen["hugetlb"], specimen["hugetlb"] + 1)).Single().Page.Entry.Pfn;
        var cell = map.Cells.Single(c => pfn >= c.FirstPfn && pfn < c.FirstPfn + c.Frames);
        Assert.True(cell[FrameKind.Hugetlb] >= 512);
        var ram = map.Ranges.Single(r => r.Range.IsSystemRam && pfn * 4096 >= r.Range.Start && pfn * 4096 <= r.Range.End);
        Assert.True(ram.Kinds[FrameKind.Hugetlb] >= 512);
        // Free frames estimated from block heads and alignment land near buddyinfo's exact count.
        double estimate = map.Total[FrameKind.Free], exact = map.BuddyinfoFreePages;
        Assert.True(Math.Abs(estimate - exact) <= exact * 0.05 + 4096, $"free estimate {estimate} frames, buddyinfo {exact}");
    }

    [SkippableFact]
    public void CensusWithoutPrivilegeSaysWhatIsMissing()
    {
        var (code, _, err) = CliErrorTests.RunAs(AsNobody.Prefix, "frames");
        Assert.Equal(5, code);
        Assert.Contains("/proc/kpageflags", err);
        Assert.DoesNotContain("   at ", err);
    }

    /// <summary>
    /// `frame` reads every process; processes that exit during the search (here a churn of short-lived
    /// ones, each mapping libc like everyone else) are skipped with a note, and the JSON on stdout is
    /// always one complete document. Before, an owner that exited made it fail with exit 3 and a
    /// truncated document (its class was worked out after the search, by reopening it).
    /// </summary>
    [SkippableFact]
    public void FrameSearchSurvivesProcessesThatComeAndGo()
    {
        using var specimen = Specimen.Start();
        ulong pfn;
        using (var target = LiveProcess.Open(specimen.Pid))
        {
            var libc = target.Vmas.First(v => v.Class.Kind == SegmentKind.LibraryCode && v.Class.Owner is { } o && o.StartsWith("libc.so", StringComparison.Ordinal));
            pfn = target.ReadPages(libc.Vma.Start, libc.Vma.End, PageReadOptions.PopulatedWithFrames).SelectMany(b => b.Pages.ToArray()).First(p => p.Entry.IsPresent).Entry.Pfn;
        }
        var churn = System.Diagnostics.Process.Start("sh", ["-c", "while :; do for i in 1 2 3 4 5 6 7 8; do sleep 0.0$i & done; sleep 0.01; done"])!;
        try
        {
            for (int run = 0; run < 10; run++)
            {
                var (code, stdout, stderr) = CliErrorTests.Run("frame", $"0x{pfn:x}", "--json");
                Assert.True(code == 0, $"run {run}: exit {code}: {stderr}");
                var root = JsonDocument.Parse(stdout).RootElement;
                Assert.Contains(root.GetProperty("mappings").EnumerateArray(), m => m.GetProperty("pid").GetInt32() == specimen.Pid);
            }
        }
        finally
        {
            churn.Kill(entireProcessTree: true);
            churn.WaitForExit();
        }
    }
}
