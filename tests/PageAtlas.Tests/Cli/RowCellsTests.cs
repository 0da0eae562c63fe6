using FsCheck.Xunit;
using PageAtlas.Cli;

namespace PageAtlas.Tests.Cli;

/// <summary>
/// A table's first pass only measures its rows (<see cref="RowCells.Measuring"/>: a number's width from
/// its value, nothing formatted): every measured length must be the length the writing pass writes,
/// or columns would not line up. Pinned against the formatting itself, and a whole table against the
/// same table given as strings (whose widths are their lengths).
/// </summary>
public class RowCellsTests
{
    private static readonly SizeFormat[] s_sizes = [new(SizeUnit.Human, 4096), new(SizeUnit.Bytes, 4096), new(SizeUnit.Pages, 4096), new(SizeUnit.Pages, 65536)];

    /// <summary>Each kind of piece in one cell, written and measured.</summary>
    private static (int Written, int Measured)[] Lengths(ulong value, int minDigits, string text)
    {
        Action<RowCells>[] pieces =
        [
            c => c.Number(value),
            c => c.Hex(value, minDigits),
            c => c.Text(text),
            c => c.Text("0x").Hex(value, 16).Text(" (").Number(value).Text(" thp)"),
            .. s_sizes.Select(format => (Action<RowCells>)(c => c.Size(value, format))),
        ];
        return pieces.Select(piece =>
        {
            var written = new RowCells(2);
            piece(written.At(1));
            var measured = new RowCells(2) { Measuring = true };
            piece(measured.At(1));
            Assert.Equal(written[1].Length, written.LengthOf(1));
            return (written.LengthOf(1), measured.LengthOf(1));
        }).ToArray();
    }

    [Property(MaxTest = 2000)]
    public void AMeasuredCellIsAsLongAsTheWrittenOne(ulong value, byte minDigits, string? text)
    {
        foreach (var (written, measured) in Lengths(value, minDigits % 20, text ?? ""))
            Assert.Equal(written, measured);
    }

    [Fact]
    public void DecimalDigitsAtEveryPowerOfTen()
    {
        var values = new List<ulong> { 0, ulong.MaxValue };
        for (ulong p = 1; p <= ulong.MaxValue / 10; p *= 10) values.AddRange([p - 1, p, p + 1, p * 10 - 1]);
        foreach (ulong v in values)
            Assert.True(RowCells.DecimalDigits(v) == v.ToString(System.Globalization.CultureInfo.InvariantCulture).Length, $"{v}");
    }

    [Fact]
    public void ATableOfNumbersIsTheTableOfTheirText()
    {
        ulong[] values = [0, 7, 10, 4096, 99_999, 1UL << 40, ulong.MaxValue];
        Column[] columns = [new("start", ColumnKind.Address), new("count", ColumnKind.Number), new("size", ColumnKind.Size), new("name")];
        var sizes = new SizeFormat(SizeUnit.Human, 4096);
        string Table(Action<TextOutput> write)
        {
            var text = new StringWriter();
            using (var output = new TextOutput(text, TextLayout.Whole)) write(output);
            return text.ToString();
        }
        string measured = Table(output => TextTable.WriteCells(output, columns, values, (v, cells) =>
        {
            cells.At(0).Hex(v, 12);
            cells.At(1).Number(v);
            cells.At(2).Size(v, sizes);
            cells.At(3).Text("n").Number(v % 1000);
        }, ["total", "1", "2", "three"]));
        string fromStrings = Table(output => TextTable.Write(output, columns, values, (v, cells) =>
        {
            cells[0] = v.ToString("x12");
            cells[1] = v.ToString(System.Globalization.CultureInfo.InvariantCulture);
            cells[2] = sizes.Text(v);
            cells[3] = $"n{v % 1000}";
        }, ["total", "1", "2", "three"]));
        Assert.Equal(fromStrings, measured);
        Assert.Contains("ffffffffffffffff  18446744073709551615", measured);
    }
}
