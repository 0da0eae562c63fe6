using PageAtlas.Model;

namespace PageAtlas.Analysis;

/// <summary>
/// Where each frame of a reading was mapped: its present pages as (frame, address) pairs sorted by
/// frame, 16 bytes a page, looked up by binary search. A dictionary of the same would take several
/// times the memory; a diff needs it to tell a page that moved (mremap) from one dropped and another
/// populated.
/// </summary>
internal sealed class FrameIndex
{
    private readonly (ulong Pfn, ulong Address)[] _pairs;
    private readonly int _count;

    private FrameIndex((ulong, ulong)[] pairs, int count)
    {
        _pairs = pairs;
        _count = count;
    }

    /// <summary>No frames.</summary>
    public static FrameIndex Empty { get; } = new([], 0);

    /// <summary>The present pages of <paramref name="target"/>, read once.</summary>
    public static FrameIndex Of(IMemoryTarget target)
    {
        var pairs = PresentPagesGuess.ArrayFor<(ulong Pfn, ulong Address)>(target);
        int count = 0;
        foreach (var batch in target.ReadPages(0, ulong.MaxValue, new PageReadOptions(PopulatedOnly: true, WithFrames: false)))
        {
            foreach (var page in batch.Pages.Span)
            {
                if (!page.Entry.IsPresent) continue;
                if (count == pairs.Length) Array.Resize(ref pairs, checked(pairs.Length * 2));
                pairs[count++] = (page.Entry.Pfn, page.Address);
            }
        }
        // By frame, then address: a frame mapped at several addresses is found at its lowest.
        Array.Sort(pairs, 0, count);
        return new FrameIndex(pairs, count);
    }

    /// <summary>The lowest address that mapped <paramref name="pfn"/>, if any did.</summary>
    public bool TryFind(ulong pfn, out ulong address)
    {
        int lo = 0, hi = _count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_pairs[mid].Pfn < pfn) lo = mid + 1;
            else hi = mid;
        }
        bool found = lo < _count && _pairs[lo].Pfn == pfn;
        address = found ? _pairs[lo].Address : 0;
        return found;
    }
}
