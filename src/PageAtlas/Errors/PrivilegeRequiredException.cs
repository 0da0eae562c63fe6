namespace PageAtlas;

/// <summary>A kernel file PageAtlas needs could not be opened for lack of privilege.</summary>
public sealed class PrivilegeRequiredException(string path, string message, Exception? inner = null) : PageAtlasException(message, inner)
{
    /// <inheritdoc/>
    public override FailureCause Cause => FailureCause.PermissionDenied;

    /// <summary>The file that was refused.</summary>
    public string Path { get; } = path;
}
