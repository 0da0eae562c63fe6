using Microsoft.Win32.SafeHandles;

namespace PageAtlas.Linux;

/// <summary>
/// Another process's memory through /proc/&lt;pid&gt;/mem: pread and pwrite at the virtual address.
/// The kernel resolves each page as a debugger's access would (FOLL_FORCE): it can read an
/// inaccessible page, and writing a private page that is shared (a file page, a page shared
/// since fork) gives the target its own copy. Needs ptrace access to the target.
/// </summary>
public sealed class ProcessMemory : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly int _pid;

    private ProcessMemory(SafeFileHandle handle, int pid)
    {
        _handle = handle;
        _pid = pid;
    }

    /// <summary>Opens the memory of <paramref name="pid"/> for reading, and for writing when asked.</summary>
    public static ProcessMemory Open(int pid, bool writable)
    {
        string path = ProcFs.PidPath(pid, "mem");
        try
        {
            return new ProcessMemory(File.OpenHandle(path, FileMode.Open, writable ? FileAccess.ReadWrite : FileAccess.Read, FileShare.ReadWrite), pid);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw ProcFs.Gone(pid);
        }
        catch (UnauthorizedAccessException)
        {
            throw ProcFs.Refused(path);
        }
    }

    /// <summary>Reads up to <paramref name="buffer"/>.Length bytes at <paramref name="address"/>; returns how many could be read.</summary>
    public int Read(ulong address, Span<byte> buffer)
    {
        int done = 0;
        while (done < buffer.Length)
        {
            // The kernel half (the vsyscall page) lies above the largest file offset .NET accepts: it is
            // not this process's memory to read, and counts as refused like any unreadable page.
            if (address + (ulong)done > long.MaxValue) return done;
            int n;
            try
            {
                n = RandomAccess.Read(_handle, buffer[done..], (long)address + done);
            }
            catch (IOException)
            {
                n = 0; // EIO: the next page cannot be read (unmapped), or the process has gone
            }
            if (n == 0)
            {
                if (!ProcFs.ProcessExists(_pid)) throw ProcFs.Gone(_pid);
                return done;
            }
            done += n;
        }
        return done;
    }

    /// <summary>Writes <paramref name="bytes"/> at <paramref name="address"/>; returns how many were written before the kernel refused the rest.</summary>
    public int Write(ulong address, ReadOnlySpan<byte> bytes)
    {
        // RandomAccess.Write loops until everything is written or throws, losing the count; write
        // a page at a time to know exactly how far it got.
        int done = 0;
        while (done < bytes.Length)
        {
            int n = (int)Math.Min((ulong)(bytes.Length - done), 4096 - ((address + (ulong)done) & 4095));
            if (address + (ulong)done > long.MaxValue) return done;   // the kernel half, as in Read
            try
            {
                RandomAccess.Write(_handle, bytes.Slice(done, n), (long)address + done);
            }
            catch (IOException) when (done > 0 || ProcFs.ProcessExists(_pid))
            {
                return done;
            }
            catch (IOException)
            {
                throw ProcFs.Gone(_pid);
            }
            done += n;
        }
        return done;
    }

    /// <inheritdoc/>
    public void Dispose() => _handle.Dispose();
}
