using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Paging;

namespace PageAtlas.Snapshots;

/// <summary>A saved process, as the snapshot lists it.</summary>
/// <param name="Pid">Its pid at the time.</param>
/// <param name="Command">Its command name.</param>
/// <param name="PopulatedPages">Pages saved.</param>
public sealed record SnapshotProcess(int Pid, string Command, long PopulatedPages);

/// <summary>
/// An open snapshot file, checked: an SQLite database, intact, with PageAtlas' format name and a
/// version this reader understands. Each process in it opens as an <see cref="IMemoryTarget"/>, so
/// every analysis runs on it as on a live process.
/// </summary>
public sealed class Snapshot : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, string> _meta;

    private Snapshot(string path, SqliteConnection connection, Dictionary<string, string> meta, IReadOnlyList<SnapshotProcess> processes)
    {
        Path = path;
        _connection = connection;
        _meta = meta;
        Processes = processes;
        Machine = new MachineInfo(meta["kernel"], int.Parse(meta["page_size"], CultureInfo.InvariantCulture),
            new PagingMode(int.Parse(meta["paging_levels"], CultureInfo.InvariantCulture)));
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The machine it was taken on.</summary>
    public MachineInfo Machine { get; }

    /// <summary>When it was taken.</summary>
    public DateTimeOffset Created => DateTimeOffset.Parse(_meta["created"], CultureInfo.InvariantCulture);

    /// <summary>The host it was taken on.</summary>
    public string Host => _meta.GetValueOrDefault("host", "");

    /// <summary>The processes saved, by pid.</summary>
    public IReadOnlyList<SnapshotProcess> Processes { get; }

    /// <summary>Whether the machine's frames were saved (taken with --frames).</summary>
    public bool HasFrames => _meta.GetValueOrDefault("frames") == "1";

    /// <summary>Opens and checks <paramref name="path"/>.</summary>
    /// <exception cref="SnapshotFormatException">Missing, not SQLite, corrupt or truncated, not a snapshot, or newer.</exception>
    public static Snapshot Open(string path)
    {
        if (!File.Exists(path)) throw new SnapshotFormatException(path, $"snapshot {path}: no such file");
        Span<byte> header = stackalloc byte[100];
        long length;
        using (var file = File.OpenRead(path))
        {
            length = file.Length;
            if (file.ReadAtLeast(header, 100, throwOnEndOfStream: false) < 100 || !header[..16].SequenceEqual(SnapshotFormat.SqliteMagic))
                throw new SnapshotFormatException(path, $"{path} is not a PageAtlas snapshot (not an SQLite database)");
        }
        // The header records the database's size in pages (offset 28) and the page size (offset 16, 1
        // meaning 65536): a file shorter than that lost its end; SQLite alone notices only on reading there.
        int pageSize = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(header[16..]) is var size && size == 1 ? 65536 : size;
        long expected = (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(header[28..]) * pageSize;
        if (expected != length)
            throw new SnapshotFormatException(path, $"snapshot {path} is corrupt or truncated: its header says {expected} bytes, the file has {length}");
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        try
        {
            connection.Open();
            string check = Scalar(connection, "PRAGMA quick_check") as string ?? "";
            if (check != "ok") throw new SnapshotFormatException(path, $"snapshot {path} is corrupt or truncated ({check})");
            if (Scalar(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'") is not long tables || tables == 0)
                throw new SnapshotFormatException(path, $"{path} is an SQLite database but not a PageAtlas snapshot (it has no meta table)");
            var meta = new Dictionary<string, string>();
            using (var read = connection.CreateCommand())
            {
                read.CommandText = "SELECT key, value FROM meta";
                using var reader = read.ExecuteReader();
                while (reader.Read()) meta[reader.GetString(0)] = reader.GetString(1);
            }
            if (meta.GetValueOrDefault("format") != SnapshotFormat.FormatName)
                throw new SnapshotFormatException(path, $"{path} is an SQLite database but not a PageAtlas snapshot (format '{meta.GetValueOrDefault("format")}')");
            if (!int.TryParse(meta.GetValueOrDefault("version"), NumberStyles.None, CultureInfo.InvariantCulture, out int version) || version < 1)
                throw new SnapshotFormatException(path, $"snapshot {path} has no valid format version");
            if (version > SnapshotFormat.Version)
                throw new SnapshotFormatException(path, $"snapshot {path} was written by a newer PageAtlas (format version {version}; this one reads up to {SnapshotFormat.Version})");
            foreach (var key in new[] { "kernel", "page_size", "paging_levels", "created" })
                if (!meta.ContainsKey(key)) throw new SnapshotFormatException(path, $"snapshot {path} is incomplete: meta '{key}' is missing");
            var processes = new List<SnapshotProcess>();
            using (var read = connection.CreateCommand())
            {
                read.CommandText = "SELECT pid, command, populated_pages FROM processes ORDER BY pid";
                using var reader = read.ExecuteReader();
                while (reader.Read()) processes.Add(new SnapshotProcess(reader.GetInt32(0), reader.GetString(1), reader.GetInt64(2)));
            }
            return new Snapshot(path, connection, meta, processes);
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new SnapshotFormatException(path, $"snapshot {path} is corrupt or truncated: {e.Message}", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Opens the snapshot at <paramref name="path"/> and in it process <paramref name="pid"/> (or its only
    /// process when null); disposing the target closes the file.
    /// </summary>
    public static IMemoryTarget OpenTarget(string path, int? pid)
    {
        var snapshot = Open(path);
        try
        {
            var target = (SnapshotTarget)(pid is { } id ? snapshot.OpenProcess(id) : snapshot.OpenOnlyProcess());
            target.Owned = snapshot;
            return target;
        }
        catch
        {
            snapshot.Dispose();
            throw;
        }
    }

    /// <summary>Opens one saved process (with its own connection, so several can be read at once).</summary>
    /// <exception cref="TargetUnavailableException">The snapshot holds no such pid.</exception>
    public IMemoryTarget OpenProcess(int pid)
    {
        if (Processes.All(p => p.Pid != pid))
            throw new TargetUnavailableException(pid, TargetUnavailableReason.NotFound,
                $"snapshot {Path} holds no process {pid} (it holds {string.Join(", ", Processes.Select(p => p.Pid))})");
        return Guard(() => SnapshotTarget.Load(this, pid));
    }

    /// <summary>The only process, when there is exactly one.</summary>
    /// <exception cref="InvalidRequestException">The snapshot holds several: the caller must name one.</exception>
    public IMemoryTarget OpenOnlyProcess() => Processes.Count == 1 ? OpenProcess(Processes[0].Pid)
        : throw new InvalidRequestException($"snapshot {Path} holds {Processes.Count} processes ({string.Join(", ", Processes.Select(p => p.Pid))}): name one");

    /// <summary>The frame census saved with --frames, filtered as asked.</summary>
    public FrameCensusReport ReadCensus(FrameFilter filter) => Guard(() =>
    {
        RequireFrames("frames");
        var combinations = new List<FlagCombination>();
        using (var read = _connection.CreateCommand())
        {
            read.CommandText = "SELECT flags, frames, mapped, map_sum FROM frame_census";
            using var reader = read.ExecuteReader();
            while (reader.Read()) combinations.Add(new FlagCombination((FrameFlags)reader.GetInt64(0), (ulong)reader.GetInt64(1), (ulong)reader.GetInt64(2), (ulong)reader.GetInt64(3)));
        }
        var counters = new KernelCounters(ProcMeminfo.Parse(MachineFile("meminfo")), ProcBuddyinfo.Parse(MachineFile("buddyinfo")), OwnResidentBytes: null);
        return FrameCensus.Summarize(combinations, MetaNumber("census_start"), MetaNumber("census_end"), MetaNumber("frame_limit"), filter,
            counters, ProcZoneinfo.Parse(MachineFile("zoneinfo")), UninitialisedMemory.Parse(MachineFile("uninitialised")), Machine.PageSize);
    });

    /// <summary>The physical map saved with --frames.</summary>
    public PhysicalMapReport ReadPhysicalMap() => Guard(() =>
    {
        RequireFrames("physmap");
        var cells = new List<KindCounts>();
        using (var read = _connection.CreateCommand())
        {
            read.CommandText = "SELECT first_pfn, frames, counts FROM physmap_cells ORDER BY first_pfn";
            using var reader = read.ExecuteReader();
            while (reader.Read()) cells.Add(new KindCounts((ulong)reader.GetInt64(0), (ulong)reader.GetInt64(1), Counts((byte[])reader[2])));
        }
        var ranges = new List<RangeContents>();
        using (var read = _connection.CreateCommand())
        {
            read.CommandText = "SELECT start, end, name, counts FROM physmap_ranges ORDER BY idx";
            using var reader = read.ExecuteReader();
            while (reader.Read())
            {
                var range = new PhysicalRange((ulong)reader.GetInt64(0), (ulong)reader.GetInt64(1), reader.GetString(2));
                ulong first = range.Start / (ulong)Machine.PageSize, end = range.End / (ulong)Machine.PageSize + 1;
                ranges.Add(new RangeContents(range, new KindCounts(first, end - first, Counts((byte[])reader[3]))));
            }
        }
        int kinds = Enum.GetValues<FrameKind>().Length;
        var total = new KindCounts(0, MetaNumber("frame_limit"), Enumerable.Range(0, kinds).Select(k => cells.Aggregate(0UL, (s, c) => s + c.Counts[k])).ToArray());
        var zones = ProcZoneinfo.Parse(MachineFile("zoneinfo")).Where(z => z.Spanned > 0).ToArray();
        ulong free = ProcBuddyinfo.FreePages(ProcBuddyinfo.Parse(MachineFile("buddyinfo")));
        return new PhysicalMapReport(Machine.PageSize, MetaNumber("frame_limit"), MetaNumber("frames_per_cell"), cells, ranges, zones, total, free);
    });

    internal SqliteConnection NewConnection()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>Turns SQLite's errors while reading into a <see cref="SnapshotFormatException"/> naming the file.</summary>
    internal T Guard<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is SqliteException or InvalidDataException or KernelDataException or InvalidCastException or FormatException or KeyNotFoundException)
        {
            throw new SnapshotFormatException(Path, $"snapshot {Path} is corrupt: {e.Message}", e);
        }
    }

    private void RequireFrames(string command)
    {
        if (!HasFrames) throw new SnapshotFormatException(Path, $"snapshot {Path} holds no frame census: take it with --frames to use {command} on it");
    }

    private ulong MetaNumber(string key) => ulong.Parse(_meta[key], CultureInfo.InvariantCulture);

    private string MachineFile(string name)
    {
        using var read = _connection.CreateCommand();
        read.CommandText = "SELECT text FROM machine_files WHERE name = $name";
        read.Parameters.AddWithValue("$name", name);
        return read.ExecuteScalar() as string ?? "";
    }

    private static ulong[] Counts(byte[] bytes) => MemoryMarshal.Cast<byte, ulong>(bytes).ToArray();

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <inheritdoc/>
    public void Dispose() => _connection.Dispose();
}
