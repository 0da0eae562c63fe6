using PageAtlas.Output;

namespace PageAtlas.Cli;

/// <summary>
/// Standard output as a stream that notices when its reader has gone. .NET ignores SIGPIPE, and its
/// console stream drops a write that fails with EPIPE as if it had succeeded, so
/// <c>pageatlas watch PID | head -1</c> would run forever. Here such a write throws
/// <see cref="StandardOutputClosedException"/>, which ends the program quietly (exit 141). The
/// stream is the bare descriptor (<see cref="FileDescriptorStream"/>), never .NET's console stream,
/// which would set a terminal up for reading keys first.
/// </summary>
internal static class StandardOutput
{
    private const int EPIPE = 32;

    public static Stream Open() =>
        new WriteErrorStream(new FileDescriptorStream(1, FileAccess.Write), e => e.HResult == EPIPE ? new StandardOutputClosedException(e) : e);
}

/// <summary>Standard output is a pipe whose reader has gone (EPIPE): the program ends quietly, as SIGPIPE would end it.</summary>
internal sealed class StandardOutputClosedException(IOException inner) : Exception("standard output was closed", inner);
