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

    internal const int O_RDONLY = 0;
    internal const int O_NOCTTY = 0x100;
    internal const int O_NONBLOCK = 0x800;
    internal const int O_CLOEXEC = 0x80000;
    /// <summary>Resolves the path without opening the file itself: no driver's open runs, nothing blocks.</summary>
    internal const int O_PATH = 0x200000;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int open(string path, int flags);

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int close(int fd);

    /// <summary>st_mode is the u32 at offset 24 of struct stat on x86-64.</summary>
    internal const int StatModeOffset = 24;
    internal const uint S_IFMT = 0xF000, S_IFREG = 0x8000;

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int fstat(int fd, byte* buffer);

    /// <summary>struct statfs on x86-64 is 120 bytes; f_type is the first field (a long).</summary>
    internal const int StatfsSize = 120;
    /// <summary>TMPFS_MAGIC (include/uapi/linux/magic.h): every shmem file system, the internal ones behind System V, memfd and shared anonymous memory included.</summary>
    internal const long TMPFS_MAGIC = 0x01021994;

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int fstatfs(int fd, byte* buffer);

    /// <summary>syscall(2) with four arguments, for calls glibc 2.36 does not wrap.</summary>
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    internal static partial long syscall4(long number, long a, long b, long c, long d);
}
