using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using PageAtlas.Linux.Interop;
using PageAtlas.Model;

namespace PageAtlas.Linux;

/// <summary>What became of an attempt to open the file behind a VMA.</summary>
public enum MappedFileStatus
{
    /// <summary>Open for reading: a regular file.</summary>
    Opened,
    /// <summary>Not a regular file (a device, say): it is never opened for reading.</summary>
    NotRegular,
    /// <summary>The kernel refused /proc/&lt;pid&gt;/map_files (it needs CAP_SYS_ADMIN or CAP_CHECKPOINT_RESTORE).</summary>
    Refused,
    /// <summary>The mapping or the process went away.</summary>
    Gone,
}

/// <summary>
/// The files a process maps, reached through /proc/&lt;pid&gt;/map_files/&lt;start&gt;-&lt;end&gt;: a
/// link the kernel resolves to the very file of that VMA (deleted or not, in whatever mount namespace).
/// The path /proc/&lt;pid&gt;/maps prints is never opened: its owner may have put a FIFO there (an open
/// that never returns), a symbolic link to a device, or another file. The entry is first opened with
/// O_PATH, which names the file without running any driver's open; only a regular file is then
/// reopened for reading, non-blocking, and callers read a bounded prefix of it.
/// </summary>
public static class MappedFiles
{
    /// <summary>/proc/&lt;pid&gt;/map_files/&lt;start&gt;-&lt;end&gt; for <paramref name="vma"/>.</summary>
    public static string MapFilesPath(int pid, Vma vma) => $"/proc/{pid}/map_files/{vma.Start:x}-{vma.End:x}";

    /// <summary>
    /// Opens the file <paramref name="vma"/> maps for reading when it is a regular file; null otherwise,
    /// with <paramref name="status"/> saying why.
    /// </summary>
    /// <param name="pid">The process.</param>
    /// <param name="vma">One of its file-backed VMAs.</param>
    /// <param name="size">The file's size in bytes, when opened.</param>
    /// <param name="status">Opened, or why not.</param>
    public static SafeFileHandle? OpenRegular(int pid, Vma vma, out ulong size, out MappedFileStatus status)
    {
        size = 0;
        int pathFd = LibC.open(MapFilesPath(pid, vma), LibC.O_PATH | LibC.O_CLOEXEC);
        if (pathFd < 0)
        {
            status = Marshal.GetLastPInvokeError() is 1 /* EPERM */ or 13 /* EACCES */ ? MappedFileStatus.Refused : MappedFileStatus.Gone;
            return null;
        }
        using var named = new SafeFileHandle(pathFd, ownsHandle: true);
        if (LibC.statx(named, "", LibC.AT_EMPTY_PATH, LibC.STATX_TYPE | LibC.STATX_SIZE, out var facts) != 0)
        {
            status = MappedFileStatus.Gone;
            return null;
        }
        if ((facts.Mode & LibC.S_IFMT) != LibC.S_IFREG)
        {
            status = MappedFileStatus.NotRegular;
            return null;
        }
        // Reopening our own O_PATH descriptor opens exactly the inode just checked.
        int fd = LibC.open($"/proc/self/fd/{pathFd}", LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_NOCTTY | LibC.O_CLOEXEC);
        if (fd < 0)
        {
            status = MappedFileStatus.Refused;
            return null;
        }
        size = facts.Size;
        status = MappedFileStatus.Opened;
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>
    /// The path of the file behind <paramref name="vma"/> as the kernel resolves it (with " (deleted)"
    /// when unlinked), exactly, bytes decoded by <see cref="KernelText.Decode"/>: /proc/&lt;pid&gt;/maps
    /// escapes a newline as "\012" but leaves a backslash alone, so only this tells a name holding
    /// "\012" from one holding a newline. Null when the link cannot be read.
    /// </summary>
    public static unsafe string? ReadLinkName(int pid, Vma vma)
    {
        const int PathMax = 4096;
        // " (deleted)" may follow a name of PATH_MAX bytes.
        byte* buffer = stackalloc byte[PathMax + 16];
        nint length = LibC.readlink(MapFilesPath(pid, vma), buffer, PathMax + 16);
        return length < 0 ? null : KernelText.Decode(new ReadOnlySpan<byte>(buffer, (int)length));
    }
}
