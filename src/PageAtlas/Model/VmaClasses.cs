namespace PageAtlas.Model;

/// <summary>The class of every VMA of a process, in order, and for some a note on why the class is less precise than it could be.</summary>
/// <param name="Classes">One class per VMA.</param>
/// <param name="Notes">One entry per VMA: null, or what went wrong with its file.</param>
public sealed record VmaClasses(IReadOnlyList<SegmentClass> Classes, IReadOnlyList<string?> Notes);
