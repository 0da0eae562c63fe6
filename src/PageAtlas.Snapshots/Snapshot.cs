using System.Globalization;
using Microsoft.Data.Sqlite;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using SQLitePCL;

namespace PageAtlas.Snapshots;

/// <summary>A saved process, as the snapshot lists it.</summary>
/// <param name="Pid">Its pid at the time.</param>
/// <param name="Command">Its command name.</param>
/// <param name="PopulatedPages">Pages saved.</param>
public sealed record SnapshotProcess(int Pid, string Command, long PopulatedPages);

/// <summary>
/// An open snapshot file, checked: a regular file read whole into memory (<see cref="SnapshotImage"/>),
/// an intact SQLite database with exactly the tables of this format version, each table matching its
/// checksum and every value possible on a real machine (<see cref="SnapshotCatalog"/>). Page data is
/// checked chunk by chunk when read. Each process in it opens as an <see cref="IMemoryTarget"/>, so
/// every analysis runs on it as on a live process.
/// </summary>
public sealed class Snapshot : IDisposable
{
    private static readonly Lazy<string[]> s_schema = new(ExpectedSchema);
    private readonly SqliteConnection _connection;
    private readonly SnapshotCatalog _catalog;
    private readonly Lock _reading = new();
    /// <summary>The statement that reads chunks' data, made on first use (under <see cref="_reading"/>).</summary>
    private sqlite3_stmt? _chunkRead;

