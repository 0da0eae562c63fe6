namespace PageAtlas.Analysis;

/// <summary>
/// How a VMA changed between two readings of one process: one vocabulary for <see cref="MemoryDiff"/>
/// (two snapshots) and <see cref="Timeline"/> (samples of watch). The words each command prints are
/// the renderers' (<c>Rendering.VmaChangeWords</c>).
/// </summary>
public enum VmaChangeKind
{
    /// <summary>Its extent is the same (watch lists it for its pages alone).</summary>
    None,
    /// <summary>It is new: nothing was mapped there before.</summary>
    Added,
    /// <summary>It is gone: nothing overlaps it now.</summary>
    Removed,
    /// <summary>Larger, sharing its start (its end moved up) or its end (a stack whose start moved down).</summary>
    Grown,
    /// <summary>Smaller, sharing its start or its end.</summary>
    Shrunk,
    /// <summary>Same extent with other permissions or file, or split or merged with a neighbour (diff only).</summary>
    Changed,
}
