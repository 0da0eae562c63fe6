namespace PageAtlas;

/// <summary>A snapshot file cannot be used: missing, not a regular file, truncated, damaged, invalid, not a snapshot, or of another format version.</summary>
public sealed class SnapshotFormatException(string path, string message, Exception? inner = null) : PageAtlasException(message, inner)
{
    /// <inheritdoc/>
    public override FailureCause Cause => FailureCause.BadSnapshot;

    /// <summary>The file.</summary>
    public string Path { get; } = path;
}
