namespace PageAtlas.Model;

/// <summary>
/// Finding VMAs by address in a list sorted by address without overlaps (as /proc/&lt;pid&gt;/maps
/// gives them and a snapshot is checked to hold them): a binary search, so that reading many small
/// ranges of a process with tens of thousands of VMAs costs O(log n) per range instead of a scan
/// of every VMA per range, which made `pages` quadratic in the number of VMAs.
/// </summary>
public static class VmaLookup
{
    /// <summary>
    /// The index of the first VMA that ends after <paramref name="address"/> (the one holding it, or
    /// the next above it); <c>vmas.Count</c> when none does.
    /// </summary>
    public static int FirstEndingAfter(IReadOnlyList<ClassifiedVma> vmas, ulong address)
    {
        int lo = 0, hi = vmas.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (vmas[mid].Vma.End <= address) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>Whether a VMA of <paramref name="vmas"/> holds <paramref name="address"/>.</summary>
    public static bool Contains(IReadOnlyList<ClassifiedVma> vmas, ulong address)
    {
        int i = FirstEndingAfter(vmas, address);
        return i < vmas.Count && vmas[i].Vma.Start <= address;
    }

    /// <summary>The indices [first, end) of the VMAs that overlap [<paramref name="start"/>, <paramref name="end"/>).</summary>
    public static (int First, int End) Overlapping(IReadOnlyList<ClassifiedVma> vmas, ulong start, ulong end)
    {
        int first = FirstEndingAfter(vmas, start), last = first;
        while (last < vmas.Count && vmas[last].Vma.Start < end) last++;
        return (first, last);
    }
}
