using PageAtlas.Analysis;

namespace PageAtlas.Rendering;

/// <summary>
/// The words <c>diff</c> and <c>watch</c> print for a <see cref="VmaChangeKind"/>, in text and JSON
/// alike. The two commands grew apart ("added" and "new", "" for no change in extent); each keeps
/// its words until their output is unified on purpose.
/// </summary>
public static class VmaChangeWords
{
    /// <summary>diff's word: "added", "removed", "grown", "shrunk" or "changed".</summary>
    public static string Diff(VmaChangeKind kind) => kind switch
    {
        VmaChangeKind.Added => "added",
        VmaChangeKind.Removed => "removed",
        VmaChangeKind.Grown => "grown",
        VmaChangeKind.Shrunk => "shrunk",
        VmaChangeKind.Changed => "changed",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "diff lists no VMA that did not change"),
    };

    /// <summary>watch's word: "new", "removed", "grown", "shrunk", or "" when the extent did not change.</summary>
    public static string Watch(VmaChangeKind kind) => kind switch
    {
        VmaChangeKind.None => "",
        VmaChangeKind.Added => "new",
        VmaChangeKind.Removed => "removed",
        VmaChangeKind.Grown => "grown",
        VmaChangeKind.Shrunk => "shrunk",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "watch does not compare permissions or files"),
    };
}
