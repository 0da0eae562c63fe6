using System.Buffers;
using PageAtlas.Model;

namespace PageAtlas.Analysis;

/// <summary>How the pages of one group (a segment class, or one VMA) compare across the processes.</summary>
/// <param name="Resident">Per process: present pages in the group.</param>
/// <param name="FramesInAll">Distinct frames that every process maps in this group.</param>
/// <param name="Private">Per process: present pages whose frame no other process maps in this group.</param>
/// <param name="SameAddressInAll">Virtual pages present in every process at the same address.</param>
/// <param name="SameAddressSameFrame">Of those, pages backed by one frame in all (for a forked pair: shared copy-on-write, not yet written).</param>
/// <param name="SameAddressDifferentFrames">Of those, pages backed by different frames (for a forked pair: copied since the fork).</param>
public sealed record ShareCounts(
    IReadOnlyList<ulong> Resident, ulong FramesInAll, IReadOnlyList<ulong> Private,
    ulong SameAddressInAll, ulong SameAddressSameFrame, ulong SameAddressDifferentFrames);

/// <summary>A segment class, or one VMA, across the processes.</summary>
/// <param name="Key">"lib-code libc.so.6", or for a VMA its class with its rank in the class ("heap #1").</param>
/// <param name="Vmas">Per process: its VMAs in the group (empty when it has none).</param>
/// <param name="Counts">The comparison.</param>
public sealed record ShareGroup(string Key, IReadOnlyList<IReadOnlyList<ClassifiedVma>> Vmas, ShareCounts Counts);

/// <summary>One process taking part.</summary>
/// <param name="Pid">Its pid.</param>
/// <param name="Command">Its command name.</param>
/// <param name="ParentPid">Its parent's pid.</param>
public sealed record ShareParticipant(int Pid, string Command, int ParentPid);

/// <summary>What the processes share, per segment class, per VMA and in total.</summary>
/// <param name="Participants">The processes, in the order given.</param>
/// <param name="ForkedFrom">When every other process is a child of the first, the first's pid: same-address comparisons then read as copy-on-write.</param>
/// <param name="Classes">One group per segment class any of them has.</param>
/// <param name="Vmas">One group per VMA, matched by class and rank within the class.</param>
/// <param name="Total">Every page of every process.</param>
/// <param name="Notes">Processes that could not be read, and how to read the figures.</param>
public sealed record ShareReport(
    IReadOnlyList<ShareParticipant> Participants, int? ForkedFrom, IReadOnlyList<ShareGroup> Classes, IReadOnlyList<ShareGroup> Vmas,
    ShareCounts Total, IReadOnlyList<string> Notes);

/// <summary>
/// Compares the physical frames behind two or more processes (seed 004): which frames all of them
/// map, which pages are each one's own, and, address by address, where a forked child still shares
/// its parent's frame (copy-on-write, not yet written) or has its own copy.
/// </summary>
public static class Sharing
{
    /// <summary>Compares <paramref name="targets"/>: each is read once, every present page with its frame.</summary>
    /// <exception cref="PrivilegeRequiredException">PFNs are hidden: frames cannot be compared.</exception>
    public static ShareReport Compare(IReadOnlyList<IMemoryTarget> targets)
    {
        if (targets.Count < 2) throw new InvalidRequestException("share needs at least two processes");
        if (targets.FirstOrDefault(t => !t.Visibility.PfnsVisible) is { } hidden)
            throw new PrivilegeRequiredException("/proc/self/pagemap", $"share compares physical frames, which the kernel hides: {hidden.Visibility.Reason}");

        var pages = new List<PagesByVma>();
        var participants = new List<ShareParticipant>();
        var notes = new List<string>();
        foreach (var target in targets)
        {
            try
            {
                pages.Add(PagesByVma.Read(target));
                participants.Add(new ShareParticipant(target.Pid, target.Facts.Name, target.Facts.ParentPid));
            }
            catch (TargetUnavailableException e)
            {
                notes.Add($"{e.Message}: left out of the comparison");
            }
        }
        if (pages.Count < 2) throw new TargetUnavailableException(targets[0].Pid, TargetUnavailableReason.Exited, "fewer than two of the processes could be read to the end");

        int? forkedFrom = participants.Skip(1).All(p => p.ParentPid == participants[0].Pid) ? participants[0].Pid : null;
        if (forkedFrom is { } parent)
            notes.Add($"pid {parent} is the parent of the others: at the same address, the same frame is a page still shared copy-on-write (written by neither since the fork); different frames mean one side wrote and got its own copy");

        // Each process's VMAs grouped by class once: looking each class up in every VMA list was
        // quadratic for a process with thousands of classes (one per mapped file).
        var byClass = pages.Select(p => p.Vmas.ToLookup(v => ClassKey(v.Vma), StringComparer.Ordinal)).ToArray();
        var classes = byClass.SelectMany(l => l.Select(g => g.Key)).Distinct().Order(StringComparer.Ordinal)
            .Select(key => Group(key, byClass.Select(l => l[key].ToArray()).ToArray()))
            .OrderByDescending(g => g.Counts.Resident.Max()).ThenBy(g => g.Key, StringComparer.Ordinal).ToArray();
        var vmaKeys = pages.SelectMany(p => p.RankedKeys()).Distinct().ToArray();
        var vmas = vmaKeys.Select(key => Group(key, pages.Select(p => p.VmaWithKey(key)).ToArray())).ToArray();
        var total = Group("total", pages.Select(p => p.Vmas.ToArray()).ToArray()).Counts;
        return new ShareReport(participants, forkedFrom, classes, vmas, total, notes);
    }

