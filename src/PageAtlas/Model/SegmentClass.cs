namespace PageAtlas.Model;

/// <summary>The class of a VMA: its kind, the object it belongs to (library name), and for a thread stack its thread.</summary>
/// <param name="Kind">What the VMA holds.</param>
/// <param name="Owner">For a library segment the library's file name ("libc.so.6"); for a file the path; else null.</param>
/// <param name="ThreadId">For a thread stack, the tid whose stack pointer lies in it.</param>
public readonly record struct SegmentClass(SegmentKind Kind, string? Owner = null, int? ThreadId = null)
{
    /// <summary>A short stable name for the kind, used in tables and JSON ("lib-code", "thread-stack").</summary>
    public string KindName => KindNames[(int)Kind];

    /// <summary>"lib-data libc.so.6", "thread-stack 1234", "file app.log", "posix-shm shared-buffer", "heap".</summary>
    /// <remarks>Files and shared memory are named by their file name (the path is in the VMA); two files of one name in two directories remain two classes.</remarks>
    public override string ToString() => (Owner, ThreadId) switch
    {
        (_, int tid) => $"{KindName} {tid}",
        (string owner, _) when IsLibrary(Kind) => $"{KindName} {owner}",
        (string owner, _) when IsNamedObject(Kind) && Path.GetFileName(owner) is { Length: > 0 } name => $"{KindName} {name}",
        _ => KindName,
    };

    /// <summary>Kinds whose owner is a file or shared-memory object worth naming.</summary>
    public static bool IsNamedObject(SegmentKind kind) =>
        kind is SegmentKind.FileMapping or SegmentKind.PosixShm or SegmentKind.Memfd;

    /// <summary>Segments of a shared library.</summary>
    public static bool IsLibrary(SegmentKind kind) =>
        kind is SegmentKind.LibraryCode or SegmentKind.LibraryReadOnlyData or SegmentKind.LibraryData or SegmentKind.LibraryBss;

    /// <summary>Names in <see cref="SegmentKind"/> order.</summary>
    public static readonly IReadOnlyList<string> KindNames =
    [
        "code", "rodata", "data", "bss", "heap", "main-stack", "thread-stack", "guard",
        "lib-code", "lib-rodata", "lib-data", "lib-bss", "vdso", "vvar", "vsyscall",
        "sysv-shm", "posix-shm", "memfd", "shared-anon", "file", "anon", "special",
    ];
}
