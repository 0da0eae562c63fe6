using PageAtlas.Model;

namespace PageAtlas.Analysis;

/// <summary>
/// The populated pages of one target one at a time, in address order, without holding them: a
/// batch at a time, as the target reads them. Two cursors over two targets walk side by side (a
/// merge), which is how <see cref="MemoryDiff"/> compares readings of any size in flat memory.
/// </summary>
internal sealed class PageCursor : IDisposable
{
    private readonly IEnumerator<PageBatch> _batches;
    private ReadOnlyMemory<PageRecord> _pages;
    private int _next;

    public PageCursor(IMemoryTarget target) =>
        // With the pages shared-memory objects hold where the page table maps nothing (shared swap, shared resident).
        _batches = SharedMemoryPages.Read(target, 0, ulong.MaxValue, new PageReadOptions(PopulatedOnly: true, WithFrames: false)).GetEnumerator();

    /// <summary>The current page (valid after <see cref="MoveNext"/> returned true).</summary>
    public PageRecord Page { get; private set; }

    /// <summary>The current page's VMA.</summary>
    public ClassifiedVma Vma { get; private set; } = null!;

    /// <summary>Moves to the next page; false at the end.</summary>
    public bool MoveNext()
    {
        while (_next >= _pages.Length)
        {
            if (!_batches.MoveNext()) return false;
            _pages = _batches.Current.Pages;
            Vma = _batches.Current.Vma;
            _next = 0;
        }
        Page = _pages.Span[_next++];
        return true;
    }

    public void Dispose() => _batches.Dispose();
}
