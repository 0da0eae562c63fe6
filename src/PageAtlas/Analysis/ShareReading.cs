using PageAtlas.Model;

namespace PageAtlas.Analysis;

/// <summary>Virtual pages present in every process at one address, and of those the ones on one frame.</summary>
internal struct SameAddressTally
{
    public ulong InAll, SameFrame;
}

/// <summary>
/// Reads the processes <see cref="Sharing"/> compares side by side, in address order, a batch of each
/// at a time: pages at one address in all of them are counted as they pass (for the whole process,
/// for their class and for their VMA when all processes agree on it), and only each page's frame is
/// kept (<see cref="SharePages"/>).
/// </summary>
internal static class ShareReading
{
    /// <summary>Process <see cref="Index"/> could not be read to the end.</summary>
    public sealed class Failure(int index, TargetUnavailableException reason) : Exception(reason.Message, reason)
    {
        public int Index { get; } = index;
        public TargetUnavailableException Reason { get; } = reason;
    }

    /// <summary>Reads every target to the end, counting same-address pages into the tallies.</summary>
    /// <param name="targets">The processes.</param>
    /// <param name="classOf">Per process, per VMA: its class group.</param>
    /// <param name="vmaGroupOf">Per process, per VMA: its VMA group.</param>
    /// <param name="total">Same-address pages, whole processes.</param>
    /// <param name="classes">Per class group.</param>
    /// <param name="vmas">Per VMA group.</param>
    /// <exception cref="Failure">A process vanished while it was read.</exception>
    public static SharePages[] Read(IReadOnlyList<IMemoryTarget> targets, int[][] classOf, int[][] vmaGroupOf,
        ref SameAddressTally total, SameAddressTally[] classes, SameAddressTally[] vmas)
    {
        int n = targets.Count;
        var pages = new SharePages[n];
        try
        {
            for (int i = 0; i < n; i++) pages[i] = Attributed(i, targets, static (targets, i) => new SharePages(targets[i]));
            var has = new bool[n];
            bool all = true;
            for (int i = 0; i < n; i++) all &= has[i] = Step(pages, i);
            while (all)
            {
                ulong highest = 0;
                for (int i = 0; i < n; i++) highest = Math.Max(highest, pages[i].Address);
                bool aligned = true;
                for (int i = 0; i < n; i++)
                {
                    while (has[i] && pages[i].Address < highest) has[i] = Step(pages, i);
                    all &= has[i];
                    aligned &= has[i] && pages[i].Address == highest;
                }
                if (!aligned) continue;
                Count(pages, classOf, vmaGroupOf, ref total, classes, vmas);
                for (int i = 0; i < n; i++) all &= has[i] = Step(pages, i);
            }
            for (int i = 0; i < n; i++)
                while (has[i]) has[i] = Step(pages, i);
            return pages;
        }
        finally
        {
            foreach (var reading in pages) reading?.Dispose();
        }
    }

    /// <summary>A page at one address in every process: the whole process's tally, and its class's and VMA's when all agree.</summary>
    private static void Count(SharePages[] pages, int[][] classOf, int[][] vmaGroupOf, ref SameAddressTally total, SameAddressTally[] classes, SameAddressTally[] vmas)
    {
        ulong frame = pages[0].Frame;
        int klass = classOf[0][pages[0].Vma], group = vmaGroupOf[0][pages[0].Vma];
        bool sameFrame = true, sameClass = true, sameGroup = true;
        for (int i = 1; i < pages.Length; i++)
        {
            sameFrame &= pages[i].Frame == frame;
            sameClass &= classOf[i][pages[i].Vma] == klass;
            sameGroup &= vmaGroupOf[i][pages[i].Vma] == group;
        }
        ulong same = sameFrame ? 1UL : 0;
        (total.InAll, total.SameFrame) = (total.InAll + 1, total.SameFrame + same);
        if (sameClass) (classes[klass].InAll, classes[klass].SameFrame) = (classes[klass].InAll + 1, classes[klass].SameFrame + same);
        if (sameGroup) (vmas[group].InAll, vmas[group].SameFrame) = (vmas[group].InAll + 1, vmas[group].SameFrame + same);
    }

    /// <summary>
    /// The next page of process <paramref name="index"/>. Called once per page: the lambda is static, so
    /// one delegate serves every call, where a method group (<c>pages[index].MoveNext</c>) made a new
    /// one per page (two million for two 4 GiB processes: most of a share's peak memory, as garbage).
    /// </summary>
    private static bool Step(SharePages[] pages, int index) => Attributed(index, pages, static (pages, index) => pages[index].MoveNext());

    /// <summary>Runs <paramref name="read"/> on process <paramref name="index"/> of <paramref name="of"/>, naming the process if it vanishes meanwhile.</summary>
    private static T Attributed<TList, T>(int index, TList of, Func<TList, int, T> read)
    {
        try
        {
            return read(of, index);
        }
        catch (TargetUnavailableException e)
        {
            throw new Failure(index, e);
        }
    }
}
