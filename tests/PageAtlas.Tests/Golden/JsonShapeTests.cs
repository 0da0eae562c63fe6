using System.Buffers;
using System.Text;
using System.Text.Json;
using PageAtlas.Analysis;
using PageAtlas.Cli.Rendering;
using PageAtlas.Labs;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Paging;
using PageAtlas.Rendering;
using PageAtlas.Snapshots;

namespace PageAtlas.Tests.Golden;

/// <summary>
/// Every JSON document the CLI writes, rendered from crafted input, holds exactly the keys its section
/// of docs/json.md names (each present, none undocumented), each key one kind of value (or null), and
/// every "0x…" string lower-case hex, as the doc's preamble says addresses, PFNs and raw words are.
/// The doc is parsed each time: changing a writer or the doc without the other fails here.
/// </summary>
public class JsonShapeTests
{
    private static readonly JsonDocumentation Doc = JsonDocumentation.Read();

    /// <summary>A process with a present page, a swapped page and a not-populated page in one anonymous VMA.</summary>
    private static FakeTarget Process(int pid = 4242, ulong pfn = 0x1234) =>
        new FakeTarget(PagingMode.FourLevel, vmPteKb: 8, pid: pid)
            .Vma(0x7f0000000000, 0x7f0000004000).Present(0x7f0000000000, pfn, pages: 2).Swapped(0x7f0000002000);

    [Fact]
    public void Maps() => AssertShape("maps", Render(w => ResidencyJson.Write(w, Residency.Measure(Process()), FrameVisibility.Full)));

    [Fact]
    public void Translate()
    {
        var target = Process();
        var header = Render(w =>
        {
            w.WriteStartObject();
            JsonRecords.WriteHeader(w, "translate", target.Pid, target.Facts.Name, target.Machine, target.Visibility);
            w.WriteEndObject();
        });
        var rows = AddressTranslation.Translate(target, new AddressRange(0x7effffffe000, 0x7f0000004000))
            .Select(row => Render(w => TranslationJson.WriteRow(w, row, target.Visibility)));
        AssertShape("translate", [header, .. rows]);
    }

    [Fact]
    public void Walk()
    {
        var target = Process();
        // The swapped page: its swapType and swapOffset are written as well as every field a present page has.
        AssertShape("walk", Render(w => WalkJson.Write(w, PageWalk.Walk(target, 0x7f0000002010), target.Facts.Name, target.Machine)));
    }

    [Fact]
    public void Pagetable() => AssertShape("pagetable", [Render(w => PageTableJson.Write(w, PageTableReconstruction.Build(Process())))],
        notWritten: ["entryPhysicalAddress", "entryValue"]); // a run's entry as the kernel companion reads it: no companion here

    [Fact]
    public void PageGrid() => AssertShape("page-grid", [Render(w => PageGridJson.Write(w, Process(), 0x7f0000000000, 4))], notWritten: [], dataKeyed: "bits");

    [Fact]
    public void Composition() => AssertShape("composition", Render(w => CompositionJson.Write(w, Analysis.Composition.Measure(Process()))));

    [Fact]
    public void CompositionWithoutVmaRows() => AssertShape("composition", [Render(w => CompositionJson.Write(w, Analysis.Composition.Measure(Process()), vmaRows: false))],
        notWritten: ["vmas", "start", "end", "perms", "offset", "device", "inode", "path", "deleted", "note"]); // the VMA rows and their fields: left out (?vmas=0)

    [Fact]
    public void MapsCompact() => AssertShape("maps-compact", Render(w => MapsCompactJson.Write(w, Residency.Measure(Process()), FrameVisibility.Full)));

    [Fact]
    public void MapsCompactFieldsAreTheMapsRowsKeys()
    {
        // the compact rows hold the maps rows' values, in the order "fields" names (sizeBytes: sizePages × pageSize)
        using var maps = JsonDocument.Parse(Render(w => ResidencyJson.Write(w, Residency.Measure(Process()), FrameVisibility.Full)));
        var row = maps.RootElement.GetProperty("vmas")[0];
        Assert.Equal(row.EnumerateObject().Select(p => p.Name).Where(n => n != "sizeBytes"), MapsCompactJson.Fields);
    }

