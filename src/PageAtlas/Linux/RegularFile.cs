using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using PageAtlas.Linux.Interop;

namespace PageAtlas.Linux;

/// <summary>What <see cref="RegularFile.TryOpen"/> found.</summary>
internal enum RegularFileOutcome
{
    /// <summary>A regular file, open for reading.</summary>
    Opened,
    /// <summary>Nothing at that path.</summary>
    Missing,
    /// <summary>Something that is not a regular file (a FIFO, a device, a directory, a socket, a symbolic link not followed).</summary>
    NotRegular,
    /// <summary>The kernel refused (permission, I/O error, a loop of links…).</summary>
    Failed,
}

/// <summary>
/// Opens a file that someone else may control, for reading, without ever blocking on it or waking a
/// device. The path is first resolved with O_PATH, which opens nothing (a FIFO does not wait for a
/// writer, no driver's open runs); the inode found must be a regular file; only then is that inode
/// opened for reading, through /proc/self/fd/N: a magic link to the inode itself (fs/proc/base.c,
/// proc_fd_get_link), not a path anyone could swap in between.
/// </summary>
internal static unsafe class RegularFile
{
    /// <summary>Opens <paramref name="path"/> for reading if it is a regular file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="followSymlinks">Whether a symbolic link may lead to the file (O_NOFOLLOW otherwise).</param>
    /// <param name="handle">The open file (O_RDONLY|O_NONBLOCK), when <see cref="RegularFileOutcome.Opened"/>.</param>
    /// <param name="length">Its size in bytes at the time it was opened.</param>
    /// <param name="why">When not opened: what the path is ("a FIFO") or the kernel's error text.</param>
    public static RegularFileOutcome TryOpen(string path, bool followSymlinks, out SafeFileHandle? handle, out long length, out string why)
    {
        handle = null;
        length = 0;
        int located = LibC.open(path, LibC.O_PATH | LibC.O_CLOEXEC | (followSymlinks ? 0 : LibC.O_NOFOLLOW));
        if (located < 0) return Refusal(out why);
        using var locator = new SafeFileHandle(located, ownsHandle: true);
        byte* status = stackalloc byte[LibC.StatSize];
        if (LibC.fstat(located, status) != 0) return Refusal(out why);
        uint type = *(uint*)(status + LibC.StatModeOffset) & LibC.S_IFMT;
        if (type != LibC.S_IFREG)
        {
            why = KindOf(type);
            return RegularFileOutcome.NotRegular;
        }
        int opened = LibC.open($"/proc/self/fd/{located}", LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_NOCTTY | LibC.O_CLOEXEC);
        if (opened < 0) return Refusal(out why);
        handle = new SafeFileHandle(opened, ownsHandle: true);
        if (LibC.fstat(opened, status) != 0)
        {
            handle.Dispose();
            handle = null;
            return Refusal(out why);
        }
        length = *(long*)(status + LibC.StatSizeOffset);
        why = "";
        return RegularFileOutcome.Opened;
    }

    private static RegularFileOutcome Refusal(out string why)
    {
        int errno = Marshal.GetLastPInvokeError();
        why = Marshal.GetPInvokeErrorMessage(errno);
        return errno is LibC.ENOENT or LibC.ENOTDIR ? RegularFileOutcome.Missing : RegularFileOutcome.Failed;
    }

    /// <summary>"a FIFO", "a directory"… for a file type of st_mode.</summary>
    private static string KindOf(uint type) => type switch
    {
        LibC.S_IFIFO => "a FIFO",
        LibC.S_IFCHR => "a character device",
        LibC.S_IFBLK => "a block device",
        LibC.S_IFDIR => "a directory",
        LibC.S_IFSOCK => "a socket",
        LibC.S_IFLNK => "a symbolic link",
        _ => $"a file of type 0x{type:x}",
    };
}
