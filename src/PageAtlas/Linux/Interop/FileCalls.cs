using System.Runtime.InteropServices;

namespace PageAtlas.Linux.Interop;

/// <summary>
/// The file-system calls .NET does not offer, in one place: the type, owner and size of a path without
/// following a final symbolic link, or of an open file (statx); open with O_PATH (naming a file without
/// running any driver's open) or without following a link (O_NOFOLLOW); mkdir that fails on a name
/// already taken; fchown and fchmod; the file system an open file lives on (fstatfs). Constants are x86-64 Linux's (include/uapi/).
/// </summary>
internal static unsafe partial class FileCalls
{
    internal const int AT_FDCWD = -100;
    internal const int AT_SYMLINK_NOFOLLOW = 0x100;
    internal const int AT_EMPTY_PATH = 0x1000;
    internal const uint STATX_TYPE = 0x1, STATX_MODE = 0x2, STATX_UID = 0x8, STATX_GID = 0x10, STATX_SIZE = 0x200;

    internal const int O_RDONLY = 0, O_WRONLY = 0x1, O_NOCTTY = 0x100, O_NONBLOCK = 0x800, O_NOFOLLOW = 0x20000, O_CLOEXEC = 0x80000;
    /// <summary>A descriptor that names a file without opening it: no driver's open runs, no read is possible.</summary>
    internal const int O_PATH = 0x200000;

    internal const int EPERM = 1, ENOENT = 2, ESRCH = 3, EACCES = 13, EEXIST = 17, ENOTDIR = 20, ELOOP = 40;

    /// <summary>The fields of struct statx (include/uapi/linux/stat.h) PageAtlas reads; the kernel fills 256 bytes.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    internal struct Statx
    {
        [FieldOffset(20)] public uint Uid;
        [FieldOffset(24)] public uint Gid;
        /// <summary>File type (S_IFMT bits) and permissions.</summary>
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(40)] public ulong Size;
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int statx(int directory, string path, int flags, uint mask, Statx* buffer);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int statx(SafeHandle file, string path, int flags, uint mask, Statx* buffer);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int open(string path, int flags, uint mode);

    /// <summary>open(2) without O_CREAT, so without a mode.</summary>
    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "mkdir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mkdir(string path, uint mode);

    [LibraryImport("libc", EntryPoint = "fchown", SetLastError = true)]
    internal static partial int fchown(SafeHandle file, uint owner, uint group);

    [LibraryImport("libc", EntryPoint = "fchmod", SetLastError = true)]
    internal static partial int fchmod(SafeHandle file, uint mode);

    /// <summary>struct statfs on x86-64 is 120 bytes; f_type, the file system's magic number, is its first field (a long).</summary>
    internal const int StatfsSize = 120;

    /// <summary>TMPFS_MAGIC (include/uapi/linux/magic.h): every shmem file system, the internal ones behind System V, memfd and shared anonymous memory included.</summary>
    internal const long TMPFS_MAGIC = 0x01021994;

    [LibraryImport("libc", EntryPoint = "fstatfs", SetLastError = true)]
    internal static partial int fstatfs(SafeHandle file, byte* buffer);
}