    [Fact]
    public void Share() => AssertShape("share", Render(w => ShareJson.Write(w, Sharing.Compare([Process(10), Process(11)]))));

    [Fact]
    public void WatchEnd() => AssertShape("watch-end", Render(w => LiveJson.WriteEnd(w, 42, 3, "exited", "process 42 exited after 3 sample(s)")));

    [Fact]
    public void Watchers() => AssertShape("watchers", Render(w => LiveJson.WriteWatchers(w, [new LiveWatcher(42, 2, TimeSpan.FromMilliseconds(250), 7)], 16)));

    [Fact]
    public void SharePages()
    {
        // Process 11's first page is its own: the private listing has a row with a null beside a page.
        var (a, b) = (Process(10), Process(11, pfn: 0x1235));
        var listing = SharePageList.List([a, b], (_, _, _) => true, SharePageKind.Private, 1, 0, 10);
        Assert.Equal(1, listing.Total);
        AssertShape("share-pages", Render(w => SharePagesJson.Write(w, [10, 11], "private", listing, FrameVisibility.Full)));
    }

    [Fact]
    public void Diff()
    {
        var before = Process();
        var after = new FakeTarget(PagingMode.FourLevel, pid: 4242)
            .Vma(0x7f0000000000, 0x7f0000004000).Present(0x7f0000000000, 0x9999).Present(0x7f0000003000, 0x5000)
            .Vma(0x7f0000010000, 0x7f0000011000);
        AssertShape("diff", Render(w => MemoryDiffJson.Write(w, MemoryDiff.Compare(before, after))));
    }

    [Fact]
    public void Frame()
    {
        using var frames = new FakeFrameSource(null, null);
        var report = FrameOwners.Find(0x1234, frames, [10], _ => Process(10), cgroupInode: null, cgroupPath: null);
        AssertShape("frame", Render(w => FrameOwnersJson.Write(w, report, seconds: 0.5)));
    }

