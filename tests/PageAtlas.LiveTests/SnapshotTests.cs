using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using PageAtlas.Analysis;
using PageAtlas.Labs;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;
using PageAtlas.Snapshots;

namespace PageAtlas.LiveTests;

/// <summary>Snapshots: every analysis (frame analyses included, through IFrameSource) gives on the file what it gave live; bad files are refused by name; diff finds a known change.</summary>
public sealed class SnapshotTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pageatlas-snapshots").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    private static ulong Hex(string text) => Convert.ToUInt64(text, 16);

    internal static string Json(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true })) write(writer);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Every analysis, rendered to JSON, for one target.</summary>
    private static Dictionary<string, string> Analyses(IMemoryTarget target, ulong heap, ulong thp)
    {
        return new Dictionary<string, string>
        {
            ["maps"] = Json(w => ResidencyJson.Write(w, Residency.Measure(target), target.Visibility)),
            ["composition"] = SharedPss.Masked(Json(w => CompositionJson.Write(w, Composition.Measure(target)))),
            ["pagetable"] = Json(w => PageTableJson.Write(w, PageTableReconstruction.Build(target, full: true))),
            ["walk heap"] = Json(w => WalkJson.Write(w, PageWalk.Walk(target, heap), target.Facts.Name, target.Machine)),
            ["walk thp"] = Json(w => WalkJson.Write(w, PageWalk.Walk(target, thp + 0x1234), target.Facts.Name, target.Machine)),
            ["translate"] = string.Join("\n", AddressTranslation.Translate(target, new AddressRange(heap, heap + 64 * 1024))
                .Select(t => $"{t.Address:x} {t.State} {t.Page.Entry.Raw:x} {t.Page.Flags} {t.Page.MapCount} {t.Vma}")),
        };
    }

    [SkippableFact]
    public void EveryAnalysisGivesTheSameResultOnTheSnapshotAsLive()
    {
        using var first = Specimen.Start("--thp", "--threads", "2", "--shared", "--small-maps", "20", "--pattern", "5", "2");
        using var second = Specimen.Start();
        string file = PathOf("both.db");
        using var liveFirst = LiveProcess.Open(first.Pid);
        using var liveSecond = LiveProcess.Open(second.Pid);
        // The live readings and the snapshot are taken a few milliseconds apart. Frame flags such as
        // referenced can change in between on a busy machine, so an attempt whose results differ is
        // taken again (at most three times); a real difference between the two sources repeats. The
        // PSS of pages other processes map too moves with every process started anywhere: left out
        // (SharedPss), the specimen's own pages' PSS and every other figure compared exactly.
        var failures = new List<string>();
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var live = Analyses(liveFirst, first["heap"], first["thp"]);
            string liveShare = Json(w => ShareJson.Write(w, Sharing.Compare([liveFirst, liveSecond])));
            var summary = SnapshotWriter.Write(file, [liveFirst, liveSecond], liveFirst.Machine, null);
            using var saved = Snapshot.Open(file);
            Assert.Equal([first.Pid, second.Pid], saved.Processes.Select(p => p.Pid).Order());
            Assert.Equal(summary.PopulatedPages, (ulong)saved.Processes.Sum(p => p.PopulatedPages));
            using var savedFirst = saved.OpenProcess(first.Pid);
            using var savedSecond = saved.OpenProcess(second.Pid);
            var fromFile = Analyses(savedFirst, first["heap"], first["thp"]);
            fromFile["share"] = Json(w => ShareJson.Write(w, Sharing.Compare([savedFirst, savedSecond])));
            live["share"] = liveShare;
            var differing = live.Keys.Where(k => live[k] != fromFile[k]).ToArray();
            if (differing.Length == 0)
            {
                failures.Clear();
                break;
            }
            failures.Add($"attempt {attempt + 1}: {string.Join(", ", differing)} differ; first: {live[differing[0]]}\n---\n{fromFile[differing[0]]}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        using var snapshot = Snapshot.Open(file);

        // frame -> owners among the saved processes: the heap page's one mapping, as live.
        ulong heapFrame = AddressTranslation.Translate(liveFirst, new AddressRange(first["heap"], first["heap"] + 1)).Single().Page.Entry.Pfn;
        var owners = FrameOwners.Find(heapFrame, snapshot.Frames, snapshot.Processes.Select(p => p.Pid).ToArray(), snapshot.OpenProcess, null, null);
        var owner = Assert.Single(owners.Mappings);
        Assert.Equal((first.Pid, first["heap"] & ~4095UL), (owner.Pid, owner.Address));
        Assert.True(owners.Flags.HasFlag(FrameFlags.Anonymous));
    }

    [SkippableFact]
    public void CliAnalysesAcceptTheSnapshotInPlaceOfAPid()
    {
        using var specimen = Specimen.Start("--thp");
        string file = PathOf("one.db");
        var (code, stdout, err) = CliErrorTests.Run("snapshot", specimen.Pid.ToString(), "-o", file, "--frames");
        Assert.True(code == 0, err);
        Assert.Contains("bytes per page", stdout);
        foreach (var args in new[]
        {
            new[] { "maps", "--snapshot", file }, ["composition", "--snapshot", file], ["pagetable", "--snapshot", file, "--format", "dot"],
            ["walk", "--snapshot", file, $"0x{specimen["thp"]:x}"], ["translate", "--snapshot", file, $"0x{specimen["heap"]:x}+8K"],
            ["pages", specimen.Pid.ToString(), "--snapshot", file], ["frames", "--snapshot", file, "--by-flags"], ["physmap", "--snapshot", file],
        })
        {
            var (c, o, e) = CliErrorTests.Run(args);
            Assert.True(c == 0, $"{string.Join(' ', args)}: {e}");
            Assert.NotEmpty(o);
        }
        var (live, liveOut, _) = CliErrorTests.Run("walk", specimen.Pid.ToString(), $"0x{specimen["thp"]:x}", "--json");
        var (saved, savedOut, _) = CliErrorTests.Run("walk", "--snapshot", file, $"0x{specimen["thp"]:x}", "--json");
        // The path and the frame are the same; flags such as referenced and idle drift with time, so they are not compared here.
        Assert.Equal((0, 0), (live, saved));
        using var liveWalk = JsonDocument.Parse(liveOut);
        using var savedWalk = JsonDocument.Parse(savedOut);
        foreach (var field in new[] { "levels", "physicalAddress", "leafLevel", "vma" })
            Assert.Equal(liveWalk.RootElement.GetProperty(field).GetRawText(), savedWalk.RootElement.GetProperty(field).GetRawText());
        var (wrongPid, _, wrongErr) = CliErrorTests.Run("maps", "999999", "--snapshot", file);
        Assert.Equal(3, wrongPid);
        Assert.Contains(file, wrongErr);
    }

    [SkippableFact]
    public void SnapshotJsonSaysWhatTheFileHolds()
    {
        using var specimen = Specimen.Start();
        string file = PathOf("json.db");
        var (code, stdout, err) = CliErrorTests.Run("snapshot", specimen.Pid.ToString(), "-o", file, "--json");
        Assert.True(code == 0, err);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal("pageatlas/snapshot", root.GetProperty("schema").GetString());
        Assert.Equal(file, root.GetProperty("file").GetString());
        var process = Assert.Single(root.GetProperty("processes").EnumerateArray());
        Assert.Equal(specimen.Pid, process.GetProperty("pid").GetInt32());
        Assert.Equal(File.ReadAllText($"/proc/{specimen.Pid}/comm").TrimEnd('\n'), process.GetProperty("command").GetString());
        // The file system's size, and the pages the file's own chunks hold, read back with SQLite.
        Assert.Equal(new FileInfo(file).Length, root.GetProperty("fileBytes").GetInt64());
        using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly");
        connection.Open();
        using var pages = connection.CreateCommand();
        pages.CommandText = "SELECT SUM(count) FROM pages";
        Assert.Equal(Convert.ToInt64(pages.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture), root.GetProperty("populatedPages").GetInt64());
        Assert.False(root.GetProperty("withFrames").GetBoolean());
    }

    [SkippableFact]
    public void AFailedWriteLeavesNothingUnderTheFinalNameAndKeepsTheOldFile()
    {
        using var specimen = Specimen.Start();
        using var target = LiveProcess.Open(specimen.Pid);
        string file = PathOf("atomic.db");
        SnapshotWriter.Write(file, [target], target.Machine, null);
        byte[] before = File.ReadAllBytes(file);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => SnapshotWriter.Write(file, [target], target.Machine, null, cancelled.Token));
        Assert.Equal(before, File.ReadAllBytes(file));
        Assert.Equal(["atomic.db"], Directory.GetFiles(_directory).Select(Path.GetFileName));
        Assert.Throws<OperationCanceledException>(() => SnapshotWriter.Write(PathOf("never.db"), [target], target.Machine, null, cancelled.Token));
        Assert.False(File.Exists(PathOf("never.db")));
        Assert.Single(Directory.GetFiles(_directory));
    }

    [SkippableFact]
    public void TruncatedCorruptForeignAndNewerFilesAreRefusedByName()
    {
        using var specimen = Specimen.Start("--touch-mib", "16");
        using var target = LiveProcess.Open(specimen.Pid);
        string good = PathOf("good.db");
        SnapshotWriter.Write(good, [target], target.Machine, null);
        byte[] bytes = File.ReadAllBytes(good);

        string truncated = PathOf("truncated.db");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        // Damage the saved pages themselves (damage to free space in the file would harm nothing).
        string corrupt = PathOf("corrupt.db");
        byte[] chunk;
        using (var connection = new SqliteConnection($"Data Source={good};Mode=ReadOnly;Pooling=False"))
        {
            connection.Open();
            using var read = connection.CreateCommand();
            read.CommandText = "SELECT data FROM pages ORDER BY length(data) DESC LIMIT 1";
            chunk = (byte[])read.ExecuteScalar()!;
        }
        int at = bytes.AsSpan().IndexOf(chunk.AsSpan(chunk.Length / 2, 64));
        Assert.True(at > 0, "the chunk's bytes were not found in the file");
        var damaged = (byte[])bytes.Clone();
        for (int i = at; i < at + 16; i++) damaged[i] ^= 0x5a;
        File.WriteAllBytes(corrupt, damaged);
        string foreign = PathOf("foreign.db");
        File.WriteAllText(foreign, "this is not a database at all, just text\n");
        string otherSqlite = PathOf("other.db");
        using (var connection = new SqliteConnection($"Data Source={otherSqlite};Pooling=False"))
        {
            connection.Open();
            using var create = connection.CreateCommand();
            create.CommandText = "CREATE TABLE t(x); INSERT INTO t VALUES (1);";
            create.ExecuteNonQuery();
        }
        string newer = PathOf("newer.db");
        File.Copy(good, newer);
        using (var connection = new SqliteConnection($"Data Source={newer};Pooling=False"))
        {
            connection.Open();
            using var update = connection.CreateCommand();
            update.CommandText = $"UPDATE meta SET value = '{SnapshotFormat.Version + 1}' WHERE key = 'version'";
            update.ExecuteNonQuery();
        }

        foreach (var (file, words) in new[] { (truncated, "corrupt or truncated"), (corrupt, "corrupt"), (foreign, "not an SQLite database"),
                     (otherSqlite, "not a PageAtlas snapshot"), (newer, "newer PageAtlas"), (PathOf("missing.db"), "no such file") })
        {
            var e = Assert.ThrowsAny<Exception>(() =>
            {
                using var snapshot = Snapshot.Open(file);
                using var saved = snapshot.OpenOnlyProcess();
                Composition.Measure(saved);
            });
            var format = Assert.IsType<SnapshotFormatException>(e);
            Assert.Contains(file, format.Message);
            Assert.Contains(words, format.Message);
            var (code, _, err) = CliErrorTests.Run("maps", "--snapshot", file);
            Assert.Equal(10, code);
            Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains(file, err);
        }
    }

    [SkippableFact]
    public void DiffListsExactlyAKnownChange()
    {
        using var lazy = SpecimenProcess.Start("lazy");
        ulong area = Hex(lazy.Command("map 8").Split(' ')[1]);
        ulong doomed = Hex(lazy.Command("map 4").Split(' ')[1]);
        ulong moving = Hex(lazy.Command("map 6").Split(' ')[1]);
        foreach (ulong page in new[] { area, area + 4096, area + 2 * 4096, doomed }) lazy.Command($"write 0x{page:x}");
        for (ulong i = 0; i < 6; i++) lazy.Command($"write 0x{moving + i * 4096:x}");
        string before = PathOf("before.db"), after = PathOf("after.db");
        using (var target = LiveProcess.Open(lazy.Pid)) SnapshotWriter.Write(before, [target], target.Machine, null);

        lazy.Command($"write 0x{area + 5 * 4096:x}");                                    // became present
        lazy.Command($"unmap 0x{doomed:x} 4");                                           // unmapped, VMA removed
        ulong moved = Hex(lazy.Command($"move 0x{moving:x} 6").Split(' ')[2]);  // moved, VMA removed + added
        lazy.Command("fork");
        lazy.Command($"write 0x{area:x}");                                               // copied (copy-on-write after fork)
        using (var target = LiveProcess.Open(lazy.Pid)) SnapshotWriter.Write(after, [target], target.Machine, null);

        using var a = Snapshot.OpenTarget(before, null);
        using var b = Snapshot.OpenTarget(after, null);
        var diff = MemoryDiff.Compare(a, b);
        bool In(ulong address, ulong start, int pages) => address >= start && address < start + (ulong)pages * 4096;
        var tested = diff.Pages.Where(r => In(r.Start, area, 8) || In(r.Start, doomed, 4) || In(r.Start, moving, 6) || In(r.Start, moved, 6)).ToArray();
        Assert.Equal(
            new[] { (PageChange.Copied, area, 1UL, (ulong?)null), (PageChange.BecamePresent, area + 5 * 4096, 1UL, null), (PageChange.Unmapped, doomed, 1UL, null), (PageChange.Moved, moved, 6UL, moving) }
                .OrderBy(x => x.Item2),
            tested.Select(r => (r.Change, r.Start, r.Pages, r.MovedFrom)).OrderBy(x => x.Start));
        Assert.Contains(diff.Vmas, v => v.Change == VmaChangeKind.Removed && v.Before!.Vma.Start == doomed);
        Assert.Contains(diff.Vmas, v => v.Change == VmaChangeKind.Removed && v.Before!.Vma.Start == moving);
        Assert.Contains(diff.Vmas, v => v.Change == VmaChangeKind.Added && v.After!.Vma.Start == moved);
        Assert.Equal(6UL, diff.Totals[PageChange.Moved]);
        Assert.Equal(1UL, diff.Totals[PageChange.Unmapped]);

        var (code, stdout, err) = CliErrorTests.Run("diff", before, after);
        Assert.True(code == 0, err);
        // The run's row in the text: what changed, where, how many pages, from where.
        Assert.Contains(stdout.Split('\n'), l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is ["moved", var start, "6", var from, ..]
            && start == $"0x{moved:x}" && from == $"0x{moving:x}");
    }

    /// <summary>
    /// The census and the map counted from the live frames are the ones read back from the snapshot
    /// they were saved in (the snapshot's reader is not among its frames: the live census's row for
    /// PageAtlas's own pages is the only one it lacks), and a frame's owners are the same.
    /// </summary>
    [SkippableFact]
    public void TheLiveMachineAndItsSnapshotAnswerTheSameCensusMapAndOwners()
    {
        using var specimen = Specimen.Start();
        using var target = LiveProcess.Open(specimen.Pid);
        ulong heapFrame = AddressTranslation.Translate(target, new AddressRange(specimen["heap"], specimen["heap"] + 1)).Single().Page.Entry.Pfn;
        string file = PathOf("machine.db");
        using var live = new LiveFrameSource();
        var taken = MachineFrames.Take(live);
        var liveOwners = FrameOwners.Find(heapFrame, live, [specimen.Pid], LiveProcess.Open, null, null);
        SnapshotWriter.Write(file, [target], target.Machine, taken);

        using var snapshot = Snapshot.Open(file);
        using var saved = snapshot.Frames;
        Assert.False(saved.ReadsFrames);
        var liveCensus = taken.Census with { Rows = taken.Census.Rows.Where(r => r.Name != "PageAtlas itself").ToArray() };
        Assert.Equal(CensusJson(liveCensus), CensusJson(FrameCensus.Take(saved, FrameFilter.All)));
        Assert.Equal(Json(w => PhysicalMapJson.Write(w, taken.Map)), Json(w => PhysicalMapJson.Write(w, PhysicalMap.Draw(saved))));

        var savedOwners = FrameOwners.Find(heapFrame, saved, [specimen.Pid], snapshot.OpenProcess, null, null);
        Assert.Equal(liveOwners.Mappings.Select(m => (m.Pid, m.Address)), savedOwners.Mappings.Select(m => (m.Pid, m.Address)));
        Assert.Equal(liveOwners.MapCount, savedOwners.MapCount);
        Assert.True(savedOwners.Flags.HasFlag(FrameFlags.Anonymous) && liveOwners.Flags.HasFlag(FrameFlags.Anonymous));
    }

    /// <summary>A snapshot taken without --frames says so, by name, when its frames are asked for.</summary>
    [SkippableFact]
    public void ASnapshotWithoutFramesRefusesTheCensusByName()
    {
        using var specimen = Specimen.Start();
        using var target = LiveProcess.Open(specimen.Pid);
        string file = PathOf("processes.db");
        SnapshotWriter.Write(file, [target], target.Machine, null);
        using var snapshot = Snapshot.Open(file);
        var refusal = Assert.Throws<SnapshotFormatException>(() => FrameCensus.Take(snapshot.Frames, FrameFilter.All));
        Assert.Contains("--frames", refusal.Message, StringComparison.Ordinal);
        Assert.Throws<SnapshotFormatException>(() => PhysicalMap.Draw(snapshot.Frames));
    }

    private static string CensusJson(FrameCensusReport report) => Json(w => FrameCensusJson.Write(w, report, "test"));
}
