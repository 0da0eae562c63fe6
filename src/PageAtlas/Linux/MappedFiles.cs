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
        // map_files entries are magic links to the mapped file itself: following them is the point.
        var outcome = RegularFile.TryOpen(MapFilesPath(pid, vma), followSymlinks: true, out var handle, out long length, out _);
        size = (ulong)length;
        status = outcome switch
        {
            RegularFileOutcome.Opened => MappedFileStatus.Opened,
            RegularFileOutcome.NotRegular => MappedFileStatus.NotRegular,
            RegularFileOutcome.Refused => MappedFileStatus.Refused,
            _ => MappedFileStatus.Gone,
        };
        return handle;
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
