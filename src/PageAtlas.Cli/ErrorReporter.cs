namespace PageAtlas.Cli;

/// <summary>Turns an exception into one line on stderr and an exit code; --verbose adds the stack trace.</summary>
internal static class ErrorReporter
{
    public static int Report(Exception e, bool verbose)
    {
        int code = CodeFor(e);
        Console.Error.WriteLine($"pageatlas: {(code == ExitCodes.InternalError ? "internal error: " : "")}{MessageFor(e)}");
        if (verbose) Console.Error.WriteLine(e);
        return code;
    }

    /// <summary>The one-line message for an exception.</summary>
    public static string MessageFor(Exception e) =>
        e is ArgumentException { ParamName: not null } a ? a.Message[..StripParamSuffix(a)] : e.Message;

    /// <summary>The documented exit code for an exception.</summary>
    public static int CodeFor(Exception e) => e switch
        {
            PageAtlas.Snapshots.SnapshotFormatException => ExitCodes.BadSnapshot,
            OperationCanceledException => ExitCodes.Interrupted,
            TargetUnavailableException { Reason: TargetUnavailableReason.NotFound or TargetUnavailableReason.Exited } => ExitCodes.NoSuchProcess,
            TargetUnavailableException => ExitCodes.NoUserMemory,
            PrivilegeRequiredException => ExitCodes.PermissionDenied,
            UnauthorizedAccessException => ExitCodes.PermissionDenied,
            InvalidDataException => ExitCodes.MalformedKernelData,
            MemoryAccessException => ExitCodes.AccessRefused,
            ExternalToolException => ExitCodes.ExternalTool,
            ArgumentException or FormatException or UsageException => ExitCodes.Usage,
            _ => ExitCodes.InternalError,
        };

    /// <summary>ArgumentException appends " (Parameter 'x')"; the user needs only the sentence.</summary>
    private static int StripParamSuffix(ArgumentException e)
    {
        int at = e.Message.LastIndexOf(" (Parameter '", StringComparison.Ordinal);
        return at < 0 ? e.Message.Length : at;
    }
}

/// <summary>A mistake in the command line that the parser could not catch.</summary>
internal sealed class UsageException(string message) : Exception(message);
