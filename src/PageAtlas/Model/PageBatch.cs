namespace PageAtlas.Model;

/// <summary>
/// Consecutive page records of one VMA, in address order. The memory is reused for the next batch:
/// copy what must outlive the iteration step.
/// </summary>
/// <param name="Vma">The area the pages belong to.</param>
/// <param name="Pages">The pages (only populated ones when that was asked).</param>
public readonly record struct PageBatch(ClassifiedVma Vma, ReadOnlyMemory<PageRecord> Pages);