    [Fact]
    public void Frames()
    {
        // 8,192 frames: anonymous mapped pages, page cache, and a top of the zone the kernel has not
        // initialised yet (managed < present), so that every row kind and the uninitialised ranges are written.
        const ulong anonymous = (ulong)(FrameFlags.Anonymous | FrameFlags.Mmap | FrameFlags.Lru | FrameFlags.SwapBacked);
        var flags = new ulong[8192];
        var counts = new ulong[8192];
        for (int i = 0; i < 256; i++) (flags[i], counts[i]) = (anonymous, 1);
        for (int i = 256; i < 1024; i++) flags[i] = (ulong)FrameFlags.Lru;
        var files = new Dictionary<MachineFile, string>
        {
            [MachineFile.Meminfo] = "MemTotal:       16384 kB\nMemFree:         4096 kB\nAnonPages:       1024 kB\nCached:          2048 kB\nDirty:             12 kB\n",
            [MachineFile.Buddyinfo] = "Node 0, zone   Normal      1      2      3      0      0      0      0      0      0      0      0\n",
            [MachineFile.Zoneinfo] = "Node 0, zone   Normal\n  pages free     0\n        spanned  8192\n        present  8192\n        managed  3700\n  start_pfn:           0\n",
            [MachineFile.Iomem] = "00000000-01ffffff : System RAM\n",
        };
        using var source = new FakeFrameSource(flags, counts, files);
        var report = FrameCensus.Take(source, FrameFilter.Parse([]));
        Assert.NotEmpty(report.Uninitialised);
        string document = Render(w => FrameCensusJson.Write(w, report, "6.18.0-test"));
        AssertShape("frames", document);
        // Each row's kind is a distinct id docs/json.md lists, in the order the rows come.
        string[] kinds = [.. JsonDocument.Parse(document).RootElement.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("kind").GetString()!)];
        Assert.Equal(kinds.Length, kinds.Distinct().Count());
        var listed = Doc.FrameRowKinds();
        Assert.Equal(kinds, listed.Where(kinds.Contains));
        using var filtered = new FakeFrameSource(flags, counts, files);
        Assert.Contains("filter-selected", listed);
        Assert.Equal("filter-selected", FrameCensus.Take(filtered, FrameFilter.Parse(["anon"])).Rows[1].Id);
    }

    [Fact]
    public void PhysmapCells()
    {
        ulong[] counts = new ulong[Enum.GetValues<FrameKind>().Length];
        counts[0] = 512;
        var map = new PhysicalMapCells(0, 512, 512, [new KindCounts(0, 512, counts)], SingleFrames: true)
        {
            PageSize = 4096, FrameLimit = 512, Zones = [new MemoryZone(0, "DMA", 0, 512, 512, 500)], Ranges = [new PhysicalRange(0, 0x1fffff, "System RAM")],
        };
        AssertShape("physmap-cells", Render(w => PhysicalMapCellsJson.Write(w, map)));
    }

    [Fact]
    public void Physmap()
    {
        ulong[] counts = new ulong[Enum.GetValues<FrameKind>().Length];
        counts[0] = 512;
        var cell = new KindCounts(0, 512, counts);
        var report = new PhysicalMapReport(4096, 512, 512, [cell], [new RangeContents(new PhysicalRange(0, 0x1fffff, "System RAM"), cell)],
            [new MemoryZone(0, "DMA", 0, 512, 512, 500)], cell, 12);
        AssertShape("physmap", [Render(w => PhysicalMapJson.Write(w, report))], notWritten: [], dataKeyed: "framesByKind");
    }

    [Fact]
    public void Maptest() =>
        AssertShape("maptest", Render(w => MaptestJson.Write(w, new MaptestReport(0x7f0000000000, "PAGEATLAS", 0x1234, 0x1234, null, true, 0, 1, 0))));

    [Fact]
    public void Lab() => AssertShape("lab", Render(w => LabJson.Write(w,
        [new LabReport("cow", "Copy on write", "002", [LinkedVerdict], ["forked"]) { Subjects = [42, 43] }])));

    [Fact]
    public void Watch()
    {
        var vma = Process().Vmas[0];
        var sample = new TimelineSample(1, DateTimeOffset.UnixEpoch, 0x4000, 2, 0x5000, 1, 0, [new VmaChange(vma, VmaChangeKind.Grown, 2, 1, 0)]);
        AssertShape("watch", Render(w => TimelineJson.Write(w, sample)));
    }

    [Fact]
    public void Peek()
    {
        var target = Process();
        var pages = AddressTranslation.Translate(target, new AddressRange(0x7f0000001ff0, 0x7f0000002010)).ToList(); // a present and a swapped page
        AssertShape("peek", [Render(w => MemoryJson.WritePeek(w, new PeekReport(target.Pid, 0x7f0000001ff0, new byte[32], pages), target))],
            notWritten: ["pages"]); // bytes are read only from mapped pages: no unmapped run (its "pages") among the rows
    }

    [Fact]
    public void Poke()
    {
        var target = Process();
        var range = new AddressRange(0x7f0000001fff, 0x7f0000002001); // a present and a swapped page
        var before = AddressTranslation.Translate(target, range).ToList();
        var after = AddressTranslation.Translate(Process(pfn: 0x9999), range).ToList();
        AssertShape("poke", [Render(w => MemoryJson.WritePoke(w, new PokeReport(target.Pid, range.Start, [1, 1], [2, 2], [2, 2], before, after), target))],
            notWritten: ["pages"]); // bytes are written only to mapped pages: no unmapped run (its "pages") among the rows
    }

    [Fact]
    public void Labs() => AssertShape("labs", Render(w => LabJson.WriteCatalog(w, LabCatalog.All)));

    [Fact]
    public void Snapshot() => AssertShape("snapshot", Render(w => SnapshotSummaryJson.Write(w,
        new SnapshotSummary("/tmp/p.db", 81920, 1, 3, 0.25), [Process()], withFrames: false)));

    [Fact]
    public void Mtest()
    {
        // An r, a w that copied its page (a new frame after), and a request refused: every kind of line.
        var target = Process();
        var range = new AddressRange(0x7f0000000010, 0x7f0000000011);
        var before = AddressTranslation.Translate(target, range).ToList();
        var after = AddressTranslation.Translate(Process(pfn: 0x9999), range).ToList();
        AssertShape("mtest",
            Render(w => MtestJson.WriteRead(w, "r 4242 7f0000000010", new PeekReport(target.Pid, range.Start, [0x41], before))),
            Render(w => MtestJson.WriteWritten(w, "w 4242 7f0000000010 42", new PokeReport(target.Pid, range.Start, [0x41], [0x42], [0x42], before, after))),
            Render(w => MtestJson.WriteError(w, "x", "expected 'r <pid> <addr>'", 2)));
    }

    [Fact]
    public void LabRun() => AssertShape("lab-run",
        Render(w => LabJson.WriteRun(w, "threads", "done", null, new LabReport("threads", "t", "004", [LinkedVerdict], ["o"]) { Subjects = [42] }, "s1", null)),
        Render(w => LabJson.WriteRun(w, "threads", "failed", "why", null, null, "the lab's snapshot could not be taken")));

    /// <summary>A verdict with a link of each shape: processes only, a page (an address), a frame (a PFN).</summary>
    private static readonly LabVerdict LinkedVerdict = new("c", true, "e")
    {
        Links = [LabLink.Share("s", 42, 43), LabLink.Page("p", 42, 0x7f0000001000), LabLink.FrameOf("f", 0x1234)],
    };

    [Fact]
    public void SourceAdded() => AssertShape("source-added", Render(w => SourceListJson.WriteAdded(w, "s3", "before.db")));

    [Fact]
    public void Sources() => AssertShape("sources", Render(w => SourceListJson.Write(w,
    [
        new SourceSummary("live", null, false, null, null, true, []),
        // the checker takes true and false for two kinds of value: the same booleans in both rows
        new SourceSummary("s1", "before.db", false, DateTimeOffset.UnixEpoch, "host", true, [new SavedProcessName(42, "sleep")]),
    ], 1L << 28)));

    [Fact]
    public void Ps() => AssertShape("ps",
        Render(w => ProcessListJson.Write(w, [new ProcessSummary(42, 1000, "ann", "sleep", 4096, 2048, 1024, 0, 0, 9)], new ProcessScan(ProcessFilter.All, UserNames.Read("/dev/null")))),
        // The explorer's live list: the same document with when its reading was taken.
        Render(w => ProcessListJson.Write(w, [], 1, 0, new ReadingAge(DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(1.5), 3))));

    /// <summary>The parser finds what it should: a change to the doc's wording cannot silently empty the check.</summary>
    [Fact]
    public void TheDocumentationIsReadAsKeys()
    {
        Assert.Superset(new HashSet<string> { "schema", "version", "pid", "command", "machine", "visibility", "pageSize", "reason" }, Doc.HeaderKeys.ToHashSet());
        Assert.Superset(new HashSet<string> { "start", "end", "perms", "class", "kind", "owner", "notPopulatedPages" }, Doc.KeysOf("maps").ToHashSet());
        Assert.Superset(new HashSet<string> { "state", "pfn", "mapCount", "swapOffset", "leafLevel", "thread" }, Doc.KeysOf("walk").ToHashSet());
        Assert.Superset(new HashSet<string> { "translations", "bytes", "state", "vma", "perms" }, Doc.KeysOf("peek").ToHashSet());
        Assert.Superset(new HashSet<string> { "became-present", "left-page-table", "movedFrom" }, Doc.KeysOf("diff").ToHashSet());
        Assert.Contains("pages", Doc.KeysOf("translate")); // from the `{ "address", "state": "unmapped", "pages": N }` example
    }

    private static void AssertShape(string schema, params string[] documents) => AssertShape(schema, documents, notWritten: []);

    /// <param name="notWritten">Documented keys this input cannot give (each test says why).</param>
    /// <param name="dataKeyed">Keys whose object's members are data, not keys.</param>
    private static void AssertShape(string schema, string[] documents, string[] notWritten, params string[] dataKeyed)
    {
        var documented = Doc.KeysOf(schema);
        var written = JsonKeys.Of(documents, dataKeyed.ToHashSet());
        var names = written.Keys.Select(JsonKeys.Name).ToHashSet();
        var undocumented = names.Where(k => !documented.Contains(k) && !Doc.HeaderKeys.Contains(k)).Order(StringComparer.Ordinal).ToList();
        var missing = documented.Where(k => !names.Contains(k) && !notWritten.Contains(k)).Order(StringComparer.Ordinal).ToList();
        Assert.All(notWritten, k => Assert.Contains(k, documented));
        Assert.True(undocumented.Count == 0 && missing.Count == 0,
            $"pageatlas/{schema}: written but not in docs/json.md: [{string.Join(", ", undocumented)}]; in docs/json.md but not written: [{string.Join(", ", missing)}]");
        var mixed = written.Where(k => k.Value.Count(kind => kind != JsonValueKind.Null) > 1).Select(k => $"{k.Key}: {string.Join("/", k.Value)}").ToList();
        Assert.True(mixed.Count == 0, $"pageatlas/{schema}: keys holding more than one kind of value: {string.Join("; ", mixed)}");
        var notHex = JsonKeys.HexStrings(documents).Where(p => !IsLowerHex(p.Value.AsSpan(2))).ToList();
        Assert.True(notHex.Count == 0, $"pageatlas/{schema}: \"0x\" strings that are not lower-case hex: {string.Join("; ", notHex)}");
        var unitless = written.Where(k => k.Value.Contains(JsonValueKind.Number) && !NamesItsUnit(k.Key)).Select(k => k.Key).Order(StringComparer.Ordinal).ToList();
        Assert.True(unitless.Count == 0, $"pageatlas/{schema}: numbers whose key names no unit (…Bytes, …Pages, …Frames) and that are not counted things docs/json.md allows: {string.Join(", ", unitless)}");
        var numericAddresses = written.Where(k => IsAddressName(JsonKeys.Name(k.Key)) && k.Value.Contains(JsonValueKind.Number)).Select(k => k.Key).ToList();
        Assert.True(numericAddresses.Count == 0, $"pageatlas/{schema}: addresses or PFNs written as numbers, not \"0x…\" strings: {string.Join(", ", numericAddresses)}");
    }

    /// <summary>
    /// Numbers that are not amounts of memory (docs/json.md, Names and units): counts of VMAs, tables,
    /// entries, processes; indices, ids, pids, inodes, levels, seconds, exit codes. Every other number must name its unit.
    /// </summary>
    private static readonly HashSet<string> s_notAmounts =
    [
        "version", "pid", "parentPid", "forkedFrom", "uid", "pagingLevels", "virtualAddressBits", "inode", "thread", "swapType",
        "mapCount", "mapCountSum", "vmaCount", "index", "rank", "tableCount", "pointerEntries", "leafEntries", "swapEntries",
        "markerEntries", "kernelTables", "reconstructedTables", "depositedTables", "extraKernelTables", "usedEntries", "id", "parent",
        "indexInParent", "first", "count", "child", "vma", "cgroupInode", "processesSearched", "processesSkipped", "seconds", "node",
        "freeBlocksPerOrder", "sequence", "ageSeconds", "vanished", "refused", "exitCode", "pageSize", "framesPerCell", "cellCount", "totalRows", "offset", "samples", "subscribers", "limit", "intervalSeconds",
    ];

    /// <summary>The key (or, for an object keyed by data such as diff's changedPages, the object's key) ends in its unit, or counts no memory.</summary>
    private static bool NamesItsUnit(string path)
    {
        string[] parts = path.Split('.');
        return s_notAmounts.Contains(parts[^1]) || parts[^1..].Concat(parts.Length > 1 ? [parts[^2]] : []).Any(name =>
            name.EndsWith("bytes", StringComparison.OrdinalIgnoreCase) || name.EndsWith("pages", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith("frames", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Names of what the doc's preamble makes "0x…" strings: addresses and PFNs (`physicalAddress`, `startPfn`; not `virtualAddressBits`).</summary>
    private static bool IsAddressName(string key) =>
        key is "address" or "pfn" || key.EndsWith("Address", StringComparison.Ordinal) || key.EndsWith("Pfn", StringComparison.Ordinal);

    private static readonly SearchValues<char> s_lowerHexDigits = SearchValues.Create("0123456789abcdef");

    private static bool IsLowerHex(ReadOnlySpan<char> digits) => !digits.IsEmpty && !digits.ContainsAnyExcept(s_lowerHexDigits);

    private static string Render(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = TerminalSafeJsonEncoder.Instance })) write(writer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
