using System.Runtime.InteropServices;

namespace PageAtlas.Cli;

/// <summary>
/// Standard input, output or error as the bare file descriptor: read(2) and write(2), nothing else.
/// .NET's console streams set the terminal up before their first read or write (ConsolePal's
/// console initialisation), which sends terminfo's keypad_xmit (ESC [?1h ESC =) to the terminal and
/// never takes it back: after PageAtlas ended, the shell's arrow keys arrived in application mode.
/// Unlike a FileStream on a file, write(2) writes at the offset the descriptor shares with every
/// other writer of the same open file (<c>&gt;log 2&gt;&amp;1</c>), not at a position of its own.
/// </summary>
internal sealed unsafe partial class FileDescriptorStream(int fd, FileAccess access, bool dropWritesToClosedPipe = false) : Stream
{
    private const int EINTR = 4, EAGAIN = 11, EPIPE = 32;
    private const short POLLIN = 1, POLLOUT = 4;

    /// <summary>The stream of standard input (0), output (1) or error (2).</summary>
    public static FileDescriptorStream StandardInput() => new(0, FileAccess.Read);

    /// <summary>
    /// Standard error: a write to a pipe whose reader has gone is dropped (as .NET's console stream
    /// drops it), since there is nobody left to tell and the command's own result still stands.
    /// </summary>
    public static FileDescriptorStream StandardError() => new(2, FileAccess.Write, dropWritesToClosedPipe: true);

    /// <inheritdoc/>
    public override bool CanRead => access.HasFlag(FileAccess.Read);
    /// <inheritdoc/>
    public override bool CanSeek => false;
    /// <inheritdoc/>
    public override bool CanWrite => access.HasFlag(FileAccess.Write);
    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();
    /// <inheritdoc/>
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override int Read(Span<byte> buffer)
    {
        if (!CanRead) throw new NotSupportedException();
        fixed (byte* start = buffer)
        {
            while (true)
            {
                nint n = read(fd, start, (nuint)buffer.Length);
                if (n >= 0) return (int)n;
                int errno = Marshal.GetLastPInvokeError();
                if (errno == EINTR) continue;
                if (errno == EAGAIN) { Wait(POLLIN); continue; } // a descriptor another program left non-blocking
                throw new IOException($"reading file descriptor {fd}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
            }
        }
    }

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (!CanWrite) throw new NotSupportedException();
        fixed (byte* start = buffer)
        {
            int done = 0;
            while (done < buffer.Length)
            {
                nint n = write(fd, start + done, (nuint)(buffer.Length - done));
                if (n >= 0)
                {
                    done += (int)n;
                    continue;
                }
                int errno = Marshal.GetLastPInvokeError();
                if (errno == EINTR) continue;
                if (errno == EAGAIN) { Wait(POLLOUT); continue; }
                if (errno == EPIPE && dropWritesToClosedPipe) return;
                // HResult carries errno, as .NET's own IOExceptions on Unix do (StandardOutput tells EPIPE apart by it).
                throw new IOException($"writing file descriptor {fd}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
            }
        }
    }

    /// <inheritdoc/>
    public override void Flush()
    {
    }

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    private void Wait(short events)
    {
        var waiting = new PollFd { Fd = fd, Events = events };
        poll(&waiting, 1, -1);
    }

    /// <summary>struct pollfd (include/uapi/asm-generic/poll.h).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events, Revents;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint write(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int poll(PollFd* fds, nuint count, int timeout);
}
