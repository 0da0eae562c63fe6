namespace PageAtlas.Snapshots;

/// <summary>
/// The layout of a snapshot file: an SQLite database. Integers are stored as SQLite's signed 64-bit
/// values (addresses, entries and flags cast bit for bit). Pages are stored per batch as one blob
/// (<see cref="PageChunkCodec"/>), only populated ones.
/// </summary>
internal static class SnapshotFormat
{
    /// <summary>meta "format": what identifies a PageAtlas snapshot among SQLite files.</summary>
    public const string FormatName = "pageatlas-snapshot";

    /// <summary>meta "version": raised when a reader of an older version could misread the file.</summary>
    public const int Version = 1;

    public const string Schema = """
        CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE processes(pid INTEGER PRIMARY KEY, command TEXT NOT NULL, stat TEXT NOT NULL, status TEXT NOT NULL,
            pfns_visible INTEGER NOT NULL, flags_visible INTEGER NOT NULL, visibility_reason TEXT, populated_pages INTEGER NOT NULL);
        CREATE TABLE vmas(pid INTEGER NOT NULL, idx INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL, perms INTEGER NOT NULL,
            offset INTEGER NOT NULL, dev_major INTEGER NOT NULL, dev_minor INTEGER NOT NULL, inode INTEGER NOT NULL, path TEXT NOT NULL,
            deleted INTEGER NOT NULL, kind TEXT NOT NULL, owner TEXT, thread INTEGER, kernel_page_size INTEGER NOT NULL,
            PRIMARY KEY(pid, idx));
        CREATE TABLE pages(pid INTEGER NOT NULL, vma INTEGER NOT NULL, first_address INTEGER NOT NULL, last_address INTEGER NOT NULL,
            count INTEGER NOT NULL, data BLOB NOT NULL, hash INTEGER NOT NULL);
        CREATE INDEX pages_by_vma ON pages(pid, vma, first_address);
        CREATE TABLE machine_files(name TEXT PRIMARY KEY, text TEXT NOT NULL);
        CREATE TABLE frame_census(flags INTEGER PRIMARY KEY, frames INTEGER NOT NULL, mapped INTEGER NOT NULL, map_sum INTEGER NOT NULL);
        CREATE TABLE physmap_cells(first_pfn INTEGER PRIMARY KEY, frames INTEGER NOT NULL, counts BLOB NOT NULL);
        CREATE TABLE physmap_ranges(idx INTEGER PRIMARY KEY, start INTEGER NOT NULL, end INTEGER NOT NULL, name TEXT NOT NULL, counts BLOB NOT NULL);
        """;

    /// <summary>"SQLite format 3\0": the first 16 bytes of every SQLite database.</summary>
    public static ReadOnlySpan<byte> SqliteMagic => "SQLite format 3\0"u8;
}

/// <summary>A snapshot file cannot be used: missing, truncated, corrupt, not a snapshot, or from a newer PageAtlas.</summary>
public sealed class SnapshotFormatException(string path, string message, Exception? inner = null) : PageAtlasException(message, inner)
{
    /// <inheritdoc/>
    public override FailureCause Cause => FailureCause.BadSnapshot;

    /// <summary>The file.</summary>
    public string Path { get; } = path;
}
