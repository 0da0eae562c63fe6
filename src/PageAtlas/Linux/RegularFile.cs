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
    /// <summary>The kernel refused it for lack of permission.</summary>
    Refused,
    /// <summary>The kernel refused for another reason (I/O error, a loop of links…).</summary>
    Failed,
}

/// <summary>
/// Opens a file that someone else may control, for reading, without ever blocking on it or waking a
/// device. The path is first resolved with O_PATH, which opens nothing (a FIFO does not wait for a
/// writer, no driver's open runs); the inode found must be a regular file; only then is that inode
/// opened for reading, through /proc/self/fd/N: a magic link to the inode itself (fs/proc/base.c,
/// proc_fd_get_link), not a path anyone could swap in between.
/// </summary>
internal static class RegularFile
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
        int located = FileCalls.open(path, FileCalls.O_PATH | FileCalls.O_CLOEXEC | (followSymlinks ? 0 : FileCalls.O_NOFOLLOW));
        if (located < 0) return Refusal(out why);
        using var locator = new SafeFileHandle(located, ownsHandle: true);
        if (!TryStatus(locator, out var found, out why)) return RegularFileOutcome.Failed;
        if (found.Kind != FileKind.Regular)
        {
            why = found.KindName;
            return RegularFileOutcome.NotRegular;
        }
        // Reopening our own O_PATH descriptor opens exactly the inode just checked.
        int opened = FileCalls.open($"/proc/self/fd/{located}", FileCalls.O_RDONLY | FileCalls.O_NONBLOCK | FileCalls.O_NOCTTY | FileCalls.O_CLOEXEC);
        if (opened < 0) return Refusal(out why);
        handle = new SafeFileHandle(opened, ownsHandle: true);
        if (!TryStatus(handle, out var open, out why))
        {
            handle.Dispose();
            handle = null;
            return RegularFileOutcome.Failed;
        }
        length = (long)open.Size;
        return RegularFileOutcome.Opened;
    }

    private static bool TryStatus(SafeFileHandle file, out FileStatus status, out string why)
    {
        try
        {
            status = FileStatus.Of(file);
            why = "";
            return true;
        }
        catch (IOException e)
        {
            status = default;
            why = e.Message;
            return false;
        }
    }

    private static RegularFileOutcome Refusal(out string why)
    {
        int errno = Marshal.GetLastPInvokeError();
        why = Marshal.GetPInvokeErrorMessage(errno);
        return errno is FileCalls.ENOENT or FileCalls.ENOTDIR ? RegularFileOutcome.Missing
            : errno is FileCalls.EPERM or FileCalls.EACCES ? RegularFileOutcome.Refused
            : RegularFileOutcome.Failed;
    }
}
