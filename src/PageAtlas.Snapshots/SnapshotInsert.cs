using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace PageAtlas.Snapshots;

/// <summary>
/// One INSERT of the snapshot writer, prepared once and run per row through SQLite's own statement:
/// a row per VMA and per chunk (20,000 of each for a process of 20,000 VMAs) bound through
/// Microsoft.Data.Sqlite boxed every value and made a UTF-8 copy of every text, garbage that made the
/// writer's peak memory grow with the VMAs. Values are bound by position (?1, ?2, …), in the order given.
/// </summary>
internal sealed class SnapshotInsert : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private byte[] _utf8 = [];
    private int _next = 1;

    public SnapshotInsert(SqliteConnection connection, string sql)
    {
        _db = connection.Handle!;
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
    }

    public SnapshotInsert Integer(long value)
    {
        Check(raw.sqlite3_bind_int64(_statement, _next++, value));
        return this;
    }

    /// <summary>An integer, or NULL when <paramref name="value"/> is null.</summary>
    public SnapshotInsert OptionalInteger(long? value)
    {
        if (value is { } known) return Integer(known);
        Check(raw.sqlite3_bind_null(_statement, _next++));
        return this;
    }

    /// <summary>Text, or NULL when <paramref name="value"/> is null.</summary>
    public SnapshotInsert Text(string? value)
    {
        if (value is null) Check(raw.sqlite3_bind_null(_statement, _next++));
        // An empty span is a null pointer, which SQLite binds as NULL: the empty string goes as a string.
        else if (value.Length == 0) Check(raw.sqlite3_bind_text(_statement, _next++, string.Empty));
        else
        {
            int most = Encoding.UTF8.GetMaxByteCount(value.Length);
            if (_utf8.Length < most) _utf8 = new byte[Math.Max(most, 256)];
            // SQLite copies the bytes (SQLITE_TRANSIENT), so the buffer is reused for the next value.
            Check(raw.sqlite3_bind_text(_statement, _next++, _utf8.AsSpan(0, Encoding.UTF8.GetBytes(value, _utf8))));
        }
        return this;
    }

    public SnapshotInsert Blob(ReadOnlySpan<byte> value)
    {
        // An empty span is a null pointer, which SQLite binds as NULL: an empty blob is a zero-length one.
        Check(value.IsEmpty ? raw.sqlite3_bind_zeroblob(_statement, _next++, 0) : raw.sqlite3_bind_blob(_statement, _next++, value));
        return this;
    }

    /// <summary>Inserts the row bound, and starts the next.</summary>
    public void Run()
    {
        int rc = raw.sqlite3_step(_statement);
        if (rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, _db);
        Check(raw.sqlite3_reset(_statement));
        _next = 1;
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, _db);
    }

    public void Dispose() => _statement.Dispose();
}
