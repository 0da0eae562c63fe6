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
}
