using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace PageAtlas.Snapshots;

/// <summary>
/// The checksum of one table (<see cref="SnapshotFormat.DigestedTables"/>): FNV-1a over the table's
/// name and every row its query returns, each value tagged with its SQLite storage class and written
/// in one fixed form (integers and reals as 8 bytes; text as its UTF-16 code units and blobs as their
/// bytes, both after their length), so a changed value, type, order or number of rows changes it.
/// The writer stores it in <c>digests</c>; the reader computes it over the very rows it then uses.
/// </summary>
internal static class TableDigest
{
    /// <summary>Reads every row of <paramref name="table"/>, handing each to <paramref name="row"/>.</summary>
    /// <returns>The rows read and their checksum.</returns>
    /// <remarks>
    /// SQLite's own statement, stepped directly: Microsoft.Data.Sqlite's reader boxes every value and
    /// asks SQLite for its type three times, which was a third of opening a 20,000-VMA snapshot.
    /// Values are kept unboxed (<see cref="StoredValue"/>); text is decoded as Microsoft.Data.Sqlite
    /// decodes it (UTF-8 to UTF-16), so the checksum is the writer's.
    /// </remarks>
    /// <param name="connection">The open snapshot.</param>
    /// <param name="table">The table.</param>
    /// <param name="row">Given each row; when null, the checksum alone is taken and no value is kept.</param>
    /// <param name="reuseRow">Every row handed over lives in one buffer, valid until the next: for a caller that keeps nothing of a row but what it copies out.</param>
    public static (long Rows, long Digest) Read(SqliteConnection connection, SnapshotTable table, Action<StoredRow>? row = null, bool reuseRow = false)
    {
        var digest = new Fnv1a64();
        AddText(ref digest, table.Name);
        var db = connection.Handle!;
        Check(db, raw.sqlite3_prepare_v2(db, table.Query, out sqlite3_stmt statement));
        using (statement)
        {
            int width = raw.sqlite3_column_count(statement);
            var columns = new string[width];
            for (int i = 0; i < width; i++) columns[i] = raw.sqlite3_column_name(statement, i).utf8_to_string();
            long rows = 0;
            int rc;
            var shared = row is not null && reuseRow ? new StoredValue[width] : null;
            var lastText = new LastText[width];
            nint stepped = SqliteCalls.Pointer(statement);
            while ((rc = SqliteCalls.Step(stepped)) == raw.SQLITE_ROW)
            {
                var values = row is null ? null : shared ?? new StoredValue[width];
                for (int i = 0; i < width; i++)
                {
                    var value = Column(stepped, i, ref digest, values is null ? null : lastText);
                    if (values is not null) values[i] = value;
                }
                rows++;
                row?.Invoke(new StoredRow(table.Name, columns, values!));
            }
            if (rc != raw.SQLITE_DONE) Check(db, rc);
            return (rows, digest.Value);
        }
    }

    /// <summary>
    /// One column's last text, as bytes and string: consecutive rows often repeat one (a kind, a
    /// library's path), and the repeat is given the same string instead of a new one.
    /// </summary>
    private struct LastText
    {
        public byte[] Bytes;
        public int Length;
        public string Text;
    }

    /// <summary>
    /// One value of the current row, added to <paramref name="digest"/>; text and blobs are kept only
    /// when <paramref name="lastText"/> is given (otherwise just hashed).
    /// </summary>
    private static StoredValue Column(nint statement, int column, ref Fnv1a64 digest, LastText[]? lastText)
    {
        bool keep = lastText is not null;
        switch (SqliteCalls.ColumnType(statement, column))
        {
            case raw.SQLITE_INTEGER:
                long integer = SqliteCalls.ColumnInt64(statement, column);
                digest.Add((byte)StoredKind.Integer);
                digest.Add(integer);
                return new StoredValue(StoredKind.Integer, integer, null);
            case raw.SQLITE_FLOAT:
                long bits = BitConverter.DoubleToInt64Bits(SqliteCalls.ColumnDouble(statement, column));
                digest.Add((byte)StoredKind.Real);
                digest.Add(bits);
                return new StoredValue(StoredKind.Real, bits, null);
            case raw.SQLITE_TEXT:
                digest.Add((byte)StoredKind.Text);
                // column_text makes the value UTF-8 (a file may be in UTF-16), all of its bytes: what
                // is hashed is exactly what is decoded when kept.
                var utf8 = SqliteCalls.ColumnUtf8(statement, column);
                if (!keep)
                {
                    AddUtf8Text(ref digest, utf8);
                    return default;
                }
                ref var last = ref lastText![column];
                if (last.Text is null || !utf8.SequenceEqual(last.Bytes.AsSpan(0, last.Length)))
                {
                    if (last.Bytes is null || last.Bytes.Length < utf8.Length) last.Bytes = new byte[Math.Max(utf8.Length, 64)];
                    utf8.CopyTo(last.Bytes);
                    (last.Length, last.Text) = (utf8.Length, Encoding.UTF8.GetString(utf8));
                }
                string text = last.Text;
                AddText(ref digest, text);
                return new StoredValue(StoredKind.Text, 0, text);
            case raw.SQLITE_BLOB:
                var bytes = SqliteCalls.ColumnBlob(statement, column);
                digest.Add((byte)StoredKind.Blob);
                digest.Add((long)bytes.Length);
                digest.Add(bytes);
                return keep ? new StoredValue(StoredKind.Blob, 0, bytes.ToArray()) : default;
            default:
                digest.Add((byte)StoredKind.Null);
                return default;
        }
    }

