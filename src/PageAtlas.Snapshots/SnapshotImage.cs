using System.Buffers.Binary;
using Microsoft.Data.Sqlite;
using Microsoft.Win32.SafeHandles;
using PageAtlas.Linux;
using SQLitePCL;

namespace PageAtlas.Snapshots;

/// <summary>
/// Brings a snapshot file into memory and opens it there, read-only. The file may belong to someone
/// else, so it is opened without blocking or waking a device and only if it is a regular file
/// (<see cref="RegularFile"/>; a symbolic link is followed: reading through one is harmless once
/// what it leads to is checked), then read whole into one buffer that SQLite is given with
/// sqlite3_deserialize. SQLite never opens a path: nobody can swap another file in between the
/// check and the open, no -journal or -wal file is ever created beside the snapshot, and a file
/// changed while it is analysed changes nothing, since the image was taken once.
/// </summary>
internal static unsafe class SnapshotImage
{
    private const int SqliteHeaderSize = 100;

    /// <summary>Opens <paramref name="path"/> as an in-memory, read-only database.</summary>
    /// <exception cref="SnapshotFormatException">Missing, not a regular file, too large, not SQLite, or shorter than its header says.</exception>
    /// <exception cref="FileAccessException">The kernel refused to open or read it.</exception>
    public static SqliteConnection Open(string path)
    {
        var outcome = RegularFile.TryOpen(path, followSymlinks: true, out var handle, out long length, out string why);
        switch (outcome)
        {
            case RegularFileOutcome.Missing: throw new SnapshotFormatException(path, $"snapshot {path}: no such file");
            case RegularFileOutcome.NotRegular: throw new SnapshotFormatException(path, $"snapshot {path} is {why}, not a regular file");
            case RegularFileOutcome.Refused or RegularFileOutcome.Failed: throw new FileAccessException(path, $"snapshot {path} cannot be opened: {why}");
        }
        using (handle)
        {
            // The header first: a file that is not what it says is refused before memory is spent on it.
            Span<byte> header = stackalloc byte[SqliteHeaderSize];
            if (length < SqliteHeaderSize || ReadAt(path, handle!, header, 0) < SqliteHeaderSize) throw NotSqlite(path);
            CheckHeader(path, header, length);
            // The image lives in memory as long as the snapshot is open: refuse one that would crowd the machine.
            long bound = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 2;
            if (length > bound)
                throw new SnapshotFormatException(path, $"snapshot {path} is {length} bytes: PageAtlas reads a snapshot whole into memory, and this machine has room for {bound}");
            var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = ":memory:", Pooling = false }.ToString());
            try
            {
                connection.Open();
                Deserialize(path, connection, Read(path, handle!, length), length);
                return connection;
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }
    }

    /// <summary>The whole file, in memory SQLite allocated (it frees it once it owns it).</summary>
    private static nint Read(string path, SafeFileHandle handle, long length)
    {
        nint image = raw.sqlite3_malloc64(length);
        if (image == 0) throw new SnapshotFormatException(path, $"snapshot {path} is {length} bytes: there is not enough memory to read it");
        try
        {
            ReadWhole(path, handle, image, length);
            CheckHeader(path, new ReadOnlySpan<byte>((void*)image, SqliteHeaderSize), length);
            return image;
        }
        catch
        {
            raw.sqlite3_free(image);
            throw;
        }
    }

    /// <summary>Reads exactly <paramref name="length"/> bytes, and then the end of the file: one that grew or shrank meanwhile is refused.</summary>
    private static void ReadWhole(string path, SafeFileHandle handle, nint image, long length)
    {
        long done = 0;
        while (done < length)
        {
            int got = ReadAt(path, handle, new Span<byte>((void*)(image + (nint)done), (int)Math.Min(length - done, 1 << 30)), done);
            if (got == 0) break;
            done += got;
        }
        Span<byte> beyond = stackalloc byte[1];
        if (done != length || ReadAt(path, handle, beyond, length) != 0)
            throw new SnapshotFormatException(path, $"snapshot {path} changed size while it was read: take it again, or copy it first");
    }

    /// <summary>Fills as much of <paramref name="buffer"/> as the file holds from <paramref name="offset"/> on.</summary>
    private static int ReadAt(string path, SafeFileHandle handle, Span<byte> buffer, long offset)
    {
        try
        {
            int done = 0;
            while (done < buffer.Length && RandomAccess.Read(handle, buffer[done..], offset + done) is var got && got > 0) done += got;
            return done;
        }
        catch (IOException e)
        {
            throw new FileAccessException(path, $"snapshot {path} cannot be read: {e.Message}", e);
        }
    }

    /// <summary>
    /// The header records the database's size in pages (offset 28) and the page size (offset 16, 1
    /// meaning 65536): a file of another length lost its end or gained something; SQLite alone
    /// notices only on reading there.
    /// </summary>
    private static void CheckHeader(string path, ReadOnlySpan<byte> header, long length)
    {
        if (!header[..16].SequenceEqual(SnapshotFormat.SqliteMagic)) throw NotSqlite(path);
        int pageSize = BinaryPrimitives.ReadUInt16BigEndian(header[16..]) is var size && size == 1 ? 65536 : size;
        long expected = (long)BinaryPrimitives.ReadUInt32BigEndian(header[28..]) * pageSize;
        if (expected != length)
            throw new SnapshotFormatException(path, $"snapshot {path} is corrupt or truncated: its header says {expected} bytes, the file has {length}");
    }

    /// <summary>Hands the image to SQLite, which frees it when the connection closes (or at once, if it refuses it).</summary>
    private static void Deserialize(string path, SqliteConnection connection, nint image, long length)
    {
        int rc = raw.sqlite3_deserialize(connection.Handle, "main", image, length, length,
            raw.SQLITE_DESERIALIZE_FREEONCLOSE | raw.SQLITE_DESERIALIZE_READONLY);
        if (rc != raw.SQLITE_OK)
            throw new SnapshotFormatException(path, $"snapshot {path} cannot be opened: {raw.sqlite3_errstr(rc).utf8_to_string()}");
        // The schema is compared with the format's before any table is read; until then, a crafted
        // one must not be able to call functions.
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA trusted_schema = OFF; PRAGMA query_only = ON;";
        pragma.ExecuteNonQuery();
    }

    private static SnapshotFormatException NotSqlite(string path) => new(path, $"{path} is not a PageAtlas snapshot (not an SQLite database)");
}
