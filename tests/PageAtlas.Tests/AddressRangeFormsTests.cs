using FsCheck.Xunit;
using PageAtlas.Model;
using PageAtlas.Rendering;

namespace PageAtlas.Tests;

/// <summary>
/// Every form a range is written in — the tool's own "..", /proc's "a-b", PageAtlas's "a–b" and
/// "a+len" — parses to the same [start, end), and a bad one is told which forms work.
/// </summary>
public class AddressRangeFormsTests
{
    [Theory]
    [InlineData("7f0000001000..7f0000003000")]
    [InlineData("0x7f0000001000..0x7f0000003000")]
    [InlineData("7f0000001000-7f0000003000")] // a line of /proc/<pid>/maps
    [InlineData("0x7f0000001000-0x7f0000003000")]
    [InlineData("0x7f0000001000\u20130x7f0000003000")] // as PageTableText.Span prints it
    [InlineData("7f0000001000\u20137f0000003000")]
    [InlineData("0x7f0000001000+8192")]
    [InlineData("7f0000001000+0x2000")]
    [InlineData("0X7F0000001000+8k")]
    public void EveryFormGivesTheSameExclusiveRange(string text) =>
        Assert.Equal(new AddressRange(0x7f0000001000, 0x7f0000003000), AddressRange.Parse(text));

    [Fact]
    public void AnAddressWithoutPrefixIsHexadecimalNeverDecimal() =>
        Assert.Equal(new AddressRange(0x1000, 0x2000), AddressRange.Parse("1000-2000"));

    [Theory]
    [InlineData("0x2000-0x1000")]
    [InlineData("0x2000\u20130x2000")]
    [InlineData("0x1000-")]
    [InlineData("-0x1000")]
    [InlineData("0x1000--0x2000")]
    [InlineData("0x1000\u2014 0x2000")] // an em dash is not a form
    [InlineData("0x1000 0x2000")]
    [InlineData("0x1000+-4")]
    [InlineData("4096..8192g")]
    public void ABadRangeListsTheAcceptedForms(string text)
    {
        var e = Assert.Throws<InvalidRequestException>(() => AddressRange.Parse(text));
        Assert.Contains(AddressRange.AcceptedForms, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    /// <summary>Each way PageAtlas and /proc print a non-empty range parses back to that range.</summary>
    [Property(MaxTest = 500)]
    public bool EveryPrintedRangeParsesBackToItself(ulong a, ulong b)
    {
        if (a == b) return true;
        var range = new AddressRange(Math.Min(a, b), Math.Max(a, b));
        string[] printed =
        [
            PageTableText.Span(range.Start, range.Length),
            $"{range.Start:x}-{range.End:x}",
            $"0x{range.Start:x}..0x{range.End:x}",
            $"0x{range.Start:x}+0x{range.Length:x}",
            $"0x{range.Start:x}+{range.Length}",
        ];
        return printed.All(text => AddressRange.Parse(text) == range);
    }
}
