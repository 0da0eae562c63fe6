using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

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
    private enum Tag : byte { Null, Integer, Real, Text, Blob }

    /// <summary>Reads every row of <paramref name="table"/>, handing each to <paramref name="row"/>.</summary>
    /// <returns>The rows read and their checksum.</returns>
    public static (long Rows, long Digest) Read(SqliteConnection connection, SnapshotTable table, Action<StoredRow>? row = null)
    {
        var digest = new Fnv1a64();
        AddText(ref digest, table.Name);
        using var command = connection.CreateCommand();
        command.CommandText = table.Query;
        using var reader = command.ExecuteReader();
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        long rows = 0;
        while (reader.Read())
        {
            var values = new object?[columns.Length];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                Add(ref digest, values[i]);
            }
            rows++;
            row?.Invoke(new StoredRow(table.Name, columns, values));
        }
        return (rows, digest.Value);
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

    private static void Add(ref Fnv1a64 digest, object? value)
    {
        switch (value)
        {
            case null:
                digest.Add((byte)Tag.Null);
                break;
            case long integer:
                digest.Add((byte)Tag.Integer);
                digest.Add(integer);
                break;
            case double real:
                digest.Add((byte)Tag.Real);
                digest.Add(BitConverter.DoubleToInt64Bits(real));
                break;
            case string text:
                digest.Add((byte)Tag.Text);
                AddText(ref digest, text);
                break;
            case byte[] blob:
                digest.Add((byte)Tag.Blob);
                digest.Add(blob.LongLength);
                digest.Add(blob);
                break;
            default:
                throw new InvalidOperationException($"SQLite returned a {value.GetType()}");
        }
    }

    private static void AddText(ref Fnv1a64 digest, string text)
    {
        digest.Add((long)text.Length);
        digest.Add(MemoryMarshal.AsBytes(text.AsSpan()));
    }
}

/// <summary>One row of a table as read: typed getters refuse a value of another storage class than the format's.</summary>
internal readonly struct StoredRow(string table, string[] columns, object?[] values)
{
    public long Integer(int column) => values[column] is long value ? value : throw Mismatch(column, "an integer");

    public long? OptionalInteger(int column) => values[column] switch
    {
        null => null,
        long value => value,
        _ => throw Mismatch(column, "an integer or null"),
    };

    public string Text(int column) => values[column] is string value ? value : throw Mismatch(column, "text");

    public string? OptionalText(int column) => values[column] switch
    {
        null => null,
        string value => value,
        _ => throw Mismatch(column, "text or null"),
    };

    public byte[] Blob(int column) => values[column] is byte[] value ? value : throw Mismatch(column, "a blob");

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

    private static string Describe(object? value) => value switch
    {
        null => "null",
        long => "an integer",
        double => "a real number",
        string => "text",
        _ => "a blob",
    };
}
