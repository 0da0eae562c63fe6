namespace PageAtlas;

/// <summary>A kernel file PageAtlas needs could not be opened for lack of privilege.</summary>
public sealed class PrivilegeRequiredException(string path, string message) : Exception(message)
{
    /// <summary>The file that was refused.</summary>
    public string Path { get; } = path;
}
