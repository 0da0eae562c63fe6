using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using PageAtlas.Linux.Interop;

namespace PageAtlas.Linux;

/// <summary>
/// Reads the small /proc/&lt;pid&gt;/ files of process after process (stat, status, cgroup,
/// smaps_rollup) through one buffer it owns, so a reading of a thousand processes allocates one
/// buffer, not one per file; the parsers read the bytes where they lie. Every file is a target's, so
/// it is opened as any target's file is: O_NOFOLLOW (no link is followed), O_NONBLOCK (nothing waits),
/// and read no further than the buffer holds. Not thread-safe: one reader per collection.
/// </summary>
public sealed class ProcFileReader
{
    /// <summary>
    /// The most one file may hold: smaps_rollup is about 1 KiB, status 1.5 KiB, stat 0.3 KiB; a cgroup
    /// path is at most PATH_MAX (4 KiB) a line. A larger file is not what the kernel writes there.
    /// </summary>
    public const int Capacity = 64 * 1024;

    private readonly byte[] _buffer = new byte[Capacity];

    /// <summary>Reads /proc/<paramref name="pid"/>/<paramref name="name"/> whole and hands its bytes to <paramref name="parse"/> (the buffer is reused once it returns).</summary>
    /// <exception cref="TargetUnavailableException">The process is gone (ENOENT, ESRCH: its memory is torn down).</exception>
    /// <exception cref="PrivilegeRequiredException">The file is refused (EACCES, EPERM: another user's process, not root).</exception>
    /// <exception cref="KernelDataException">The file is larger than <see cref="Capacity"/>, or reading failed otherwise.</exception>
    internal T Read<T>(int pid, string name, ProcFs.BytesParser<T> parse)
    {
        string path = ProcFs.PidPath(pid, name);
        using var file = Open(path, pid);
        int length = 0;
        while (true)
        {
            int read = ReadAt(file, path, pid, _buffer.AsSpan(length), length);
            if (read == 0) break;
            length += read;
            if (length == _buffer.Length) throw new KernelDataException($"{path} is larger than {Capacity / 1024} KiB: not read");
        }
        return parse(_buffer.AsSpan(0, length));
    }

    /// <summary>
    /// The lines of /proc/<paramref name="pid"/>/<paramref name="name"/>, read a buffer at a time and
    /// never held whole: the maps of a process with 65,530 VMAs (about 6 MB) costs no allocation.
    /// </summary>
    /// <exception cref="TargetUnavailableException">The process is gone.</exception>
    /// <exception cref="PrivilegeRequiredException">The file is refused.</exception>
    public int CountLines(int pid, string name)
    {
        string path = ProcFs.PidPath(pid, name);
        using var file = Open(path, pid);
        long offset = 0;
        int lines = 0;
        while (true)
        {
            int read = ReadAt(file, path, pid, _buffer, offset);
            if (read == 0) return lines;
            lines += _buffer.AsSpan(0, read).Count((byte)'\n');
            offset += read;
        }
    }

    private static SafeFileHandle Open(string path, int pid)
    {
        int fd = FileCalls.open(path, FileCalls.O_RDONLY | FileCalls.O_NOFOLLOW | FileCalls.O_NONBLOCK | FileCalls.O_NOCTTY | FileCalls.O_CLOEXEC);
        if (fd >= 0) return new SafeFileHandle(fd, ownsHandle: true);
        int errno = Marshal.GetLastPInvokeError();
        throw Failure(errno, path, pid);
    }

    private static int ReadAt(SafeFileHandle file, string path, int pid, Span<byte> into, long offset)
    {
        try
        {
            return RandomAccess.Read(file, into, offset);
        }
        catch (UnauthorizedAccessException)
        {
            throw ProcFs.Refused(path);
        }
        catch (IOException e) when (ProcFs.IsNoSuchProcess(e))
        {
            // smaps_rollup of a process whose memory is already torn down (exiting, a zombie): -ESRCH
            // from show_smaps_rollup (fs/proc/task_mmu.c).
            throw ProcFs.Gone(pid);
        }
        catch (IOException e)
        {
            throw new KernelDataException($"{path}: {e.Message}");
        }
    }

    private static PageAtlasException Failure(int errno, string path, int pid) => errno switch
    {
        FileCalls.ENOENT or FileCalls.ESRCH => ProcFs.Gone(pid),
        FileCalls.EACCES or FileCalls.EPERM => ProcFs.Refused(path),
        _ => new KernelDataException($"{path}: {ProcFs.DescribeErrno(errno)}"),
    };
}
