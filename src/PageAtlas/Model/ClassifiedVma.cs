namespace PageAtlas.Model;

/// <summary>A VMA with the segment class PageAtlas gave it.</summary>
/// <param name="Vma">The area as /proc/&lt;pid&gt;/maps lists it.</param>
/// <param name="Class">What it holds.</param>
public sealed record ClassifiedVma(Vma Vma, SegmentClass Class);
