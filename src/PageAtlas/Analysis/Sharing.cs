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
/// <param name="Class">The class, without the tid that makes a thread's stack its own (<see cref="Sharing.GroupClass"/>).</param>
/// <param name="Rank">For a VMA, its rank among its process's VMAs of that class (1 for the first); null for a class.</param>
/// <param name="Vmas">Per process: its VMAs in the group (empty when it has none).</param>
/// <param name="Counts">The comparison.</param>
public sealed record ShareGroup(string Key, SegmentClass Class, int? Rank, IReadOnlyList<IReadOnlyList<ClassifiedVma>> Vmas, ShareCounts Counts)
{
    /// <summary>A row that is no class (the total).</summary>
    public ShareGroup(string key, IReadOnlyList<IReadOnlyList<ClassifiedVma>> vmas, ShareCounts counts) : this(key, default, null, vmas, counts) { }
}

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
    /// <summary>
    /// Compares <paramref name="targets"/>: they are read once, side by side in address order, and of
    /// each present page only its frame is kept (8 bytes a page; <see cref="SharePages"/> says why
    /// frames cannot be streamed). A process that vanishes meanwhile is left out and the others are read again.
    /// </summary>
    /// <exception cref="PrivilegeRequiredException">PFNs are hidden: frames cannot be compared.</exception>
    public static ShareReport Compare(IReadOnlyList<IMemoryTarget> targets)
    {
        if (targets.Count < 2) throw new InvalidRequestException("share needs at least two processes");
        if (targets.FirstOrDefault(t => !t.Visibility.PfnsVisible) is { } hidden)
            throw new PrivilegeRequiredException("/proc/self/pagemap", $"share compares physical frames, which the kernel hides: {hidden.Visibility.Reason}");

        var notes = new List<string>();
        var taking = targets.ToList();
        while (true)
        {
            if (taking.Count < 2) throw new TargetUnavailableException(targets[0].Pid, TargetUnavailableReason.Exited, "fewer than two of the processes could be read to the end");
            try
            {
                return Compare(taking, notes);
            }
            catch (ShareReading.Failure failure)
            {
                notes.Add($"{failure.Reason.Message}: left out of the comparison");
                taking.RemoveAt(failure.Index);
            }
        }
    }

    private static ShareReport Compare(List<IMemoryTarget> targets, List<string> notes)
    {
        int n = targets.Count;
        // Every VMA's class and rank are known before a page is read: each page is counted into its
        // groups by number as it passes.
        var classKeys = targets.Select(t => t.Vmas.Select(ClassKey).ToArray()).ToArray();
        var ranks = classKeys.Select(Ranks).ToArray();
        var rankedKeys = classKeys.Select((keys, i) => keys.Select((key, v) => $"{key} #{ranks[i][v]}").ToArray()).ToArray();
        var classNames = classKeys.SelectMany(k => k).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var vmaNames = rankedKeys.SelectMany(k => k).Distinct(StringComparer.Ordinal).ToArray();
        var classOf = Numbered(classKeys, classNames);
        var vmaGroupOf = Numbered(rankedKeys, vmaNames);

        var total = new SameAddressTally();
        var sameInClass = new SameAddressTally[classNames.Length];
        var sameInVma = new SameAddressTally[vmaNames.Length];
        var pages = ShareReading.Read(targets, classOf, vmaGroupOf, ref total, sameInClass, sameInVma);

        var participants = targets.Select(t => new ShareParticipant(t.Pid, t.Facts.Name, t.Facts.ParentPid)).ToList();
        int? forkedFrom = participants.Skip(1).All(p => p.ParentPid == participants[0].Pid) ? participants[0].Pid : null;
        if (forkedFrom is { } parent)
            notes.Add($"pid {parent} is the parent of the others: at the same address, the same frame is a page still shared copy-on-write (written by neither since the fork); different frames mean one side wrote and got its own copy");

        // What each group is, named once: the class of the first VMA found under its key.
        var classOfKey = new Dictionary<string, SegmentClass>(StringComparer.Ordinal);
        var classOfRanked = new Dictionary<string, (SegmentClass Class, int Rank)>(StringComparer.Ordinal);
        for (int i = 0; i < n; i++)
        {
            for (int v = 0; v < targets[i].Vmas.Count; v++)
            {
                var segment = GroupClass(targets[i].Vmas[v]);
                classOfKey.TryAdd(classKeys[i][v], segment);
                classOfRanked.TryAdd(rankedKeys[i][v], (segment, ranks[i][v]));
            }
        }

        var groups = new ShareGroups(targets, pages);
        // Each VMA's frames sorted where they lie: its group compares those slices, and a class of
        // several VMAs sorts a copy of its own.
        var vmas = new ShareGroup[vmaNames.Length];
        var members = new GroupMembers(vmaGroupOf, vmaNames.Length);
        for (int i = 0; i < n; i++)
            for (int v = 0; v < targets[i].Vmas.Count; v++) groups.VmaFrames(i, v).Span.Sort();
        for (int g = 0; g < vmas.Length; g++)
        {
            var (segment, rank) = classOfRanked[vmaNames[g]];
            vmas[g] = groups.Group(vmaNames[g], segment, rank, members, g, sameInVma[g]);
        }
        members = new GroupMembers(classOf, classNames.Length);
        var classes = Enumerable.Range(0, classNames.Length).Select(c => groups.Group(classNames[c], classOfKey[classNames[c]], null, members, c, sameInClass[c]))
            .OrderByDescending(g => g.Counts.Resident.Max()).ThenBy(g => g.Key, StringComparer.Ordinal).ToArray();
        var whole = groups.Total(total);
        return new ShareReport(participants, forkedFrom, classes, vmas, whole, notes);
    }

    /// <summary>Each VMA's rank among the process's VMAs of its key (1 for the first: "heap #1").</summary>
    private static int[] Ranks(string[] keys)
    {
        var ranks = new Dictionary<string, int>(StringComparer.Ordinal);
        return keys.Select(key => ranks[key] = ranks.GetValueOrDefault(key) + 1).ToArray();
    }

    /// <summary>Per process, per VMA: the number of its key among <paramref name="names"/>.</summary>
    private static int[][] Numbered(string[][] keys, string[] names)
    {
        var number = new Dictionary<string, int>(names.Length, StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++) number[names[i]] = i;
        return keys.Select(k => k.Select(key => number[key]).ToArray()).ToArray();
    }

    /// <summary>A class without the pid or tid that makes each process's own ("main-stack", "thread-stack", "lib-code libc.so.6").</summary>
    public static string ClassKey(ClassifiedVma vma) => GroupClass(vma).ToString();

    /// <summary>The VMA's class as processes share it: a stack without its thread and owner, any other class as it is.</summary>
    public static SegmentClass GroupClass(ClassifiedVma vma)
    {
        var c = vma.Class;
        return c.Kind is SegmentKind.MainStack or SegmentKind.ThreadStack ? new SegmentClass(c.Kind) : new SegmentClass(c.Kind, c.Owner);
    }
}
