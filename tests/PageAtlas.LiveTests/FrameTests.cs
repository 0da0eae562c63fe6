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
        using var frames = new KernelPageFrames();
        return FrameCensus.Take(frames, FrameFilter.Parse(filter), ProcMeminfo.Read(), ProcBuddyinfo.Read(), ProcZoneinfo.Read(), 4096, firstPfn, endPfn);
    }

    [SkippableFact]
    public void CensusOfAThpsFramesMatchesKpageflagsReadDirectly()
    {
        using var specimen = Specimen.Start("--thp");
        using var target = LiveProcess.Open(specimen.Pid);
        ulong pfn = AddressTranslation.Translate(target, new AddressRange(specimen["thp"], specimen["thp"] + 1)).Single().Page.Entry.Pfn;
        var report = Census(pfn, pfn + 512);
        var direct = ReadFlags(pfn, 512);

        Assert.Equal(512UL, report.ScannedFrames);
        // Every distinct flag set and its count, exactly as read directly.
        var expected = direct.GroupBy(f => f).ToDictionary(g => g.Key, g => (ulong)g.Count());
        Assert.Equal(expected, report.Combinations.ToDictionary(c => (ulong)c.Flags, c => c.Frames));
        ulong Row(string name) => report.Rows.Single(r => r.Name == name).Frames;
        Assert.Equal(512UL, Row("transparent huge pages"));
        Assert.Equal(512UL, Row("anonymous THP"));
        Assert.Equal(512UL, Row("compound (huge, THP, large folios)"));
        Assert.Equal(512UL, Row("anonymous, mapped"));
        Assert.Single(report.Combinations, c => c.Flags.HasFlag(FrameFlags.CompoundHead));

        var filtered = Census(pfn, pfn + 512, "compound_tail");
        Assert.Equal(511UL, filtered.MatchedFrames);
    }

    [SkippableFact]
    public void WholeMachineCensusAgreesWithTheKernelsOwnCounters()
    {
        using var frames = new KernelPageFrames();
        var report = FrameCensus.Take(frames, FrameFilter.All, ProcMeminfo.Read(), ProcBuddyinfo.Read(), ProcZoneinfo.Read(), 4096);
        var meminfo = ProcMeminfo.Read();
        ulong Row(string name) => report.Rows.Single(r => r.Name == name).Frames;

        Assert.True(report.WholeMachine);
        // max_pfn: the last System RAM byte of /proc/iomem rounded up to a frame.
        ulong ramEnd = ProcIomem.Read().Where(r => r.IsSystemRam).Max(r => r.End) + 1;
        Assert.Equal((ramEnd + 4095) / 4096, report.EndPfn);
        Assert.Equal(report.ScannedFrames, report.MatchedFrames);
        // Frames that do not move: reserved at boot.
        ulong reservedDirect = 0;
        for (ulong pfn = 0; pfn < report.EndPfn; pfn += 65536)
            reservedDirect += (ulong)ReadFlags(pfn, (int)Math.Min(65536, report.EndPfn - pfn)).Count(f => (f & (1UL << 32)) != 0);
        Assert.Equal(reservedDirect, Row("reserved"));
        // Live figures, read by the kernel's counters a moment apart: within 2% and 2 MiB.
        void Near(ulong? kernelBytes, ulong frames, string what)
        {
            Assert.NotNull(kernelBytes);
            double ours = frames * 4096.0, theirs = kernelBytes.Value;
            Assert.True(Math.Abs(ours - theirs) <= theirs * 0.02 + (2 << 20), $"{what}: census {ours / 1024} kB, kernel {theirs / 1024} kB");
        }
        Near(meminfo["Active(file)"] + meminfo["Inactive(file)"], Row("file-backed (page cache)"), "file LRU");
        Near(meminfo["Unevictable"], Row("unevictable"), "unevictable");
        Near(meminfo["Mlocked"], Row("mlocked"), "mlocked");
        Near(ProcBuddyinfo.Read().Aggregate(0UL, (s, z) => s + z.FreePages) * 4096, Row("free pages"), "free pages");
        Assert.Contains(report.Notes, n => n.Contains("buddyinfo", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void FrameOwnersFindsBothRunsOfACodePageAndOnlyTheHeapsOwner()
    {
        using var first = Specimen.Start();
        using var second = Specimen.Start();
        using var one = LiveProcess.Open(first.Pid);
        using var other = LiveProcess.Open(second.Pid);
        var code = AddressTranslation.Translate(one, new AddressRange(first["code"], first["code"] + 1)).Single().Page;
        var heap = AddressTranslation.Translate(one, new AddressRange(first["heap"], first["heap"] + 1)).Single().Page;
        using var frames = new KernelPageFrames();

        var codeOwners = FrameOwners.Find(code.Entry.Pfn, frames, ProcessList.Pids(), LiveProcess.Open, null, null, 4096);
        Assert.Contains(codeOwners.Mappings, m => m.Pid == first.Pid && m.Address == (first["code"] & ~4095UL) && m.Vma.Class.Kind == SegmentKind.Code);
        Assert.Contains(codeOwners.Mappings, m => m.Pid == second.Pid && m.Address == (second["code"] & ~4095UL));
        Assert.Equal(codeOwners.MapCount, (ulong)codeOwners.Mappings.Count);

        var heapOwners = FrameOwners.Find(heap.Entry.Pfn, frames, ProcessList.Pids(), LiveProcess.Open, null, null, 4096);
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
        var (code, stdout, err) = CliErrorTests.Run("frame", $"0x{heap.Entry.Pfn * 4096 + 0x10:x}", "--phys", "--json");
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
        using var frames = new KernelPageFrames();
        var map = PhysicalMap.Draw(frames, ProcIomem.Read(), ProcZoneinfo.Read(), ProcBuddyinfo.Read(), 4096);

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
        string[] asNobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all"];
        var (code, _, err) = CliErrorTests.RunAs(asNobody, "frames");
        Assert.Equal(5, code);
        Assert.Contains("/proc/kpageflags", err);
        Assert.DoesNotContain("   at ", err);
    }
}
