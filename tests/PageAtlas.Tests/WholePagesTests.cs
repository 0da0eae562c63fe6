using FsCheck.Xunit;
using PageAtlas.Model;

namespace PageAtlas.Tests;

/// <summary>A range widened to the whole pages it touches, as every page reader needs it.</summary>
public class WholePagesTests
{
    [Theory]
    [InlineData(0x1000UL, 0x3000UL, 0x1000UL, 0x3000UL)] // aligned: unchanged
    [InlineData(0x1800UL, 0x1801UL, 0x1000UL, 0x2000UL)] // one byte: its page
    [InlineData(0x1800UL, 0x5000UL, 0x1000UL, 0x5000UL)] // start inside a page
    [InlineData(0x1000UL, 0x4800UL, 0x1000UL, 0x5000UL)] // end inside a page
    [InlineData(0UL, ulong.MaxValue, 0UL, ulong.MaxValue)] // everything (ReadPages(0, MaxValue))
    [InlineData(0xFFFFFFFFFFFFF800UL, ulong.MaxValue, 0xFFFFFFFFFFFFF000UL, ulong.MaxValue)] // the last page has no end above it
    public void CoversExactlyTheTouchedPages(ulong start, ulong end, ulong wholeStart, ulong wholeEnd) =>
        Assert.Equal(new AddressRange(wholeStart, wholeEnd), new AddressRange(start, end).ToWholePages(4096));

    [Property]
    public bool ContainsTheRangeStartsOnAPageAndAddsLessThanAPageAtEachEnd(ulong a, ulong b)
    {
        if (a == b) return true;
        var range = new AddressRange(Math.Min(a, b), Math.Max(a, b));
        var whole = range.ToWholePages(4096);
        return whole.Start <= range.Start && whole.End >= range.End
            && whole.Start % 4096 == 0 && (whole.End % 4096 == 0 || whole.End == ulong.MaxValue)
            && range.Start - whole.Start < 4096 && whole.End - range.End < 4096
            && whole.ToWholePages(4096) == whole;
    }
}
