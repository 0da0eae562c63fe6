using PageAtlas.Model;

namespace PageAtlas.Analysis;

/// <summary>
/// The groups <see cref="Sharing"/> reports (a VMA, a class, the whole process), counted from the
/// frames each process kept (<see cref="SharePages"/>), VMA by VMA in slices of one array.
/// </summary>
internal sealed class ShareGroups(IReadOnlyList<IMemoryTarget> targets, SharePages[] pages)
{
    private readonly int[][] _offsets = pages.Select(p => p.Offsets()).ToArray();
    /// <summary>Per process: where a small group of several VMAs has its frames copied and sorted; grown to the largest (at most <see cref="MostCopied"/>).</summary>
    private readonly ulong[][] _scratch = pages.Select(_ => Array.Empty<ulong>()).ToArray();

    /// <summary>
    /// The most frames of a group of several VMAs copied into one sorted array (2 MiB): sorting a copy is
    /// quicker than merging thousands of small slices (a class of 20,000 VMAs of a few pages), and a
    /// larger group is read merged, in place, so that a 4 GiB class costs no copy of its 8 MiB of frames.
    /// </summary>
    private const int MostCopied = 256 * 1024;

    /// <summary>Per process, the slices of the group being counted: reused from group to group (20,000 of them at 20,000 VMAs), as is each process's one-slice array.</summary>
    private readonly ReadOnlyMemory<ulong>[][] _sorted = new ReadOnlyMemory<ulong>[pages.Length][];
    private readonly ReadOnlyMemory<ulong>[][] _oneSlice = pages.Select(_ => new ReadOnlyMemory<ulong>[1]).ToArray();

    /// <summary>The frames of process <paramref name="process"/>'s VMA <paramref name="vma"/>.</summary>
    public Memory<ulong> VmaFrames(int process, int vma) => pages[process].FrameMemory.Slice(_offsets[process][vma], pages[process].VmaPages[vma]);

    /// <summary>Group <paramref name="group"/> of <paramref name="members"/>, each VMA's frames already sorted.</summary>
    /// <remarks>Loops, not LINQ: this runs once per VMA of 20,000, and its temporaries were most of share's garbage.</remarks>
    public ShareGroup Group(string key, SegmentClass segment, int? rank, GroupMembers members, int group, SameAddressTally same)
    {
        var sorted = _sorted;
        var resident = new ulong[pages.Length];
        var vmasOf = new IReadOnlyList<ClassifiedVma>[pages.Length];
        for (int i = 0; i < pages.Length; i++)
        {
            var vmas = members.Of(i, group);
            var listed = new ClassifiedVma[vmas.Length];
            int count = 0, populated = 0;
            for (int m = 0; m < listed.Length; m++)
            {
                int v = vmas[m];
                listed[m] = targets[i].Vmas[v];
                count += pages[i].VmaPages[v];
                if (pages[i].VmaPages[v] > 0) populated++;
            }
            (resident[i], vmasOf[i]) = ((ulong)count, listed);
            if (populated <= 1 || count <= MostCopied) (sorted[i] = _oneSlice[i])[0] = SortedCopy(i, vmas, count, populated);
            else sorted[i] = Slices(i, vmas, populated);
        }
        return new ShareGroup(key, segment, rank, vmasOf, Counts(sorted, resident, same));
    }

    /// <summary>The sorted frames of process <paramref name="process"/>'s VMAs: one VMA's slice as it is, several copied into its scratch array and sorted.</summary>
    private ReadOnlyMemory<ulong> SortedCopy(int process, ReadOnlySpan<int> vmas, int count, int populated)
    {
        if (populated == 0) return ReadOnlyMemory<ulong>.Empty;
        if (populated == 1)
            foreach (int v in vmas)
                if (pages[process].VmaPages[v] > 0) return VmaFrames(process, v);
        if (_scratch[process].Length < count) _scratch[process] = GC.AllocateUninitializedArray<ulong>(count);
        var scratch = _scratch[process];
        int at = 0;
        foreach (int v in vmas)
        {
            VmaFrames(process, v).CopyTo(scratch.AsMemory(at));
            at += pages[process].VmaPages[v];
        }
        Array.Sort(scratch, 0, count);
        return scratch.AsMemory(0, count);
    }

    /// <summary>Each populated VMA's sorted slice, read merged (<see cref="FrameOverlap"/>), not copied.</summary>
    private ReadOnlyMemory<ulong>[] Slices(int process, ReadOnlySpan<int> vmas, int populated)
    {
        var slices = new ReadOnlyMemory<ulong>[populated];
        int next = 0;
        foreach (int v in vmas)
            if (pages[process].VmaPages[v] > 0) slices[next++] = VmaFrames(process, v);
        return slices;
    }

    /// <summary>Every page of every process: each one's frames sorted where they lie (the last use of them).</summary>
    public ShareCounts Total(SameAddressTally same)
    {
        var sorted = new ReadOnlyMemory<ulong>[pages.Length][];
        for (int i = 0; i < pages.Length; i++)
        {
            pages[i].Frames.Sort();
            sorted[i] = [pages[i].FrameMemory];
        }
        return Counts(sorted, pages.Select(p => (ulong)p.Count).ToArray(), same);
    }

    private static ShareCounts Counts(ReadOnlyMemory<ulong>[][] sorted, ulong[] resident, SameAddressTally same)
    {
        var (inAll, own) = FrameOverlap.Count(sorted);
        return new ShareCounts(resident, inAll, own, same.InAll, same.SameFrame, same.InAll - same.SameFrame);
    }
}

/// <summary>
/// Which VMAs of each process belong to each group, as one array per process (its VMA indices ordered
/// by group, in address order within one) and where each group starts in it: no list per group.
/// </summary>
internal sealed class GroupMembers
{
    private readonly int[][] _order, _start;

    /// <param name="groupOf">Per process, per VMA: its group.</param>
    /// <param name="groups">How many groups there are.</param>
    public GroupMembers(int[][] groupOf, int groups)
    {
        _order = new int[groupOf.Length][];
        _start = new int[groupOf.Length][];
        for (int i = 0; i < groupOf.Length; i++)
        {
            var start = _start[i] = new int[groups + 1];
            foreach (int g in groupOf[i]) start[g + 1]++;
            for (int g = 0; g < groups; g++) start[g + 1] += start[g];
            var order = _order[i] = new int[groupOf[i].Length];
            var next = start[..groups];
            for (int v = 0; v < groupOf[i].Length; v++) order[next[groupOf[i][v]]++] = v;
        }
    }

    /// <summary>Process <paramref name="process"/>'s VMAs in group <paramref name="group"/>, in address order.</summary>
    public ReadOnlySpan<int> Of(int process, int group) => _order[process].AsSpan(_start[process][group], _start[process][group + 1] - _start[process][group]);
}