    /// <summary>A class without the pid or tid that makes each process's own ("main-stack", "thread-stack", "lib-code libc.so.6").</summary>
    public static string ClassKey(ClassifiedVma vma)
    {
        var c = vma.Class;
        return c.Kind is SegmentKind.MainStack or SegmentKind.ThreadStack ? c.KindName : new SegmentClass(c.Kind, c.Owner).ToString();
    }

    private static ShareGroup Group(string key, PagesByVma.Area[][] perProcess)
    {
        int n = perProcess.Length;
        var pool = ArrayPool<ulong>.Shared;
        // Each process's pages of the group in address order (areas are in address order), and its
        // page frames sorted: everything below is a linear merge of sorted arrays. The temporaries come
        // from a pool: two 4 GiB processes hold a million pages each, and share runs over every class,
        // every VMA and the total.
        var lists = perProcess.Select(Concatenate).ToArray();
        var sortedFrames = new ulong[n][];
        var frameCounts = new int[n];
        var distinct = new ulong[n][];
        var distinctCounts = new int[n];
        try
        {
            for (int i = 0; i < n; i++)
            {
                var pages = lists[i].Span;
                sortedFrames[i] = pool.Rent(Math.Max(pages.Length, 1));
                for (int p = 0; p < pages.Length; p++) sortedFrames[i][p] = pages[p].Frame;
                frameCounts[i] = pages.Length;
                Array.Sort(sortedFrames[i], 0, pages.Length);
                distinct[i] = pool.Rent(Math.Max(pages.Length, 1));
                int unique = 0;
                for (int p = 0; p < pages.Length; p++)
                    if (unique == 0 || sortedFrames[i][p] != distinct[i][unique - 1]) distinct[i][unique++] = sortedFrames[i][p];
                distinctCounts[i] = unique;
            }

            ulong inAll = 0;
            var cursor = new int[n];
            for (int f = 0; f < distinctCounts[0]; f++)
            {
                ulong frame = distinct[0][f];
                bool everywhere = true;
                for (int j = 1; j < n && everywhere; j++) everywhere = Advance(distinct[j], distinctCounts[j], ref cursor[j], frame);
                if (everywhere) inAll++;
            }

            var privateCounts = new ulong[n];
            for (int i = 0; i < n; i++)
            {
                Array.Clear(cursor);
                for (int p = 0; p < frameCounts[i]; p++)
                {
                    ulong frame = sortedFrames[i][p];
                    bool elsewhere = false;
                    for (int j = 0; j < n; j++)
                        if (j != i && Advance(distinct[j], distinctCounts[j], ref cursor[j], frame)) elsewhere = true;
                    if (!elsewhere) privateCounts[i]++;
                }
            }

            var (sameAddress, sameFrame) = SameAddresses(lists);
            var counts = new ShareCounts(lists.Select(l => (ulong)l.Length).ToArray(), inAll, privateCounts, sameAddress, sameFrame, sameAddress - sameFrame);
            return new ShareGroup(key, perProcess.Select(areas => (IReadOnlyList<ClassifiedVma>)areas.Select(a => a.Vma).ToArray()).ToArray(), counts);
        }
        finally
        {
            foreach (var array in sortedFrames.Concat(distinct)) if (array is not null) pool.Return(array);
        }
    }