    private static void Check(sqlite3 db, int rc)
    {
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, db);
    }

    /// <summary>Stores the checksum of every table in <c>digests</c>: the last step of writing a snapshot.</summary>
    public static void WriteAll(SqliteConnection connection)
    {
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO digests(name, rows, digest) VALUES ($name, $rows, $digest)";
        foreach (var table in SnapshotFormat.DigestedTables)
        {
            var (rows, digest) = Read(connection, table);
            insert.Parameters.Clear();
            insert.Parameters.AddWithValue("$name", table.Name);
            insert.Parameters.AddWithValue("$rows", rows);
            insert.Parameters.AddWithValue("$digest", digest);
            insert.ExecuteNonQuery();
        }
    }

    private static void AddText(ref Fnv1a64 digest, ReadOnlySpan<char> text)
    {
        digest.Add((long)text.Length);
        digest.Add(MemoryMarshal.AsBytes(text));
    }

    /// <summary>Adds UTF-8 text as <see cref="AddText"/> adds the string it decodes to (as Microsoft.Data.Sqlite decodes it), without making one.</summary>
    private static void AddUtf8Text(ref Fnv1a64 digest, ReadOnlySpan<byte> utf8)
    {
        char[] chars = ArrayPool<char>.Shared.Rent(Encoding.UTF8.GetMaxCharCount(utf8.Length));
        try
        {
            AddText(ref digest, chars.AsSpan(0, Encoding.UTF8.GetChars(utf8, chars)));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }
}

/// <summary>SQLite's storage classes, as the checksum tags them (the numbers are part of the format).</summary>
internal enum StoredKind : byte { Null, Integer, Real, Text, Blob }

/// <summary>One value as read, unboxed: an integer (or a real's bits) inline, text or a blob by reference.</summary>
internal readonly record struct StoredValue(StoredKind Kind, long Bits, object? Reference);

/// <summary>One row of a table as read: typed getters refuse a value of another storage class than the format's.</summary>
internal readonly struct StoredRow(string table, string[] columns, StoredValue[] values)
{
    public long Integer(int column) => values[column] is { Kind: StoredKind.Integer } value ? value.Bits : throw Mismatch(column, "an integer");

    public long? OptionalInteger(int column) => values[column] switch
    {
        { Kind: StoredKind.Null } => null,
        { Kind: StoredKind.Integer } value => value.Bits,
        _ => throw Mismatch(column, "an integer or null"),
    };

    public string Text(int column) => values[column] is { Kind: StoredKind.Text, Reference: string value } ? value : throw Mismatch(column, "text");

    public string? OptionalText(int column) => values[column] switch
    {
        { Kind: StoredKind.Null } => null,
        { Kind: StoredKind.Text, Reference: string value } => value,
        _ => throw Mismatch(column, "text or null"),
    };

    public byte[] Blob(int column) => values[column] is { Kind: StoredKind.Blob, Reference: byte[] value } ? value : throw Mismatch(column, "a blob");
    /// <summary>A 0/1 column.</summary>
    public bool Flag(int column) => Integer(column) switch
    {
        0 => false,
        1 => true,
        var other => throw Invalid($"{columns[column]} is {other}, not 0 or 1"),
    };

    /// <summary>An integer column that must lie in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public long Integer(int column, long min, long max)
    {
        long value = Integer(column);
        return value >= min && value <= max ? value : throw Invalid($"{columns[column]} is {value}, outside {min}..{max}");
    }

    /// <summary>An error about this row's content.</summary>
    public SnapshotContentException Invalid(string message) => new(table, message);

    private SnapshotContentException Mismatch(int column, string expected) => Invalid($"{columns[column]} holds {Describe(values[column])} where the format has {expected}");

    private static string Describe(StoredValue value) => value.Kind switch
    {
        StoredKind.Null => "null",
        StoredKind.Integer => "an integer",
        StoredKind.Real => "a real number",
        StoredKind.Text => "text",
        _ => "a blob",
    };
}
