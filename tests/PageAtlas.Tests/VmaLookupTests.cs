using System.Collections;
using PageAtlas.Model;
using Xunit;

namespace PageAtlas.Tests;

/// <summary>
/// Finding the VMAs of a range must not read every VMA: `pages` reads one range per VMA, and a
/// scan per range made 20,000 VMAs cost 400 million steps. The list here counts what is read.
/// </summary>
public sealed class VmaLookupTests
{
    private const ulong Page = 4096;

    [Theory]
    [InlineData(0UL, 1)]
    [InlineData(5UL, 1)]
    [InlineData(19_999UL, 1)]
    public void FindsTheVmaHoldingAnAddressReadingLogarithmicallyMany(ulong index, int expectedCount)
    {
        var vmas = new CountingList(20_000);
        ulong address = CountingList.StartOf((int)index) + 10;
        var (first, end) = VmaLookup.Overlapping(vmas, address, address + 1);
        Assert.Equal((int)index, first);
        Assert.Equal(expectedCount, end - first);
        Assert.InRange(vmas.Reads, 1, 2 * 16 + 2); // log2(20,000) < 15, plus the VMA found and the one after
    }

    [Fact]
    public void AnAddressInAGapGivesTheVmaAboveIt()
    {
        var vmas = new CountingList(10);
        ulong gap = CountingList.StartOf(3) + Page; // each VMA is one page, followed by a one-page gap
        Assert.Equal(4, VmaLookup.FirstEndingAfter(vmas, gap));
        Assert.Equal(10, VmaLookup.FirstEndingAfter(vmas, CountingList.StartOf(9) + Page));
        Assert.Equal(0, VmaLookup.FirstEndingAfter(vmas, 0));
    }

    [Fact]
    public void ARangeOverManyVmasGivesThemAll()
    {
        var vmas = new CountingList(100);
        var (first, end) = VmaLookup.Overlapping(vmas, CountingList.StartOf(10) + 5, CountingList.StartOf(20) + 1);
        Assert.Equal((10, 21), (first, end));
        Assert.Equal((0, 0), VmaLookup.Overlapping(new CountingList(0), 0, ulong.MaxValue));
    }

    /// <summary>VMA i is one page at 0x10000 + 2 pages × i; every read of an element is counted.</summary>
    private sealed class CountingList(int count) : IReadOnlyList<ClassifiedVma>
    {
        public int Reads { get; private set; }
        public int Count => count;

        public static ulong StartOf(int i) => 0x10000 + 2 * Page * (ulong)i;

        public ClassifiedVma this[int index]
        {
            get
            {
                Reads++;
                ulong start = StartOf(index);
                return new ClassifiedVma(new Vma(start, start + Page, VmaPermissions.Read, 0, 0, 0, 0, "", false), new SegmentClass(SegmentKind.AnonymousMapping));
            }
        }

        public IEnumerator<ClassifiedVma> GetEnumerator()
        {
            for (int i = 0; i < count; i++) yield return this[i];
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
