using Microsoft.Win32.SafeHandles;
using PageAtlas.Output;

namespace PageAtlas.Cli;

/// <summary>
/// Standard output as a stream that notices when its reader has gone. .NET ignores SIGPIPE, and its
/// console stream drops a write that fails with EPIPE as if it had succeeded, so
/// <c>pageatlas watch PID | head -1</c> would run forever. Here such a write throws
/// <see cref="StandardOutputClosedException"/>, which ends the program quietly (exit 141).
/// </summary>
internal static class StandardOutput
{
    private const int EPIPE = 32;

    public static Stream Open()
    {
        FileStream file;
        try
        {
            file = new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return Console.OpenStandardOutput(); // fd 1 closed or unusable: the console stream copes
        }
        if (file.CanSeek)
        {
            // A file, which no reader can close: the console stream writes at the offset shared with
            // other writers of the same file, where FileStream would keep its own (pwrite).
            file.Dispose();
            return Console.OpenStandardOutput();
        }
        return new WriteErrorStream(file, e => e.HResult == EPIPE ? new StandardOutputClosedException(e) : e);
    }
}

/// <summary>Standard output is a pipe whose reader has gone (EPIPE): the program ends quietly, as SIGPIPE would end it.</summary>
internal sealed class StandardOutputClosedException(IOException inner) : Exception("standard output was closed", inner);