    private Snapshot(string path, SqliteConnection connection, SnapshotCatalog catalog)
    {
        Path = path;
        _connection = connection;
        _catalog = catalog;
        Processes = catalog.Processes.Select(p => new SnapshotProcess(p.Pid, p.Facts.Name, p.PopulatedPages)).ToArray();
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The machine it was taken on.</summary>
    public MachineInfo Machine => _catalog.Meta.Machine;

    /// <summary>When it was taken.</summary>
    public DateTimeOffset Created => _catalog.Meta.Created;

    /// <summary>The host it was taken on.</summary>
    public string Host => _catalog.Meta.Host;

    /// <summary>The boot it was taken in: frame numbers and pids of two snapshots compare only within one boot.</summary>
    public Guid BootId => _catalog.Meta.BootId;

    /// <summary>The processes saved, by pid.</summary>
    public IReadOnlyList<SnapshotProcess> Processes { get; }

    /// <summary>Whether the machine's frames were saved (taken with --frames).</summary>
    public bool HasFrames => _catalog.Frames is not null;

    /// <summary>Opens and checks <paramref name="path"/>.</summary>
    /// <exception cref="SnapshotFormatException">Missing, not a regular file, not SQLite, corrupt or truncated, not a snapshot, of another version, damaged or invalid.</exception>
    /// <exception cref="FileAccessException">The kernel refused to open or read it.</exception>
    public static Snapshot Open(string path)
    {
        SqliteConnection? connection = null;
        try
        {
            connection = SnapshotImage.Open(path);
            CheckStructure(path, connection);
            return new Snapshot(path, connection, Guard(path, () => SnapshotCatalog.Read(connection)));
        }
        catch (SqliteException e)
        {
            connection?.Dispose();
            throw new SnapshotFormatException(path, $"snapshot {path} is corrupt or truncated: {e.Message}", e);
        }
        catch
        {
            connection?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// An intact database (quick_check reads every page), a PageAtlas snapshot of this format version,
    /// with exactly this version's tables and indexes: no view, trigger or other column stands in for one.
    /// </summary>
    private static void CheckStructure(string path, SqliteConnection connection)
    {
        string check = Scalar(connection, "PRAGMA quick_check") as string ?? "";
        if (check != "ok") throw new SnapshotFormatException(path, $"snapshot {path} is corrupt or truncated ({SnapshotMeta.Shown(check)})");
        if (Scalar(connection, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'") is not long tables || tables == 0)
            throw new SnapshotFormatException(path, $"{path} is an SQLite database but not a PageAtlas snapshot (it has no meta table)");
        string? format = Scalar(connection, "SELECT value FROM meta WHERE key = 'format'") as string;
        if (format != SnapshotFormat.FormatName)
            throw new SnapshotFormatException(path, $"{path} is an SQLite database but not a PageAtlas snapshot (format '{SnapshotMeta.Shown(format ?? "")}')");
        if (!int.TryParse(Scalar(connection, "SELECT value FROM meta WHERE key = 'version'") as string, NumberStyles.None, CultureInfo.InvariantCulture, out int version) || version < 1)
            throw new SnapshotFormatException(path, $"snapshot {path} has no valid format version");
        if (version > SnapshotFormat.Version)
            throw new SnapshotFormatException(path, $"snapshot {path} was written by a newer PageAtlas (format version {version}; this one reads version {SnapshotFormat.Version})");
        if (version < SnapshotFormat.Version)
            throw new SnapshotFormatException(path, $"snapshot {path} was written by an older PageAtlas (format version {version}, {Lacks(version)}): take it again");
        var schema = ReadSchema(connection);
        if (!schema.SequenceEqual(s_schema.Value))
            throw new SnapshotFormatException(path, $"snapshot {path} is damaged: its tables are not those of format version {SnapshotFormat.Version}");
    }

    /// <summary>What a file of an older format version lacks, said when it is refused.</summary>
    private static string Lacks(int version) => version == 1
        ? "whose tables carry no checksums"
        : "which does not keep what shared-memory objects hold in swap";

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

    /// <summary>Opens one saved process (safe to do and to read from several threads at once).</summary>
    /// <exception cref="TargetUnavailableException">The snapshot holds no such pid.</exception>
    public IMemoryTarget OpenProcess(int pid) => _catalog.Processes.FirstOrDefault(p => p.Pid == pid) is { } process
        ? new SnapshotTarget(this, process)
        : throw new TargetUnavailableException(pid, TargetUnavailableReason.NotFound,
            $"snapshot {Path} holds no process {pid} (it holds {string.Join(", ", Processes.Select(p => p.Pid))})");

    /// <summary>The only process, when there is exactly one.</summary>
    /// <exception cref="InvalidRequestException">The snapshot holds several: the caller must name one.</exception>
    public IMemoryTarget OpenOnlyProcess() => Processes.Count == 1 ? OpenProcess(Processes[0].Pid)
        : throw new InvalidRequestException($"snapshot {Path} holds {Processes.Count} processes ({string.Join(", ", Processes.Select(p => p.Pid))}): name one");

    /// <summary>
    /// The machine's frames as saved with --frames, for the frame analyses; a snapshot taken without
    /// them answers only that it holds none. Disposing it leaves the snapshot open.
    /// </summary>
    public IFrameSource Frames => new SnapshotFrameSource(this, _catalog.Frames, ownsSnapshot: false);

    /// <summary>Opens the snapshot at <paramref name="path"/> as a frame source; disposing it closes the file.</summary>
    public static IFrameSource OpenFrames(string path)
    {
        var snapshot = Open(path);
        return new SnapshotFrameSource(snapshot, snapshot._catalog.Frames, ownsSnapshot: true);
    }

    /// <summary>Decodes one chunk of pages into <paramref name="into"/> (its length), once its data matched its hash.</summary>
    /// <exception cref="SnapshotFormatException">It is missing, fails its hash, or does not decode to its pages.</exception>
    internal void DecodeChunk(PageChunk chunk, int pid, Span<PageRecord> into)
    {
        string? wrong;
        lock (_reading)
        {
            try
            {
                // One statement, prepared once, walks the chunks in id order, the order a process's
                // chunks are written and read in: the next chunk is usually the next row, one step
                // away, where a look-up by id ran a new search for each of 20,000 chunks. The blob is
                // hashed and decoded where SQLite holds it, without a copy.
                var db = _connection.Handle!;
                if (_chunkRead is null) Check(db, raw.sqlite3_prepare_v2(db, "SELECT id, data FROM pages WHERE id >= ?1 ORDER BY id", out _chunkRead));
                nint statement = SqliteCalls.Pointer(_chunkRead);
                int rc = MoveTo(db, statement, chunk.Id);
                if (rc is not raw.SQLITE_ROW and not raw.SQLITE_DONE) Check(db, rc);
                int type = rc == raw.SQLITE_ROW && _chunkRow == chunk.Id ? SqliteCalls.ColumnType(statement, 1) : raw.SQLITE_NULL;
                var data = type == raw.SQLITE_BLOB ? SqliteCalls.ColumnBlob(statement, 1) : default;
                wrong = type != raw.SQLITE_BLOB ? $"its data is {(type == raw.SQLITE_NULL ? "missing" : "not a blob")}"
                    : Fnv1a64.Of(data) != chunk.Hash ? "its data fails its checksum (the file is damaged)"
                    : null;
                if (wrong is null) PageChunkCodec.Decode(data, chunk.First, chunk.Last, Machine.PageSize, into);
            }
            catch (SnapshotContentException e)
            {
                wrong = e.Message;
            }
            catch (SqliteException e)
            {
                _chunkRow = NoRow;
                throw new SnapshotFormatException(Path, $"snapshot {Path} is corrupt: {e.Message}", e);
            }
        }
        if (wrong is not null) throw Refusal(Path, new SnapshotContentException("pages", $"{chunk.Name(pid)}: {wrong}"));
    }

    /// <summary>Chunks this close ahead of the row the chunk statement stands on are stepped to rather than searched for.</summary>
    private const long MaxStepsAhead = 16;

    /// <summary><see cref="_chunkRead"/>'s row: the id of the chunk it stands on, or <see cref="NoRow"/>.</summary>
    private long _chunkRow = NoRow;
    private const long NoRow = -1;

    /// <summary>Sets the chunk statement on the first row whose id is at least <paramref name="id"/>, stepping when it is a few rows ahead.</summary>
    /// <returns>The last step's result: a row (whose id is in <see cref="_chunkRow"/>), done, or an error.</returns>
    private int MoveTo(sqlite3 db, nint statement, long id)
    {
        int rc;
        if (_chunkRow != NoRow && id > _chunkRow && id - _chunkRow <= MaxStepsAhead)
        {
            while ((rc = SqliteCalls.Step(statement)) == raw.SQLITE_ROW)
            {
                _chunkRow = SqliteCalls.ColumnInt64(statement, 0);
                if (_chunkRow >= id) return rc;
            }
            _chunkRow = NoRow;
            return rc;
        }
        Check(db, SqliteCalls.Reset(statement));
        Check(db, SqliteCalls.BindInt64(statement, 1, id));
        rc = SqliteCalls.Step(statement);
        _chunkRow = rc == raw.SQLITE_ROW ? SqliteCalls.ColumnInt64(statement, 0) : NoRow;
        return rc;
    }

    private static void Check(sqlite3 db, int rc)
    {
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, db);
    }

    /// <summary>What is wrong inside the file, as the error naming the file and the table.</summary>
    internal static SnapshotFormatException Refusal(string path, SnapshotContentException e) =>
        new(path, $"snapshot {path} cannot be used: table {e.Table}: {e.Message}", e);

    /// <summary>Turns what is wrong inside the file into a <see cref="SnapshotFormatException"/> naming the file and the table.</summary>
    internal static T Guard<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (SnapshotContentException e)
        {
            throw Refusal(path, e);
        }
        catch (SqliteException e)
        {
            throw new SnapshotFormatException(path, $"snapshot {path} is corrupt: {e.Message}", e);
        }
    }

    /// <summary>Every table and index of the format, as sqlite_master describes them once the schema is created.</summary>
    private static string[] ExpectedSchema()
    {
        using var connection = new SqliteConnection("Data Source=:memory:;Pooling=False");
        connection.Open();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = SnapshotFormat.Schema;
            create.ExecuteNonQuery();
        }
        return ReadSchema(connection);
    }

    private static string[] ReadSchema(SqliteConnection connection)
    {
        var entries = new List<string>();
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name";
        using var reader = read.ExecuteReader();
        while (reader.Read())
            entries.Add(string.Join('\0', Enumerable.Range(0, 4).Select(i => reader.IsDBNull(i) ? "" : reader.GetValue(i).ToString())));
        return [.. entries];
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _chunkRead?.Dispose();
        _connection.Dispose();
    }
}
