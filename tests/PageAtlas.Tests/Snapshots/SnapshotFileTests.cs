using System.Diagnostics;
using PageAtlas.Analysis;
using PageAtlas.Model;
using PageAtlas.Paging;
using PageAtlas.Snapshots;

namespace PageAtlas.Tests;

/// <summary>
/// Snapshot files as someone else may hand them over: forged with impossible values (checksums
/// retaken), damaged (checksums left), of another version or schema, not a regular file, changed
/// while open. Each is refused with a <see cref="SnapshotFormatException"/> naming the file and the
/// table, or read exactly as written.
/// </summary>
public sealed class SnapshotFileTests : IDisposable
{
    private const ulong Heap = 0x7f0000010000, Swap = 0x7f0010000000, Shm = 0x7f0020000000;
    private readonly string _directory = Directory.CreateTempSubdirectory("pageatlas-snapshot-files").FullName;
    private readonly string _good;

    public SnapshotFileTests()
    {
        _good = PathOf("good.db");
        using var target = Target();
        SnapshotWriter.Write(_good, [target], target.Machine, null);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    /// <summary>
    /// Three VMAs: present pages (a contiguous run and scattered frames), swapped ones, and 16 pages of
    /// shared memory that the page table does not map but the object holds (2 in RAM, 3 in swap).
    /// </summary>
    private static FakeTarget Target(int heapPages = 24)
    {
        var target = new FakeTarget(PagingMode.FourLevel)
            .Vma(Heap, Heap + (ulong)heapPages * 4096 + 0x20000).Present(Heap, 0x1000, heapPages).Present(Heap + (ulong)heapPages * 4096 + 0x10000, 0x77)
            .Vma(Swap, Swap + 0x20000).Swapped(Swap).Swapped(Swap + 0x3000)
            .Vma(Shm, Shm + 0x10000);
        target.SharedMemorySwap = new SharedMemorySwap(true, new Dictionary<ulong, ulong> { [Shm] = 0x3000 });
        target.ObjectRuns[Shm] = [new ObjectPageRun(Shm, 2, ObjectPageState.Resident), new ObjectPageRun(Shm + 0x4000, 3, ObjectPageState.Swapped)];
        return target;
    }

    /// <summary>Every page of the only process, in order, through the snapshot.</summary>
    private static List<PageRecord> ReadAll(string file, PageReadOptions options)
    {
        using var target = Snapshot.OpenTarget(file, null);
        var pages = new List<PageRecord>();
        foreach (var batch in target.ReadPages(0, ulong.MaxValue, options)) pages.AddRange(batch.Pages.Span);
        return pages;
    }

    private static SnapshotFormatException Refusal(string file)
    {
        var e = Assert.ThrowsAny<Exception>(() => ReadAll(file, PageReadOptions.PopulatedWithFrames));
        var refusal = Assert.IsType<SnapshotFormatException>(e);
        Assert.Contains(file, refusal.Message);
        return refusal;
    }

    [Fact]
    public void PagesReadBackAsWrittenWholeOrInPartsWithOrWithoutGaps()
    {
        using var target = Target(heapPages: 20000);
        string file = PathOf("large.db");
        SnapshotWriter.Write(file, [target], target.Machine, null);
        var written = target.ReadPages(0, ulong.MaxValue, PageReadOptions.PopulatedWithFrames).SelectMany(b => b.Pages.ToArray()).ToList();
        Assert.Equal(written, ReadAll(file, PageReadOptions.PopulatedWithFrames));
        // 20,003 pages in one batch of the fake: kept as chunks of at most 16384.
        Assert.Equal(20003, written.Count);

        using var saved = Snapshot.OpenTarget(file, null);
        ulong from = Heap + 0x1d800, to = Swap + 0x3001;   // from the middle of a page to just into one
        var every = saved.ReadPages(from, to, new PageReadOptions(PopulatedOnly: false, WithFrames: false)).SelectMany(b => b.Pages.ToArray()).ToList();
        ulong vmaPages = (Heap + 0x20000 + 20000UL * 4096 - (from & ~4095UL)) / 4096 + 4;
        Assert.Equal(vmaPages, (ulong)every.Count);
        Assert.Equal(every.Select(p => p.Address).Order(), every.Select(p => p.Address));
        var populated = every.Where(p => p.Entry.IsPopulated).ToList();
        Assert.Equal(written.Where(p => p.Address >= (from & ~4095UL) && p.Address < to).Select(p => p with { Flags = FrameFlags.None, MapCount = 0 }), populated);
    }

    /// <summary>
    /// Chunks are read by one statement walking the pages table (Snapshot.DecodeChunk): forward a
    /// step at a time, or by a new search when the chunk asked for is behind it or far ahead. Every
    /// order of reading gives each VMA's pages as written.
    /// </summary>
    [Fact]
    public void ChunksReadInAnyOrderAreTheChunksWritten()
    {
        using var written = new FakeTarget(PagingMode.FourLevel);
        for (int i = 0; i < 40; i++)
        {
            ulong start = Heap + (ulong)i * 0x10000;
            written.Vma(start, start + 0x4000).Present(start + (ulong)(i % 3) * 4096, 0x1000 + (ulong)i * 4, 1 + i % 2);
        }
        string file = PathOf("many.db");
        SnapshotWriter.Write(file, [written], written.Machine, null);
        static List<PageRecord> Pages(IMemoryTarget target, ClassifiedVma vma) =>
            target.ReadPages(vma.Vma.Start, vma.Vma.End, PageReadOptions.PopulatedWithFrames).SelectMany(b => b.Pages.ToArray()).ToList();

        using var saved = Snapshot.OpenTarget(file, null);
        var vmas = saved.Vmas;
        var orders = new[]
        {
            Enumerable.Range(0, 40),                                  // each the next row
            Enumerable.Range(0, 40).Reverse(),                        // each behind
            Enumerable.Range(0, 40).Where(i => i % 3 == 0),           // a few rows ahead
            new[] { 0, 39, 1, 38, 20, 21, 21, 2 },                    // far ahead, behind, the same again
        };
        foreach (var order in orders)
            foreach (int i in order)
                Assert.Equal(Pages(written, written.Vmas[i]), Pages(saved, vmas[i]));
    }

    [Fact]
    public void SharedMemoryReadsBackAsWrittenWholeOrInParts()
    {
        using var written = Target();
        using var saved = Snapshot.OpenTarget(_good, null);
        Assert.True(saved.SharedMemorySwap.SwapActive);
        Assert.Equal(written.SharedMemorySwap.SmapsSwapBytes, saved.SharedMemorySwap.SmapsSwapBytes);
        var shm = saved.Vmas[2];
        Assert.Equal(written.ObjectRuns[Shm], saved.SharedObjectPages(shm, 0, ulong.MaxValue));
        // From the middle of the first run's second page to the middle of the swapped run: cut there, in whole pages.
        Assert.Equal([new ObjectPageRun(Shm + 0x1000, 1, ObjectPageState.Resident), new ObjectPageRun(Shm + 0x4000, 2, ObjectPageState.Swapped)],
            saved.SharedObjectPages(shm, Shm + 0x1800, Shm + 0x5800));
        Assert.Empty(saved.SharedObjectPages(saved.Vmas[0], 0, ulong.MaxValue));
        var options = new PageReadOptions(PopulatedOnly: false, WithFrames: true);
        Assert.Equal(SharedMemoryPages.Read(written, 0, ulong.MaxValue, options).SelectMany(b => b.Pages.ToArray()).Where(p => p.State != PageState.NotPopulated),
            SharedMemoryPages.Read(saved, 0, ulong.MaxValue, options).SelectMany(b => b.Pages.ToArray()).Where(p => p.State != PageState.NotPopulated));
    }

    [Theory]
    [InlineData("UPDATE meta SET value = 'abc' WHERE key = 'page_size'", "meta", "page_size is 'abc'")]
    [InlineData("UPDATE meta SET value = '7' WHERE key = 'paging_levels'", "meta", "paging_levels is '7'")]
    [InlineData("INSERT INTO meta VALUES ('colour', 'blue')", "meta", "'colour' is not part of format version 3")]
    [InlineData("UPDATE pages SET count = 20000000", "pages", "count is 20000000, outside 1..16384")]
    // header (pagemap bits follow), 0 skipped, 20,000,000 pages, frame delta 0, present
    [InlineData("UPDATE pages SET data = X'040080DAC409008002', hash = fnv1a(X'040080DAC409008002'), count = 1, last_address = first_address;"
        + "UPDATE processes SET populated_pages = (SELECT sum(count) FROM pages)", "pages", "its runs hold more than its 1 pages")]
    [InlineData("UPDATE pages SET first_address = first_address - 4096 WHERE vma = 0", "pages", "inside its VMA")]
    [InlineData("UPDATE vmas SET start = 0x7f0000020000 WHERE idx = 1", "vmas", "overlaps or precedes the VMA before it")]
    [InlineData("UPDATE vmas SET end = 0x800000000000 WHERE idx = 1", "vmas", "above user space, which ends at 0x7ffffffff000 with 4-level (48-bit)")]
    [InlineData("UPDATE vmas SET start = start + 1 WHERE idx = 0", "vmas", "not a page-aligned range")]
    [InlineData("UPDATE vmas SET kind = 'bogus'", "vmas", "unknown segment class 'bogus'")]
    [InlineData("UPDATE vmas SET kernel_page_size = 8192", "vmas", "8192-byte pages")]
    [InlineData("UPDATE vmas SET perms = 99", "vmas", "perms is 99, outside 0..15")]
    [InlineData("UPDATE vmas SET path = X'00'", "vmas", "path holds a blob where the format has text")]
    [InlineData("DELETE FROM vmas WHERE idx = 0", "vmas", "VMA 1 where VMA 0 should be")]
    [InlineData("UPDATE processes SET pid = 0; UPDATE vmas SET pid = 0; UPDATE pages SET pid = 0", "processes", "pid is 0, outside 1..4194303")]
    [InlineData("UPDATE processes SET populated_pages = -1", "processes", "populated_pages is -1")]
    [InlineData("UPDATE processes SET populated_pages = 5", "processes", "said to have 5 populated pages, its chunks hold 27")]
    [InlineData("UPDATE processes SET stat = 'garbage'", "processes", "the stat of process 4242")]
    [InlineData("INSERT INTO frame_census VALUES (1, 1, 0, 0)", "frame_census", "taken without --frames")]
    [InlineData("DELETE FROM shared_memory_processes", "shared_memory_processes", "process 4242 has no row")]
    [InlineData("UPDATE shared_memory_processes SET pid = 77", "shared_memory_processes", "process 77, which the snapshot does not list")]
    [InlineData("UPDATE shared_memory_processes SET swap_active = 2", "shared_memory_processes", "swap_active is 2, not 0 or 1")]
    [InlineData("UPDATE shared_memory_processes SET swap_active = 0", "shared_memory_swap", "a swap figure, where no swap area was active")]
    [InlineData("UPDATE shared_memory_swap SET vma = 3", "shared_memory_swap", "VMA 3 of process 4242, which the snapshot does not hold")]
    [InlineData("UPDATE shared_memory_swap SET smaps_swap = 0x21000", "shared_memory_swap", "not whole pages within twice its 65536 bytes")]
    [InlineData("UPDATE shared_memory_swap SET smaps_swap = 100", "shared_memory_swap", "smaps' Swap of 100 bytes is not whole pages")]
    [InlineData("UPDATE shared_memory_swap SET smaps_swap = -4096", "shared_memory_swap", "smaps_swap is -4096, outside 0..")]
    [InlineData("UPDATE shared_object_pages SET vma = -1", "shared_object_pages", "VMA -1 of process 4242, which the snapshot does not hold")]
    [InlineData("UPDATE shared_object_pages SET state = 'paged'", "shared_object_pages", "unknown state 'paged'")]
    [InlineData("UPDATE shared_object_pages SET pages = 0", "shared_object_pages", "pages is 0, outside 1..")]
    [InlineData("UPDATE shared_object_pages SET pages = 13 WHERE state = 'swapped'", "shared_object_pages", "13 pages run past the VMA's end")]
    [InlineData("UPDATE shared_object_pages SET pages = 20000000000000", "shared_object_pages", "run past the VMA's end")]
    [InlineData("UPDATE shared_object_pages SET first_address = first_address + 1", "shared_object_pages", "not a page-aligned address inside the VMA")]
    [InlineData("UPDATE shared_object_pages SET first_address = 0x7f0020001000 WHERE state = 'swapped'", "shared_object_pages", "after the run before it")]
    [InlineData("UPDATE shared_object_pages SET first_address = 0x7f0020010000 WHERE state = 'swapped'", "shared_object_pages", "inside the VMA")]
    [InlineData("UPDATE shared_object_pages SET first_address = first_address - 4096 WHERE state = 'resident'", "shared_object_pages", "inside the VMA")]
    [InlineData("UPDATE shared_object_pages SET state = X'72'", "shared_object_pages", "state holds a blob where the format has text")]
    public void ForgedImpossibleValuesAreRefusedNamingTheFileAndTable(string sql, string table, string words)
    {
        var refusal = Refusal(SnapshotCrafting.Forge(_good, PathOf("forged.db"), sql));
        Assert.True(refusal.Message.Contains(words), refusal.Message);
        Assert.Contains($"table {table}: ", refusal.Message);
    }

    [Theory]
    [InlineData("UPDATE vmas SET perms = 1 WHERE idx = 0", "vmas")]
    // Damage that also makes a row impossible: still reported as damage (the rows are checked as they are read).
    [InlineData("UPDATE vmas SET kind = 'bogus' WHERE idx = 0", "vmas")]
    [InlineData("UPDATE pages SET count = 20000000", "pages")]
    [InlineData("UPDATE meta SET value = 'elsewhere' WHERE key = 'host'", "meta")]
    [InlineData("UPDATE processes SET command = 'x'", "processes")]
    [InlineData("UPDATE pages SET last_address = last_address + 4096 WHERE vma = 1", "pages")]
    [InlineData("UPDATE digests SET digest = digest + 1 WHERE name = 'vmas'", "vmas")]
    [InlineData("DELETE FROM physmap_ranges; INSERT INTO physmap_ranges VALUES (0, 0, 0, 'x', X'')", "physmap_ranges")]
    [InlineData("DELETE FROM digests WHERE name = 'meta'", "digests")]
    [InlineData("UPDATE pages SET data = substr(data, 1, length(data) - 1) WHERE vma = 1", "pages")]
    [InlineData("UPDATE shared_memory_processes SET swap_active = 0", "shared_memory_processes")]
    [InlineData("UPDATE shared_memory_swap SET smaps_swap = 0", "shared_memory_swap")]
    [InlineData("UPDATE shared_object_pages SET pages = 1", "shared_object_pages")]
    [InlineData("DELETE FROM digests WHERE name = 'shared_object_pages'", "digests")]
    public void DamageToAnyTableIsRefusedNamingTheFileAndTable(string sql, string table)
    {
        var refusal = Refusal(SnapshotCrafting.Damage(_good, PathOf("damaged.db"), sql));
        Assert.True(refusal.Message.Contains($"table {table}: ") && (refusal.Message.Contains("checksum") || refusal.Message.Contains("missing")), refusal.Message);
    }

    /// <summary>
    /// Checksums are taken over text hashed without being kept (when written, and the first of the two
    /// readings of the VMAs) and over text kept (meta, and the VMAs' second reading): both must see the
    /// same characters, or a file with text beyond ASCII (more UTF-8 bytes than characters) or with a
    /// NUL inside would fail its own checksum.
    /// </summary>
    [Fact]
    public void TextBeyondAsciiAndWithANulInsideReadsBackWhole()
    {
        const string Text = "/tmp/é\0☃ x";
        string file = SnapshotCrafting.Forge(_good, PathOf("text.db"),
            "UPDATE vmas SET path = '/tmp/é' || char(0) || '☃ x' WHERE idx = 0; UPDATE meta SET value = '/tmp/é' || char(0) || '☃ x' WHERE key = 'host'");
        using var snapshot = Snapshot.Open(file);
        Assert.Equal(Text, snapshot.Host);
        using var target = snapshot.OpenOnlyProcess();
        Assert.Equal(Text, target.Vmas[0].Vma.Path);
    }

    [Fact]
    public void AnOlderVersionOrAnotherSchemaIsRefused()
    {
        var older = Refusal(SnapshotCrafting.Damage(_good, PathOf("older.db"), "UPDATE meta SET value = '1' WHERE key = 'version'"));
        Assert.Contains("written by an older PageAtlas (format version 1", older.Message);
        Assert.Contains("take it again", older.Message);
        // Format 2 kept no shared-memory tables: read now, its shared memory in swap would show as not populated.
        var second = Refusal(SnapshotCrafting.Damage(_good, PathOf("second.db"), "UPDATE meta SET value = '2' WHERE key = 'version'"));
        Assert.Contains("written by an older PageAtlas (format version 2, which does not keep what shared-memory objects hold in swap): take it again", second.Message);
        var view = Refusal(SnapshotCrafting.Damage(_good, PathOf("view.db"),
            "DROP TABLE physmap_ranges; CREATE VIEW physmap_ranges AS SELECT 0 AS idx, 0 AS start, 0 AS end, '' AS name, X'' AS counts"));
        Assert.Contains("its tables are not those of format version 3", view.Message);
    }

    [Fact]
    public void TheFileIsReadOnceAndNeverWritten()
    {
        byte[] bytes = File.ReadAllBytes(_good);
        var modified = File.GetLastWriteTimeUtc(_good);
        using var snapshot = Snapshot.Open(_good);
        // Whatever happens to the file now, the snapshot reads what it held when opened.
        File.WriteAllBytes(_good, new byte[bytes.Length]);
        File.Delete(_good);
        using var target = snapshot.OpenOnlyProcess();
        var pages = target.ReadPages(0, ulong.MaxValue, PageReadOptions.PopulatedWithFrames).SelectMany(b => b.Pages.ToArray()).ToList();
        using var original = Target();
        Assert.Equal(original.ReadPages(0, ulong.MaxValue, PageReadOptions.PopulatedWithFrames).SelectMany(b => b.Pages.ToArray()), pages);

        File.WriteAllBytes(_good, bytes);
        File.SetLastWriteTimeUtc(_good, modified);
        Assert.Equal(27, ReadAll(_good, PageReadOptions.PopulatedWithFrames).Count);
        // Nothing was created beside it (no -journal, no -wal) and nothing in it changed.
        Assert.Equal(["good.db"], Directory.GetFiles(_directory).Select(Path.GetFileName));
        Assert.Equal(bytes, File.ReadAllBytes(_good));
        Assert.Equal(modified, File.GetLastWriteTimeUtc(_good));
    }

    [Fact]
    public void WhatIsNotARegularFileIsRefusedAtOnceAndASymbolicLinkIsFollowed()
    {
        string fifo = PathOf("fifo.db");
        using (var mkfifo = Process.Start("mkfifo", fifo)) mkfifo.WaitForExit();
        string toFifo = PathOf("to-fifo.db"), toGood = PathOf("to-good.db");
        File.CreateSymbolicLink(toFifo, fifo);
        File.CreateSymbolicLink(toGood, _good);
        foreach (var (file, kind) in new[] { (fifo, "a FIFO"), (toFifo, "a FIFO"), (_directory, "a directory"), ("/dev/null", "a character device") })
        {
            // A FIFO opened for reading waits for a writer: the open must not.
            var open = Task.Run(() => Snapshot.Open(file));
            Assert.True(((IAsyncResult)open).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(30)), $"opening {file} hangs");
            var refusal = Assert.IsType<SnapshotFormatException>(open.Exception?.InnerException);
            Assert.Equal($"snapshot {file} is {kind}, not a regular file", refusal.Message);
        }
        Assert.Equal(27, ReadAll(toGood, PageReadOptions.PopulatedWithFrames).Count);
    }
}
