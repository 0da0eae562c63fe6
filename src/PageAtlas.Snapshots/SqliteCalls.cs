using System.Runtime.InteropServices;
using SQLitePCL;

namespace PageAtlas.Snapshots;

/// <summary>
/// SQLite's step and column calls made directly on a statement's pointer, for the loops that read a
/// snapshot row by row. SQLitePCLRaw's own calls go through a provider object and take and release
/// the statement's SafeHandle at every call: with two calls per value, that was a sixth of opening
/// a snapshot of 20,000 VMAs. The statement is still prepared and freed by SQLitePCLRaw; a pointer
/// taken from it is used only while its handle is held. The library is the one SQLitePCLRaw uses
/// ("e_sqlite3": beside the program for the dotnet tool, linked into the native one).
/// </summary>
internal static unsafe partial class SqliteCalls
{
    private const string Library = "e_sqlite3";

    /// <summary>The statement's pointer, valid while <paramref name="statement"/> is neither disposed nor finalised.</summary>
    public static nint Pointer(sqlite3_stmt statement) => statement.DangerousGetHandle();

    [LibraryImport(Library, EntryPoint = "sqlite3_step")]
    public static partial int Step(nint statement);

    [LibraryImport(Library, EntryPoint = "sqlite3_reset")]
    public static partial int Reset(nint statement);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_int64")]
    public static partial int BindInt64(nint statement, int index, long value);

    // The column calls read a value of the current row and return: short, and never calling back
    // into .NET, so they need no GC transition.

    [LibraryImport(Library, EntryPoint = "sqlite3_column_type")]
    [SuppressGCTransition]
    public static partial int ColumnType(nint statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_int64")]
    [SuppressGCTransition]
    public static partial long ColumnInt64(nint statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_double")]
    [SuppressGCTransition]
    public static partial double ColumnDouble(nint statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_blob")]
    [SuppressGCTransition]
    private static partial byte* ColumnBlobPointer(nint statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_text")]
    [SuppressGCTransition]
    private static partial byte* ColumnTextPointer(nint statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_bytes")]
    [SuppressGCTransition]
    private static partial int ColumnBytes(nint statement, int column);

    /// <summary>A blob value's bytes, valid until the statement steps, resets or is freed.</summary>
    public static ReadOnlySpan<byte> ColumnBlob(nint statement, int column)
    {
        byte* data = ColumnBlobPointer(statement, column);
        // sqlite3_column_bytes after sqlite3_column_blob: the blob's length (an empty blob is a null pointer).
        return data is null ? default : new ReadOnlySpan<byte>(data, ColumnBytes(statement, column));
    }

    /// <summary>A text value as UTF-8 (SQLite converts text stored as UTF-16), valid until the statement steps, resets or is freed.</summary>
    public static ReadOnlySpan<byte> ColumnUtf8(nint statement, int column)
    {
        byte* text = ColumnTextPointer(statement, column);
        // sqlite3_column_bytes after sqlite3_column_text: the UTF-8 length, without the terminating zero.
        return text is null ? default : new ReadOnlySpan<byte>(text, ColumnBytes(statement, column));
    }
}
