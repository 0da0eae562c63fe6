using FsCheck.Xunit;
using PageAtlas.Analysis;

namespace PageAtlas.Tests;

/// <summary>
/// A process's frames of a group given as several sorted slices (one per VMA of a class) count as
/// the same frames copied into one array and sorted, which is how they were counted before.
/// </summary>
public class FrameOverlapTests
{
    [Property(MaxTest = 300)]
    public void SlicesCountAsTheirSortedUnion(int seed)
    {
        var random = new Random(seed);
        int processes = random.Next(2, 5);
        var slices = new ReadOnlyMemory<ulong>[processes][];
        var union = new ReadOnlyMemory<ulong>[processes][];
        for (int p = 0; p < processes; p++)
        {
            // Up to 40 slices, some empty, frames from a small pool: duplicates within and across slices.
            slices[p] = Enumerable.Range(0, random.Next(0, 40)).Select(_ =>
            {
                var frames = Enumerable.Range(0, random.Next(0, 12)).Select(_ => (ulong)random.Next(0, 60)).ToArray();
                Array.Sort(frames);
                return (ReadOnlyMemory<ulong>)frames;
            }).ToArray();
            var all = slices[p].SelectMany(s => s.ToArray()).ToArray();
            Array.Sort(all);
            union[p] = [all];
        }
        var (inAll, own) = FrameOverlap.Count(slices);
        var expected = FrameOverlap.Count(union);
        Assert.Equal(expected.InAll, inAll);
        Assert.Equal(expected.Private, own);

        // And the union's own figures, from sets.
        var sets = union.Select(u => u[0].ToArray()).ToArray();
        Assert.Equal((ulong)sets.Skip(1).Aggregate((IEnumerable<ulong>)sets[0].Distinct(), (a, b) => a.Intersect(b)).Count(), expected.InAll);
        for (int p = 0; p < processes; p++)
        {
            var others = sets.Where((_, j) => j != p).SelectMany(s => s).ToHashSet();
            Assert.Equal((ulong)sets[p].Count(f => !others.Contains(f)), expected.Private[p]);
        }
    }
}
