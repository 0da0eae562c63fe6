using PageAtlas.Model;

namespace PageAtlas.Analysis;

/// <summary>Which pages of a share group to list: one of the figures <see cref="Sharing"/> counts.</summary>
public enum SharePageKind
{
    /// <summary>Frames every process maps (<see cref="ShareCounts.FramesInAll"/>): each frame once, with its address in each process.</summary>
    Common,
    /// <summary>One process's pages whose frame no other maps in the group (<see cref="ShareCounts.Private"/>).</summary>
    Private,
    /// <summary>Pages at one address in all, on one frame (<see cref="ShareCounts.SameAddressSameFrame"/>: for a forked pair, shared copy-on-write).</summary>
    SameFrame,
    /// <summary>Pages at one address in all, on different frames (<see cref="ShareCounts.SameAddressDifferentFrames"/>: for a forked pair, copied).</summary>
    OtherFrame,
}

/// <summary>One process's page in a listed row: where it is mapped, its frame and the frame's flags.</summary>
public readonly record struct SharedPage(ulong Address, ulong Pfn, FrameFlags Flags, ulong MapCount);

/// <summary>One row of a listing: per process (in the order given) its page, or null where the row does not involve it (a private page's row).</summary>
public sealed record SharePageRow(IReadOnlyList<SharedPage?> Pages);

/// <summary>A slice of the rows behind one figure of a share group.</summary>
/// <param name="Total">Every row the figure has (the figure itself).</param>
/// <param name="Offset">Where <paramref name="Rows"/> starts among them.</param>
/// <param name="Rows">The slice, in address order of the first process involved.</param>
public sealed record SharePageListing(int Total, int Offset, IReadOnlyList<SharePageRow> Rows);

/// <summary>
/// The pages behind a figure of <see cref="Sharing"/>'s report, for one group (a class, one VMA, or
/// every page): what a person clicks to see after the counts. Each process's pages in the group are
/// read with their frames and flags, then matched as <see cref="ShareReading"/> and
/// <see cref="ShareGroups"/> match them, so the number of rows equals the report's figure for the
/// same moment.
/// </summary>
public static class SharePageList
{
    /// <summary>The most rows one answer holds.</summary>
    public const int MaxRows = 5000;

    /// <summary>Lists rows <paramref name="offset"/>… (at most <paramref name="count"/>) of <paramref name="kind"/> in the group.</summary>
    /// <param name="targets">The processes, as compared.</param>
    /// <param name="group">Per process, per VMA index: whether the VMA is in the group.</param>
    /// <param name="kind">Which figure.</param>
    /// <param name="privateOf">For <see cref="SharePageKind.Private"/>: the index of the process whose pages are listed.</param>
    /// <param name="offset">The first row wanted.</param>
    /// <param name="count">The most rows wanted (1 to <see cref="MaxRows"/>).</param>
    public static SharePageListing List(IReadOnlyList<IMemoryTarget> targets, Func<int, ClassifiedVma, int, bool> group, SharePageKind kind, int privateOf, int offset, int count)
    {
        if (targets.Count < 2) throw new InvalidRequestException("share needs at least two processes");
        if (targets.FirstOrDefault(t => !t.Visibility.PfnsVisible) is { } hidden)
            throw new PrivilegeRequiredException("/proc/self/pagemap", $"share compares physical frames, which the kernel hides: {hidden.Visibility.Reason}");
        if (count is <= 0 or > MaxRows) throw new InvalidRequestException($"a listing holds 1 to {MaxRows} rows");
        if (offset < 0) throw new InvalidRequestException("the offset is a row number from 0");
        if (kind == SharePageKind.Private && (privateOf < 0 || privateOf >= targets.Count)) throw new InvalidRequestException("private pages are listed for one of the processes compared");

        var pages = targets.Select((t, i) => Present(t, i, group).ToArray()).ToArray();
        var rows = kind switch
        {
            SharePageKind.Common => Common(pages),
            SharePageKind.Private => Private(pages, privateOf),
            _ => SameAddress(pages, kind == SharePageKind.SameFrame),
        };
        int total = rows.Count;
        int from = Math.Min(offset, total);
        return new SharePageListing(total, from, rows.GetRange(from, Math.Min(count, total - from)));
    }

