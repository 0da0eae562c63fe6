using System.Runtime.InteropServices;

namespace PageAtlas.Linux.Interop;

/// <summary>The few libc calls PageAtlas needs that .NET does not wrap.</summary>
internal static unsafe partial class LibC
{
    internal const int PROT_NONE = 0;
    internal const int MAP_PRIVATE = 0x02;
    internal const int MAP_ANONYMOUS = 0x20;
    internal const int MAP_NORESERVE = 0x4000;
    internal static readonly nint MAP_FAILED = -1;

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int ioctl(int fd, ulong request, void* argument);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial nint mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int munmap(nint address, nuint length);

    /// <summary>struct stat on x86-64 is 144 bytes; st_ino is the u64 at offset 8.</summary>
    internal const int StatSize = 144, StatInodeOffset = 8;

    [LibraryImport("libc", EntryPoint = "stat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int stat(string path, byte* buffer);

    /// <summary>st_mode (u32 at offset 24) and st_size (i64 at offset 48) of the x86-64 struct stat.</summary>
    internal const int StatModeOffset = 24, StatSizeOffset = 48;
    /// <summary>The file-type bits of st_mode and the types (include/uapi/linux/stat.h).</summary>
    internal const uint S_IFMT = 0xF000, S_IFSOCK = 0xC000, S_IFLNK = 0xA000, S_IFREG = 0x8000, S_IFBLK = 0x6000, S_IFDIR = 0x4000, S_IFCHR = 0x2000, S_IFIFO = 0x1000;

    /// <summary>open(2) flags (include/uapi/asm-generic/fcntl.h, x86-64 values).</summary>
    internal const int O_RDONLY = 0, O_NOCTTY = 0x100, O_NONBLOCK = 0x800, O_NOFOLLOW = 0x20000, O_CLOEXEC = 0x80000, O_PATH = 0x200000;
    /// <summary>errno values (include/uapi/asm-generic/errno-base.h).</summary>
    internal const int ENOENT = 2, ENOTDIR = 20;

    /// <summary>open(2) without O_CREAT (so without a mode argument).</summary>
    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fstat", SetLastError = true)]
    internal static partial int fstat(int fd, byte* buffer);
}
