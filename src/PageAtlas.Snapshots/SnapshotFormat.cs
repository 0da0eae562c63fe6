namespace PageAtlas.Snapshots;

/// <summary>A table of the format, and the query whose rows its checksum covers (key order; page data aside).</summary>
/// <param name="Name">The table.</param>
/// <param name="Query">Every column that is read, in primary-key order.</param>
internal sealed record SnapshotTable(string Name, string Query);

/// <summary>
/// The layout of a snapshot file: an SQLite database. Integers are stored as SQLite's signed 64-bit
/// values (addresses, entries and flags cast bit for bit). Pages are stored per batch as one blob
/// (<see cref="PageChunkCodec"/>), only populated ones, with their FNV-1a hash. Every other column of
/// every table is covered by the table's checksum in <c>digests</c> (<see cref="TableDigest"/>).
/// </summary>
internal static class SnapshotFormat
{
    /// <summary>meta "format": what identifies a PageAtlas snapshot among SQLite files.</summary>
    public const string FormatName = "pageatlas-snapshot";

    /// <summary>
    /// meta "version": raised when a reader of an older version could misread the file. 2 added the
    /// table checksums, the boot id, and chunk ids in place of an index; 3 the shared-memory tables
    /// (without them a snapshot would show shared memory in swap as not populated).
    /// </summary>
    public const int Version = 3;

    /// <summary>The most pages one chunk holds: a batch of the live reader, and the bound of a chunk's decoding buffer.</summary>
    public const int MaxChunkPages = 16 * 1024;

    public const string Schema = """
        CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE processes(pid INTEGER PRIMARY KEY, command TEXT NOT NULL, stat TEXT NOT NULL, status TEXT NOT NULL,
            pfns_visible INTEGER NOT NULL, flags_visible INTEGER NOT NULL, visibility_reason TEXT, populated_pages INTEGER NOT NULL);
        CREATE TABLE vmas(pid INTEGER NOT NULL, idx INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL, perms INTEGER NOT NULL,
            offset INTEGER NOT NULL, dev_major INTEGER NOT NULL, dev_minor INTEGER NOT NULL, inode INTEGER NOT NULL, path TEXT NOT NULL,
            deleted INTEGER NOT NULL, kind TEXT NOT NULL, owner TEXT, thread INTEGER, kernel_page_size INTEGER NOT NULL,
            PRIMARY KEY(pid, idx));
        CREATE TABLE pages(id INTEGER PRIMARY KEY, pid INTEGER NOT NULL, vma INTEGER NOT NULL, first_address INTEGER NOT NULL,
            last_address INTEGER NOT NULL, count INTEGER NOT NULL, hash INTEGER NOT NULL, data BLOB NOT NULL);
        CREATE TABLE machine_files(name TEXT PRIMARY KEY, text TEXT NOT NULL);
        CREATE TABLE frame_census(flags INTEGER PRIMARY KEY, frames INTEGER NOT NULL, mapped INTEGER NOT NULL, map_sum INTEGER NOT NULL);
        CREATE TABLE physmap_cells(first_pfn INTEGER PRIMARY KEY, frames INTEGER NOT NULL, counts BLOB NOT NULL);
        CREATE TABLE physmap_ranges(idx INTEGER PRIMARY KEY, start INTEGER NOT NULL, end INTEGER NOT NULL, name TEXT NOT NULL, counts BLOB NOT NULL);
        CREATE TABLE shared_memory_processes(pid INTEGER PRIMARY KEY, swap_active INTEGER NOT NULL);
        CREATE TABLE shared_memory_swap(pid INTEGER NOT NULL, vma INTEGER NOT NULL, smaps_swap INTEGER NOT NULL, PRIMARY KEY(pid, vma));
        CREATE TABLE shared_object_pages(pid INTEGER NOT NULL, vma INTEGER NOT NULL, first_address INTEGER NOT NULL, pages INTEGER NOT NULL,
            state TEXT NOT NULL, PRIMARY KEY(pid, vma, first_address));
        CREATE TABLE digests(name TEXT PRIMARY KEY, rows INTEGER NOT NULL, digest INTEGER NOT NULL);
        """;

    public static readonly SnapshotTable Meta = new("meta", "SELECT key, value FROM meta ORDER BY key");
    public static readonly SnapshotTable Processes = new("processes",
        "SELECT pid, command, stat, status, pfns_visible, flags_visible, visibility_reason, populated_pages FROM processes ORDER BY pid");
    public static readonly SnapshotTable Vmas = new("vmas",
        "SELECT pid, idx, start, end, perms, offset, dev_major, dev_minor, inode, path, deleted, kind, owner, thread, kernel_page_size FROM vmas ORDER BY pid, idx");
    /// <summary>The chunks without their data, which is read only when asked for and checked against <c>hash</c> then.</summary>
    public static readonly SnapshotTable Pages = new("pages", "SELECT id, pid, vma, first_address, last_address, count, hash FROM pages ORDER BY id");
    public static readonly SnapshotTable MachineFiles = new("machine_files", "SELECT name, text FROM machine_files ORDER BY name");
    public static readonly SnapshotTable FrameCensus = new("frame_census", "SELECT flags, frames, mapped, map_sum FROM frame_census ORDER BY flags");
    public static readonly SnapshotTable PhysmapCells = new("physmap_cells", "SELECT first_pfn, frames, counts FROM physmap_cells ORDER BY first_pfn");
    public static readonly SnapshotTable PhysmapRanges = new("physmap_ranges", "SELECT idx, start, end, name, counts FROM physmap_ranges ORDER BY idx");
    /// <summary>Per process: whether a swap area was active (<see cref="Model.SharedMemorySwap.SwapActive"/>).</summary>
    public static readonly SnapshotTable SharedMemoryProcesses = new("shared_memory_processes", "SELECT pid, swap_active FROM shared_memory_processes ORDER BY pid");
    /// <summary>Per VMA backed by a shared-memory object: smaps' Swap in bytes, when a swap area was active.</summary>
    public static readonly SnapshotTable SharedMemorySwap = new("shared_memory_swap", "SELECT pid, vma, smaps_swap FROM shared_memory_swap ORDER BY pid, vma");
    /// <summary>Per VMA: the runs of pages its shared-memory object held (<see cref="SharedObjectResident"/> or <see cref="SharedObjectSwapped"/>).</summary>
    public static readonly SnapshotTable SharedObjectPages = new("shared_object_pages",
        "SELECT pid, vma, first_address, pages, state FROM shared_object_pages ORDER BY pid, vma, first_address");

    /// <summary>shared_object_pages' states.</summary>
    public const string SharedObjectResident = "resident", SharedObjectSwapped = "swapped";

    /// <summary>Every table whose checksum is kept in <c>digests</c>.</summary>
    public static readonly IReadOnlyList<SnapshotTable> DigestedTables =
        [Meta, Processes, Vmas, Pages, MachineFiles, FrameCensus, PhysmapCells, PhysmapRanges, SharedMemoryProcesses, SharedMemorySwap, SharedObjectPages];

    /// <summary>"SQLite format 3\0": the first 16 bytes of every SQLite database.</summary>
    public static ReadOnlySpan<byte> SqliteMagic => "SQLite format 3\0"u8;
}

/// <summary>
/// What is wrong inside a snapshot, said by the code that reads one table (which does not know the
/// file): <see cref="Snapshot"/> turns it into a <see cref="SnapshotFormatException"/> naming both.
/// </summary>
internal sealed class SnapshotContentException(string table, string message) : Exception(message)
{
    /// <summary>The table.</summary>
    public string Table { get; } = table;
}
