using System.ComponentModel;
using Microsoft.Win32.SafeHandles;

namespace PageAtlas.Linux;

/// <summary>
/// Opening and reading files under /proc, turning the kernel's errno into PageAtlas' exceptions:
/// a vanished process becomes <see cref="TargetUnavailableException"/>, a refused file
/// <see cref="PrivilegeRequiredException"/>.
/// </summary>
internal static class ProcFs
{
    internal static string PidPath(int pid, string name) => $"/proc/{pid}/{name}";

    /// <summary>Reads a whole /proc/&lt;pid&gt;/… file.</summary>
    internal static string ReadText(int pid, string name) => Read(pid, name, s_decode);

    private static readonly BytesParser<string> s_decode = KernelText.Decode;

    /// <summary>What a file's bytes say, parsed from the reading buffer (which is reused once the parser returns).</summary>
    internal delegate T BytesParser<out T>(ReadOnlySpan<byte> bytes);

    /// <summary>Reads a whole /proc/&lt;pid&gt;/… file and hands its bytes to <paramref name="parse"/>, undecoded.</summary>
    internal static T Read<T>(int pid, string name, BytesParser<T> parse) => Translated(pid, name, path => ReadWhole(path, parse));

    /// <summary>
    /// Reads a whole /proc/&lt;pid&gt;/… file, handing its whole lines to <paramref name="lines"/> as
    /// they are read (a large file on a second thread: <see cref="ProcFileLines"/>), its errors as
    /// <see cref="Read{T}"/>'s.
    /// </summary>
    internal static void ReadLines(int pid, string name, LinesParser lines) => Translated(pid, name, path =>
    {
        ProcFileLines.Read(path, lines);
        return true;
    });

    /// <summary>Reads /proc/&lt;pid&gt;/<paramref name="name"/> with <paramref name="read"/>, the kernel's refusals in PageAtlas's words: a vanished process, a refused file.</summary>
    private static T Translated<T>(int pid, string name, Func<string, T> read)
    {
        string path = PidPath(pid, name);
        try
        {
            return read(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw Gone(pid);
        }
        catch (UnauthorizedAccessException)
        {
            throw Refused(path);
        }
        catch (IOException e) when (IsNoSuchProcess(e))
        {
            throw Gone(pid);
        }
    }

    /// <summary>Reads a /proc file, or null when it does not exist (a thread that exited, a kernel without it).</summary>
    internal static string? TryReadText(string path)
    {
        try
        {
            return ReadWhole(path, s_decode);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// The most a /proc text file may hold: the smaps of a process at the default limit of 65,530
    /// VMAs is about 40 MB. A process's own names make its files larger, so the bound keeps a
    /// hostile one from making PageAtlas allocate without limit.
    /// </summary>
    internal const int MaxTextBytes = 128 * 1024 * 1024;

    /// <summary>
    /// Reads a /proc file (which reports size 0) with large unbuffered reads into one pooled
    /// buffer and parses (or decodes) it once: a process with 20,000 VMAs has a 1 MB maps file, and
    /// File.ReadAllText's 4 KiB reader and growing builder cost more than the kernel's formatting.
    /// Names in it are bytes, decoded by <see cref="KernelText.Decode"/>.
    /// </summary>
    /// <exception cref="KernelDataException">The file is larger than <see cref="MaxTextBytes"/>.</exception>
    private static T ReadWhole<T>(string path, BytesParser<T> parse)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        byte[] buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length >= MaxTextBytes) throw new KernelDataException($"{path} is larger than {MaxTextBytes / (1024 * 1024)} MiB: not read");
                    // Four times larger: the maps of 20,000 VMAs (1 MB) take three buffers, not five, and a third of the copying.
                    byte[] larger = System.Buffers.ArrayPool<byte>.Shared.Rent((int)Math.Min(MaxTextBytes, 4L * buffer.Length));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                int n = file.Read(buffer, length, buffer.Length - length);
                if (n == 0) break;
                length += n;
            }
            return parse(buffer.AsSpan(0, length));
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Opens a /proc file for pread.</summary>
    internal static SafeFileHandle OpenForRead(string path, int pid)
    {
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            if (pid > 0) throw Gone(pid);
            throw new PrivilegeRequiredException(path, $"{path} does not exist on this kernel");
        }
        catch (UnauthorizedAccessException)
        {
            throw Refused(path);
        }
        catch (IOException e) when (IsNoSuchProcess(e))
        {
            throw Gone(pid);
        }
    }

    internal static bool ProcessExists(int pid) => Directory.Exists($"/proc/{pid}");

    /// <summary>ESRCH (3) from a /proc file of a process that is going away.</summary>
    internal static bool IsNoSuchProcess(IOException e) =>
        e.HResult == 3 || e.Message.Contains("No such process", StringComparison.Ordinal);

    internal static TargetUnavailableException Gone(int pid) => ProcessExists(pid)
        ? new TargetUnavailableException(pid, TargetUnavailableReason.Exited, $"process {pid} exited while it was being read")
        : new TargetUnavailableException(pid, TargetUnavailableReason.NotFound, $"no process with pid {pid}");

    internal static PrivilegeRequiredException Refused(string path) =>
        new(path, $"permission denied reading {path}: run as root (or with CAP_SYS_ADMIN and ptrace access to the target)");

    internal static string DescribeErrno(int errno) => new Win32Exception(errno).Message;
}
