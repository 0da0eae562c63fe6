using PageAtlas.Analysis;
using PageAtlas.Paging;

namespace PageAtlas.Tests;

/// <summary>
/// The maps report of one VMA (<see cref="Residency.MeasureAt"/>) and of a run of VMAs
/// (<see cref="Residency.MeasureFrom"/>): the same rows as the whole report, and only those VMAs'
/// pages read (the explorer's pages view at 20,000 VMAs must not walk the other 19,999).
/// </summary>
public class ResidencyPartsTests
{
    /// <summary>Three VMAs with a gap between the second and the third, each with its own mix of pages.</summary>
    private static FakeTarget Process() => new FakeTarget(PagingMode.FourLevel)
        .Vma(0x10000, 0x14000).Present(0x10000, 0x100, 2)
        .Vma(0x14000, 0x18000).Swapped(0x15000).Present(0x17000, 0x200)
        .Vma(0x30000, 0x40000).Present(0x30000, 0x300, 5);

    [Theory]
    [InlineData(0x10000UL, 0)]
    [InlineData(0x17fffUL, 1)]
    [InlineData(0x3f000UL, 2)]
    public void TheVmaAtAnAddressIsItsRowOfTheWholeReportAndOnlyItsPagesAreRead(ulong address, int index)
    {
        var target = Process();
        var whole = Residency.Measure(target);
        target.ReadRanges.Clear();
        var part = Residency.MeasureAt(target, address);
        var row = Assert.Single(part.Vmas);
        Assert.Equal(whole.Vmas[index], row);
        Assert.Equal(row.Counts, part.Total);
        Assert.Equal([(row.Vma.Vma.Start, row.Vma.Vma.End)], target.ReadRanges);
    }

    [Theory]
    [InlineData(0x0fff0UL)]
    [InlineData(0x18000UL)]
    [InlineData(0x40000UL)]
    public void AnAddressInNoVmaIsTheCallersMistake(ulong address) =>
        Assert.Contains("outside every VMA", Assert.Throws<InvalidRequestException>(() => Residency.MeasureAt(Process(), address)).Message);

    [Fact]
    public void PartsFromAStartAreTheWholeReportsRowsAndReadOnlyTheirSpan()
    {
        var target = Process();
        var whole = Residency.Measure(target);
        target.ReadRanges.Clear();
        var part = Residency.MeasureFrom(target, 0x12000, 2); // inside the first VMA: it starts the part
        Assert.Equal(whole.Vmas.Take(2), part.Vmas);
        Assert.Equal(whole.Vmas[0].Counts + whole.Vmas[1].Counts, part.Total);
        Assert.Equal([(0x10000UL, 0x18000UL)], target.ReadRanges);
        Assert.Equal(whole.Vmas.Skip(2), Residency.MeasureFrom(target, 0x18000, 5).Vmas); // the gap: the next VMA on
        target.ReadRanges.Clear();
        Assert.Equal([whole.Vmas[1]], Residency.MeasureFrom(target, 0x14000, 1).Vmas); // one from the middle: neither end of the list
        Assert.Equal([(0x14000UL, 0x18000UL)], target.ReadRanges);
        Assert.Empty(Residency.MeasureFrom(Process(), 0x40000, 5).Vmas); // past the last: an empty (last) part
        Assert.Throws<InvalidRequestException>(() => Residency.MeasureFrom(Process(), 0, 0));
        Assert.Equal((1UL, 1UL, 2UL), (whole.Vmas[1].Counts.Present, whole.Vmas[1].Counts.Swapped, whole.Vmas[1].Counts.NotPopulated)); // the rows compared are not all alike
    }
}
