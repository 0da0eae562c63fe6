using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace PageAtlas.Linux.Interop;

/// <summary>The few libc calls PageAtlas needs that .NET does not wrap.</summary>
internal static unsafe partial class LibC
{
    internal const int PROT_NONE = 0;
    internal const int PROT_READ = 1;
    internal const int PROT_WRITE = 2;
    internal const int MAP_SHARED = 0x01;
    internal const int MAP_PRIVATE = 0x02;
    internal const int MAP_ANONYMOUS = 0x20;
    internal const int MAP_NORESERVE = 0x4000;
    internal static readonly nint MAP_FAILED = -1;

    // A file descriptor is passed as its SafeFileHandle, so that it cannot be closed (and its number
    // reused for another file) while the call runs; the handle travels as a native int, of which the
    // kernel's int argument is the low half (x86-64 and arm64 calling conventions).

    [LibraryImport("libc", SetLastError = true)]
    internal static partial int ioctl(SafeFileHandle fd, ulong request, void* argument);

    internal const int O_RDONLY = 0;
    internal const int O_NOCTTY = 0x100;
    internal const int O_NONBLOCK = 0x800;
    internal const int O_NOFOLLOW = 0x20000;
    internal const int O_CLOEXEC = 0x80000;
    /// <summary>A handle that names a file without opening it: no driver's open runs, no read is possible.</summary>
    internal const int O_PATH = 0x200000;

    /// <summary>open(2) without O_CREAT (so without a mode argument); flags as above (include/uapi/asm-generic/fcntl.h, x86-64 values).</summary>
    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int open(string path, int flags);

    internal const int AT_EMPTY_PATH = 0x1000;
    internal const uint STATX_TYPE = 0x1, STATX_INO = 0x100, STATX_SIZE = 0x200;

    /// <summary>struct statx (include/uapi/linux/stat.h): the same 256 bytes on every architecture.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    internal struct StatxBuffer
    {
        [FieldOffset(0)] public uint Mask;
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(32)] public ulong Inode;
        [FieldOffset(40)] public ulong Size;
    }

    /// <summary>statx(fd, "", AT_EMPTY_PATH, …): what the open handle names.</summary>
    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int statx(SafeFileHandle fd, string path, int flags, uint mask, out StatxBuffer buffer);

    [LibraryImport("libc", EntryPoint = "readlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint readlink(string path, byte* buffer, nuint size);

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

    /// <summary>errno values (include/uapi/asm-generic/errno-base.h).</summary>
    internal const int ENOENT = 2, ENOTDIR = 20;

    [LibraryImport("libc", EntryPoint = "fstat", SetLastError = true)]
    internal static partial int fstat(int fd, byte* buffer);
}