    /// <summary>A process's present pages in the group, in address order.</summary>
    private static List<SharedPage> Present(IMemoryTarget target, int index, Func<int, ClassifiedVma, int, bool> group)
    {
        var ranks = new Dictionary<string, int>(StringComparer.Ordinal);
        var pages = new List<SharedPage>();
        foreach (var vma in target.Vmas)
        {
            string key = Sharing.ClassKey(vma);
            int rank = ranks[key] = ranks.GetValueOrDefault(key) + 1;
            if (!group(index, vma, rank)) continue;
            foreach (var batch in target.ReadPages(vma.Vma.Start, vma.Vma.End, new PageReadOptions(PopulatedOnly: true, WithFrames: true)))
            {
                foreach (ref readonly var page in batch.Pages.Span)
                    if (page.Entry.IsPresent) pages.Add(new SharedPage(page.Address, page.Entry.Pfn, page.Flags, page.MapCount));
            }
        }
        return pages;
    }

    /// <summary>Each frame every process maps, once, with the first address each maps it at.</summary>
    private static List<SharePageRow> Common(SharedPage[][] pagesOf)
    {
        var first = pagesOf.Select(FirstByFrame).ToArray();
        var rows = new List<SharePageRow>();
        foreach (var (pfn, page) in first[0].OrderBy(p => p.Value.Address))
        {
            var row = new SharedPage?[pagesOf.Length];
            row[0] = page;
            bool inAll = true;
            for (int i = 1; i < pagesOf.Length && inAll; i++)
            {
                inAll = first[i].TryGetValue(pfn, out var other);
                row[i] = other;
            }
            if (inAll) rows.Add(new SharePageRow(row));
        }
        return rows;
    }

    /// <summary>Process <paramref name="owner"/>'s pages whose frame no other process maps in the group.</summary>
    private static List<SharePageRow> Private(SharedPage[][] pagesOf, int owner)
    {
        var others = new HashSet<ulong>();
        for (int i = 0; i < pagesOf.Length; i++)
            if (i != owner) others.UnionWith(pagesOf[i].Select(p => p.Pfn));
        var rows = new List<SharePageRow>();
        foreach (var page in pagesOf[owner])
        {
            if (others.Contains(page.Pfn)) continue;
            var row = new SharedPage?[pagesOf.Length];
            row[owner] = page;
            rows.Add(new SharePageRow(row));
        }
        return rows;
    }

    /// <summary>Addresses present in every process, on one frame (<paramref name="sameFrame"/>) or not.</summary>
    private static List<SharePageRow> SameAddress(SharedPage[][] pagesOf, bool sameFrame)
    {
        var byAddress = pagesOf.Skip(1).Select(p => p.ToDictionary(page => page.Address)).ToArray();
        var rows = new List<SharePageRow>();
        foreach (var page in pagesOf[0])
        {
            var row = new SharedPage?[pagesOf.Length];
            row[0] = page;
            bool inAll = true, oneFrame = true;
            for (int i = 1; i < pagesOf.Length && inAll; i++)
            {
                inAll = byAddress[i - 1].TryGetValue(page.Address, out var other);
                row[i] = other;
                oneFrame &= other.Pfn == page.Pfn;
            }
            if (inAll && oneFrame == sameFrame) rows.Add(new SharePageRow(row));
        }
        return rows;
    }

    private static Dictionary<ulong, SharedPage> FirstByFrame(SharedPage[] pages)
    {
        var first = new Dictionary<ulong, SharedPage>();
        foreach (var page in pages) first.TryAdd(page.Pfn, page);
        return first;
    }
}
