using PageAtlas.Model;

namespace PageAtlas.Analysis;

/// <summary>
/// The groups <see cref="Sharing"/> reports (a VMA, a class, the whole process), counted from the
/// frames each process kept (<see cref="SharePages"/>), VMA by VMA in slices of one array.
/// </summary>
internal sealed class ShareGroups(IReadOnlyList<IMemoryTarget> targets, SharePages[] pages)
{
    private readonly int[][] _offsets = pages.Select(p => p.Offsets()).ToArray();
    /// <summary>Per process: where a group of several VMAs has its frames copied and sorted; grown to the largest.</summary>
    private readonly ulong[][] _scratch = pages.Select(_ => Array.Empty<ulong>()).ToArray();

    /// <summary>The frames of process <paramref name="process"/>'s VMA <paramref name="vma"/>.</summary>
    public Memory<ulong> VmaFrames(int process, int vma) => pages[process].FrameMemory.Slice(_offsets[process][vma], pages[process].VmaPages[vma]);

    /// <summary>A group of VMAs (per process, by index; null when a process has none), each VMA's frames already sorted.</summary>
    public ShareGroup Group(string key, List<int>?[] members, SameAddressTally same)
    {
        var sorted = new ReadOnlyMemory<ulong>[pages.Length];
        var resident = new ulong[pages.Length];
        for (int i = 0; i < pages.Length; i++)
        {
            var vmas = members[i] ?? [];
            int count = vmas.Sum(v => pages[i].VmaPages[v]);
            resident[i] = (ulong)count;
            var populated = vmas.Where(v => pages[i].VmaPages[v] > 0).ToArray();
            if (populated.Length <= 1)
            {
                sorted[i] = populated.Length == 0 ? ReadOnlyMemory<ulong>.Empty : VmaFrames(i, populated[0]);
                continue;
            }
            if (_scratch[i].Length < count) _scratch[i] = GC.AllocateUninitializedArray<ulong>(count);
            int at = 0;
            foreach (int v in populated)
            {
                VmaFrames(i, v).CopyTo(_scratch[i].AsMemory(at));
                at += pages[i].VmaPages[v];
            }
            Array.Sort(_scratch[i], 0, count);
            sorted[i] = _scratch[i].AsMemory(0, count);
        }
        var vmasOf = members.Select((m, i) => (IReadOnlyList<ClassifiedVma>)(m ?? []).Select(v => targets[i].Vmas[v]).ToArray()).ToArray();
        return new ShareGroup(key, vmasOf, Counts(sorted, resident, same));
    }

    /// <summary>Every page of every process: each one's frames sorted where they lie (the last use of them).</summary>
    public ShareCounts Total(SameAddressTally same)
    {
        var sorted = new ReadOnlyMemory<ulong>[pages.Length];
        for (int i = 0; i < pages.Length; i++)
        {
            pages[i].Frames.Sort();
            sorted[i] = pages[i].FrameMemory;
        }
        return Counts(sorted, pages.Select(p => (ulong)p.Count).ToArray(), same);
    }

    private static ShareCounts Counts(ReadOnlyMemory<ulong>[] sorted, ulong[] resident, SameAddressTally same)
    {
        var (inAll, own) = FrameOverlap.Count(sorted);
        return new ShareCounts(resident, inAll, own, same.InAll, same.SameFrame, same.InAll - same.SameFrame);
    }
}