    /// <summary>Moves <paramref name="cursor"/> forward in a sorted array to the first value ≥ <paramref name="value"/>; true when it equals it.</summary>
    private static bool Advance(ulong[] sorted, int count, ref int cursor, ulong value)
    {
        while (cursor < count && sorted[cursor] < value) cursor++;
        return cursor < count && sorted[cursor] == value;
    }

    /// <summary>The pages of several areas, in address order (one area's own array when there is one).</summary>
    private static ReadOnlyMemory<(ulong Address, ulong Frame)> Concatenate(PagesByVma.Area[] areas)
    {
        if (areas.Length == 1) return areas[0].Pages;
        var all = new (ulong, ulong)[areas.Sum(a => a.Pages.Length)];
        int at = 0;
        foreach (var area in areas)
        {
            area.Pages.CopyTo(all, at);
            at += area.Pages.Length;
        }
        return all;
    }

    /// <summary>Virtual pages present in every process at one address, and of those the ones on one frame: a merge by address.</summary>
    private static (ulong SameAddress, ulong SameFrame) SameAddresses(ReadOnlyMemory<(ulong Address, ulong Frame)>[] lists)
    {
        int n = lists.Length;
        ulong sameAddress = 0, sameFrame = 0;
        var cursor = new int[n];
        while (true)
        {
            ulong highest = 0;
            for (int i = 0; i < n; i++)
            {
                if (cursor[i] >= lists[i].Length) return (sameAddress, sameFrame);
                highest = Math.Max(highest, lists[i].Span[cursor[i]].Address);
            }
            bool aligned = true;
            for (int i = 0; i < n; i++)
            {
                var span = lists[i].Span;
                while (cursor[i] < span.Length && span[cursor[i]].Address < highest) cursor[i]++;
                if (cursor[i] >= span.Length || span[cursor[i]].Address != highest) aligned = false;
            }
            if (!aligned) continue;
            sameAddress++;
            ulong frame = lists[0].Span[cursor[0]].Frame;
            bool same = true;
            for (int i = 1; i < n; i++) same &= lists[i].Span[cursor[i]].Frame == frame;
            if (same) sameFrame++;
            for (int i = 0; i < n; i++) cursor[i]++;
        }
    }

    /// <summary>One process's present pages, VMA by VMA, as (address, frame) pairs.</summary>
    private sealed class PagesByVma
    {
        public sealed record Area(ClassifiedVma Vma, string RankedKey, (ulong Address, ulong Frame)[] Pages);

        public required IReadOnlyList<Area> Vmas { get; init; }

        private Dictionary<string, Area>? _byKey;

        public static PagesByVma Read(IMemoryTarget target)
        {
            var perVma = new Dictionary<ClassifiedVma, List<(ulong, ulong)>>(ReferenceEqualityComparer.Instance);
            foreach (var batch in target.ReadPages(0, ulong.MaxValue, new PageReadOptions(PopulatedOnly: true, WithFrames: false)))
            {
                if (!perVma.TryGetValue(batch.Vma, out var list)) perVma[batch.Vma] = list = [];
                foreach (ref readonly var page in batch.Pages.Span)
                    if (page.Entry.IsPresent) list.Add((page.Address, page.Entry.Pfn));
            }
            var ranks = new Dictionary<string, int>();
            var areas = target.Vmas.Select(v =>
            {
                string key = ClassKey(v);
                int rank = ranks[key] = ranks.GetValueOrDefault(key) + 1;
                return new Area(v, $"{key} #{rank}", perVma.TryGetValue(v, out var list) ? list.ToArray() : []);
            }).ToArray();
            return new PagesByVma { Vmas = areas };
        }

        public IEnumerable<string> RankedKeys() => Vmas.Select(v => v.RankedKey);

        public Area[] VmaWithKey(string key)
        {
            _byKey ??= Vmas.ToDictionary(v => v.RankedKey);
            return _byKey.TryGetValue(key, out var area) ? [area] : [];
        }
    }
}
