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
    internal static string ReadText(int pid, string name)
    {
        string path = PidPath(pid, name);
        try
        {
            return File.ReadAllText(path);
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
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
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
