using PageAtlas.Rendering;

namespace PageAtlas.Cli;

/// <summary>
/// Turns an exception into one line on stderr and an exit code; --verbose adds the whole chain.
/// The code follows the cause a <see cref="PageAtlasException"/> carries: any other exception is a
/// fault in PageAtlas, whatever its .NET type, and asks for a report.
/// </summary>
internal static class ErrorReporter
{
    public static int Report(Exception e, bool verbose, TextWriter error)
    {
        int code = CodeFor(e);
        string message = code == ExitCodes.InternalError
            ? $"internal error: {e.Message} (a bug in PageAtlas: please report it with the output of --verbose)"
            : e.Message;
        error.WriteLine($"pageatlas: {TerminalText.Escape(message)}");
        // The trace keeps its lines; each is escaped on its own (a message in it may hold a target's name).
        if (verbose)
            foreach (var line in e.ToString().Split('\n'))
                error.WriteLine(TerminalText.Escape(line.TrimEnd('\r')));
        return code;
    }

    /// <summary>The documented exit code for an exception.</summary>
    public static int CodeFor(Exception e) => e switch
    {
        PageAtlasException known => CodeFor(known.Cause),
        OperationCanceledException => ExitCodes.Interrupted,
        _ => ExitCodes.InternalError,
    };

    /// <summary>The exit code of each cause; README's table lists them.</summary>
    public static int CodeFor(FailureCause cause) => cause switch
    {
        FailureCause.BadRequest => ExitCodes.Usage,
        FailureCause.NoSuchProcess => ExitCodes.NoSuchProcess,
        FailureCause.NoUserMemory => ExitCodes.NoUserMemory,
        FailureCause.PermissionDenied => ExitCodes.PermissionDenied,
        FailureCause.MalformedKernelData => ExitCodes.MalformedKernelData,
        FailureCause.AccessRefused => ExitCodes.AccessRefused,
        FailureCause.ExternalTool => ExitCodes.ExternalTool,
        FailureCause.BadSnapshot => ExitCodes.BadSnapshot,
        FailureCause.FileSystem => ExitCodes.FileSystem,
        _ => ExitCodes.InternalError,
    };
}
