using System.Text;
using System.Text.Json;
using PageAtlas.Analysis;
using PageAtlas.Labs;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;
using PageAtlas.Snapshots;

namespace PageAtlas.LiveTests;

/// <summary>
/// Shared memory of every kind pushed to swap (issue 14, item 1). The kernel keeps a swapped shmem
/// page's swap entry in the object, not in the page table, so pagemap calls it not populated; smaps
/// (per VMA), /proc/sysvipc/shm (per System V segment) and the specimen's own pattern (per page) say
/// where each page is. Each test makes a swap file of its own and removes it after.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SharedSwapTests
{
    private const int Mib = 8;
    private const ulong Pages = Mib * 256;
    private const ulong Quarter = Pages / 4;
    private const long SwapBytes = 128L << 20;

    /// <summary>The specimen's areas and the class each must get.</summary>
    private static readonly (string Name, SegmentKind Kind)[] s_areas =
    [
        ("shm-anon", SegmentKind.SharedAnonymous), ("shm-memfd", SegmentKind.Memfd), ("shm-posix", SegmentKind.PosixShm),
        ("shm-sysv", SegmentKind.SysVShm), ("shm-file", SegmentKind.FileMapping), ("shm-private", SegmentKind.FileMapping),
    ];

    /// <summary>
    /// Where the specimen's "pageout" leaves page <paramref name="page"/> of an area: the first four
    /// kinds a quarter mapped, a quarter resident in the object only, half in the object's swap; the
    /// shared tmpfs mapping all in the object's swap; the private one its copies in swap entries of
    /// its own page table and the rest in the file's swap.
    /// </summary>
    private static PageState Expected(string area, ulong page) => area switch
    {
        "shm-file" => PageState.SharedSwapped,
        "shm-private" => page < Pages / 2 ? PageState.Swapped : PageState.SharedSwapped,
        _ => page < Quarter ? PageState.Present : page < 2 * Quarter ? PageState.SharedResident : PageState.SharedSwapped,
    };

    private static ulong ExpectedCount(string area, PageState state) =>
        (ulong)Enumerable.Range(0, (int)Pages).Count(p => Expected(area, (ulong)p) == state);

    /// <summary>A swap file of the test's own (or none) and the specimen, disposed in reverse: the specimen first, then the swap file.</summary>
    private sealed class Scene : IDisposable
    {
        private readonly SwapArea? _swap;

        private Scene(SwapArea? swap, SpecimenProcess specimen)
        {
            _swap = swap;
            Specimen = specimen;
        }

        public SpecimenProcess Specimen { get; }

        public static Scene Start(bool withSwap = true)
        {
            var swap = withSwap ? SwapArea.Activate(SwapBytes) : null;
            try
            {
                var specimen = LiveTests.Specimen.StartProgram("shmswap", Mib.ToString());
                if (specimen.Facts.TryGetValue("tmpfs-unavailable", out var refused))
                {
                    specimen.Dispose();
                    throw new SkipException($"the specimen cannot mount a tmpfs in a mount namespace of its own (errno {refused.Value}): it needs CAP_SYS_ADMIN");
                }
                return new Scene(swap, specimen);
            }
            catch
            {
                swap?.Dispose();
                throw;
            }
        }

        /// <summary>The specimen's "pageout": its areas to swap in the pattern <see cref="Expected"/> describes.</summary>
        public void PageOut() => Assert.Equal("pageout ok", Specimen.Command("pageout"));

        public void Dispose()
        {
            Specimen.Dispose();
            _swap?.Dispose();
        }
    }

    [SkippableFact]
    public void MapsAndCompositionCountSharedMemoryInSwapAsSmapsDoes()
    {
        using var scene = Scene.Start();
        var specimen = scene.Specimen;
        scene.PageOut();
        using var target = LiveProcess.Open(specimen.Pid);
        var residency = Residency.Measure(target);
        var composition = Composition.Measure(target);
        var smaps = Smaps.Read(specimen.Pid);
        foreach (var (name, kind) in s_areas)
        {
            ulong start = specimen[name];
            var vma = target.Vmas.Single(v => v.Vma.Start == start);
            Assert.Equal(kind, vma.Class.Kind);
            var counts = residency.Vmas.Single(r => r.Vma == vma).Counts;
            var kernel = smaps[start];
            // The kernel's own figure, per VMA; and the specimen's pattern.
            Assert.Equal(kernel["Swap"] / 4, counts.Swapped + counts.SharedSwapped);
            Assert.Equal(kernel["Rss"] / 4, counts.Present);
            Assert.Equal((ExpectedCount(name, PageState.Present), ExpectedCount(name, PageState.Swapped), ExpectedCount(name, PageState.SharedSwapped)),
                (counts.Present, counts.Swapped, counts.SharedSwapped));
            Assert.Equal(Pages - counts.Present - counts.Swapped - counts.SharedSwapped, counts.NotPopulated);
            var parts = composition.Vmas.Single(v => v.Vma == vma).Counts;
            Assert.Equal(kernel["Swap"] / 4, parts.AllSwapped);
            Assert.Equal(counts.SharedSwapped, parts.SharedSwapped);
        }
        Assert.Equal(Smaps.Rollup(specimen.Pid)["Swap"], composition.Total.AllSwapped * 4);
        // The System V segment's own swap figure, kept by the kernel per segment.
        var segment = SysVSegment((int)specimen.Facts["sysv-id"].Value);
        Assert.Equal(segment["swap"], residency.Vmas.Single(r => r.Vma.Vma.Start == specimen["shm-sysv"]).Counts.SharedSwapped * 4096);
        Assert.Contains(SharedMemorySwap.Note, residency.Notes);
        Assert.Contains(SharedMemorySwap.Note, composition.Notes);

        var (code, stdout, err) = CliErrorTests.Run("maps", specimen.Pid.ToString(), "--json");
        Assert.True(code == 0, err);
        using var maps = JsonDocument.Parse(stdout);
        var anon = maps.RootElement.GetProperty("vmas").EnumerateArray().Single(v => v.GetProperty("start").GetString() == $"0x{specimen["shm-anon"]:x}");
        Assert.Equal(ExpectedCount("shm-anon", PageState.SharedSwapped), anon.GetProperty("sharedSwappedPages").GetUInt64());
        (code, stdout, err) = CliErrorTests.Run("composition", specimen.Pid.ToString(), "--json");
        Assert.True(code == 0, err);
        using var compositionJson = JsonDocument.Parse(stdout);
        Assert.Equal(Smaps.Rollup(specimen.Pid)["Swap"] * 1024, compositionJson.RootElement.GetProperty("total").GetProperty("swapBytes").GetUInt64());
    }

    [SkippableFact]
    public void EachPageSaysWhetherTheObjectHoldsItInSwapOrInRam()
    {
        using var scene = Scene.Start();
        var specimen = scene.Specimen;
        scene.PageOut();
        using var target = LiveProcess.Open(specimen.Pid);
        var smaps = Smaps.Read(specimen.Pid);
        foreach (var (name, _) in s_areas)
        {
            ulong start = specimen[name];
            var pages = AddressTranslation.Translate(target, new AddressRange(start, start + Pages * 4096)).ToList();
            Assert.Equal((int)Pages, pages.Count);
            var wrong = pages.Select((p, i) => (p, i)).Where(x => x.p.State != Expected(name, (ulong)x.i)).Take(3).ToList();
            Assert.True(wrong.Count == 0, $"{name}: " + string.Join("; ", wrong.Select(w => $"page {w.i} is {w.p.State}, not {Expected(name, (ulong)w.i)}")));
            // Per page and per VMA agree with the kernel's count: every swapped page is named, in the page table or in the object.
            Assert.Equal(smaps[start]["Swap"] / 4, (ulong)pages.Count(p => p.State is PageState.Swapped or PageState.SharedSwapped));
        }

        // The System V segment was asked page by page without being attached: its attach count is still the specimen's one.
        Assert.Equal(1UL, SysVSegment((int)specimen.Facts["sysv-id"].Value)["nattch"]);

        ulong swapped = specimen["shm-sysv"] + 3 * Quarter * 4096;
        var walk = PageWalk.Walk(target, swapped);
        Assert.Equal(PageState.SharedSwapped, walk.State);
        Assert.Null(walk.LeafLevel);
        Assert.Contains(PageWalk.SharedSwappedNote, walk.Notes);

        var (code, stdout, err) = CliErrorTests.Run("translate", specimen.Pid.ToString(), $"0x{swapped:x}", $"0x{specimen["shm-memfd"] + Quarter * 4096:x}", "--json");
        Assert.True(code == 0, err);
        var states = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("state").GetString()!).ToArray();
        Assert.Equal(["shared-swapped", "shared-resident"], states);
        (code, stdout, err) = CliErrorTests.Run("pages", specimen.Pid.ToString(), "--range", $"0x{specimen["shm-posix"]:x}+{Mib}M");
        Assert.True(code == 0, err);
        Assert.Contains("swapped, held by the shared-memory object (not in the page table)", stdout);
        Assert.Contains($"# {Pages} pages listed, {Quarter} present, {Pages - Quarter} held by a shared-memory object", stdout);
    }

    [SkippableFact]
    public void SnapshotsKeepSharedSwapAndDiffSaysThePagesWentToSwap()
    {
        using var scene = Scene.Start();
        var specimen = scene.Specimen;
        var directory = Directory.CreateTempSubdirectory("pageatlas-shmswap");
        try
        {
            string before = Path.Combine(directory.FullName, "before.db"), after = Path.Combine(directory.FullName, "after.db");
            using (var target = LiveProcess.Open(specimen.Pid)) SnapshotWriter.Write(before, [target], target.Machine, null);
            scene.PageOut();
            using (var target = LiveProcess.Open(specimen.Pid))
            {
                // The same reading from the file as live; taken again when a frame flag moved in between.
                var differing = new List<string>();
                for (int attempt = 0; attempt < 3; attempt++)
                {
                    SnapshotWriter.Write(after, [target], target.Machine, null);
                    using var saved = Snapshot.OpenTarget(after, specimen.Pid);
                    var live = Analyses(target, specimen);
                    var fromFile = Analyses(saved, specimen);
                    differing = live.Keys.Where(k => live[k] != fromFile[k]).Select(k => $"{k}:\n{live[k]}\n---\n{fromFile[k]}").ToList();
                    if (differing.Count == 0) break;
                }
                Assert.True(differing.Count == 0, string.Join("\n", differing));
            }

            using var first = Snapshot.OpenTarget(before, specimen.Pid);
            using var second = Snapshot.OpenTarget(after, specimen.Pid);
            var diff = MemoryDiff.Compare(first, second);
            foreach (var (name, _) in s_areas)
            {
                ulong start = specimen[name];
                ulong Count(PageChange change) => diff.Pages.Where(r => r.Vma.Vma.Start == start && r.Change == change).Aggregate(0UL, (sum, r) => sum + r.Pages);
                // Everything not mapped again went to swap, or stayed in the object's RAM; nothing was dropped.
                Assert.Equal(ExpectedCount(name, PageState.Swapped) + ExpectedCount(name, PageState.SharedSwapped), Count(PageChange.SwappedOut));
                Assert.Equal(ExpectedCount(name, PageState.SharedResident), Count(PageChange.LeftPageTable));
                Assert.Equal(0UL, Count(PageChange.Dropped));
            }
            var (code, stdout, err) = CliErrorTests.Run("diff", before, after, "--json");
            Assert.True(code == 0, err);
            using var json = JsonDocument.Parse(stdout);
            ulong swappedOut = s_areas.Aggregate(0UL, (sum, a) => sum + ExpectedCount(a.Name, PageState.Swapped) + ExpectedCount(a.Name, PageState.SharedSwapped));
            Assert.Equal(swappedOut, json.RootElement.GetProperty("changedPages").GetProperty("swapped-out").GetUInt64());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Without swap: pages dropped from the page table of shared memory (MADV_DONTNEED) are still in
    /// the object's RAM. They are told from pages never touched, and diff says they left the page
    /// table rather than that they were dropped; a machine that cannot have swap still tests this.
    /// </summary>
    [SkippableFact]
    public void PagesDroppedFromThePageTableStayResidentInTheObject()
    {
        using var scene = Scene.Start(withSwap: false);
        var specimen = scene.Specimen;
        var directory = Directory.CreateTempSubdirectory("pageatlas-shmswap");
        try
        {
            string before = Path.Combine(directory.FullName, "before.db"), after = Path.Combine(directory.FullName, "after.db");
            using (var target = LiveProcess.Open(specimen.Pid)) SnapshotWriter.Write(before, [target], target.Machine, null);
            Assert.Equal("dontneed ok", specimen.Command("dontneed"));
            using (var target = LiveProcess.Open(specimen.Pid))
            {
                SnapshotWriter.Write(after, [target], target.Machine, null);
                var smaps = Smaps.Read(specimen.Pid);
                foreach (var (name, _) in s_areas)
                {
                    ulong start = specimen[name];
                    PageState Dropped(ulong page) => name switch
                    {
                        "shm-file" => PageState.Present,
                        "shm-private" => page < Pages / 2 ? PageState.Present : PageState.SharedResident,
                        _ => page >= Quarter && page < 2 * Quarter ? PageState.SharedResident : PageState.Present,
                    };
                    var states = AddressTranslation.Translate(target, new AddressRange(start, start + Pages * 4096)).Select(t => t.State).ToList();
                    Assert.Equal(Enumerable.Range(0, (int)Pages).Select(p => Dropped((ulong)p)), states);
                    Assert.Equal(smaps[start]["Rss"] / 4, (ulong)states.Count(s => s == PageState.Present));
                }
            }
            Assert.Equal(1UL, SysVSegment((int)specimen.Facts["sysv-id"].Value)["nattch"]);

            using var first = Snapshot.OpenTarget(before, specimen.Pid);
            using var second = Snapshot.OpenTarget(after, specimen.Pid);
            var diff = MemoryDiff.Compare(first, second);
            Assert.Equal(4 * Quarter, diff.Totals[PageChange.LeftPageTable]);
            Assert.Equal(0UL, diff.Totals[PageChange.Dropped]);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>maps, composition and translate of every area, as JSON.</summary>
    private static Dictionary<string, string> Analyses(IMemoryTarget target, SpecimenProcess specimen)
    {
        var result = new Dictionary<string, string>
        {
            ["maps"] = SharedPss.Masked(Json(w => ResidencyJson.Write(w, Residency.Measure(target), target.Visibility))),
            ["composition"] = SharedPss.Masked(Json(w => CompositionJson.Write(w, Composition.Measure(target)))),
        };
        foreach (var (name, _) in s_areas)
        {
            ulong start = specimen[name];
            result["translate " + name] = string.Join("\n", AddressTranslation.Translate(target, new AddressRange(start, start + Pages * 4096))
                .Select(t => $"{t.Address:x} {t.State} {t.Page.Entry.Raw:x}"));
        }
        return result;
    }

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true })) write(writer);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The line of /proc/sysvipc/shm for segment <paramref name="id"/>, by column name (the kernel's own per-segment figures).</summary>
    private static Dictionary<string, ulong> SysVSegment(int id)
    {
        var lines = File.ReadAllLines("/proc/sysvipc/shm");
        var names = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var values = lines.Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Single(f => f[Array.IndexOf(names, "shmid")] == id.ToString());
        return names.Select((n, i) => (n, i)).Where(x => ulong.TryParse(values[x.i], out _)).ToDictionary(x => x.n, x => ulong.Parse(values[x.i]));
    }
}
