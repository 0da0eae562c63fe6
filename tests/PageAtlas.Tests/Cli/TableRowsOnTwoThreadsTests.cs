using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using PageAtlas.Cli;
using PageAtlas.Rendering;

namespace PageAtlas.Tests.Cli;

/// <summary>
/// A long table's rows formatted on two threads (<see cref="TableRowsOnTwoThreads"/>) and with widths
/// measured as rows arrived (<see cref="ColumnWidths"/>) are the same bytes as one thread measuring and
/// writing them: at chunk boundaries, with colour, at a narrow width and whole; and a row that fails
/// on either thread fails the table with its own exception, neither thread left waiting.
/// </summary>
public class TableRowsOnTwoThreadsTests
{
    private static readonly Column[] s_columns =
    [
        new("Start", ColumnKind.Address), new("Class", ColumnKind.Text, 2), new("Size", ColumnKind.Size, 3),
        new("Present", ColumnKind.Number), new("Rare", ColumnKind.Number, 1), new("Path", ColumnKind.Path),
    ];

    private sealed record Row(ulong Start, string Class, ulong Bytes, ulong Present, ulong Rare, string Path, bool Coloured);

    private static void Fill(Row row, RowCells cells)
    {
        cells.At(0).Hex(row.Start);
        cells.At(1).Text(TerminalText.Escape(row.Class)).Colour(row.Coloured ? TerminalColours.Reset : null);
        cells.At(2).Size(row.Bytes, new SizeFormat(SizeUnit.Human, 4096));
        cells.At(3).Number(row.Present);
        if (row.Rare != 0) cells.At(4).Number(row.Rare);
        cells.At(5).Text(TerminalText.Escape(row.Path));
    }

    private static List<Row> Rows(int count, int seed)
    {
        var random = new Random(seed);
        string[] classes = ["heap", "stack", "anon", "lib-code", "bss\u001b[2J", "file"];
        string[] paths = ["", "/usr/lib/x86_64-linux-gnu/libc.so.6", "[stack]", "/tmp/a very long directory name/and a file\r\nname", "/x"];
        return [.. Enumerable.Range(0, count).Select(i => new Row(
            (ulong)random.NextInt64() & 0x7fff_ffff_f000, classes[random.Next(classes.Length)], (ulong)random.Next(1, 1 << 30),
            (ulong)random.Next(0, 1 << random.Next(1, 20)), random.Next(50) == 0 ? (ulong)random.Next(1, 999) : 0,
            paths[random.Next(paths.Length)], random.Next(3) == 0))];
    }

    private static string Table(List<Row> rows, TextLayout layout, RowFill filling, bool measureAhead)
    {
        ColumnWidths? measured = null;
        if (measureAhead)
        {
            measured = new ColumnWidths(s_columns.Length);
            foreach (var row in rows) measured.Add(row, Fill);
        }
        var text = new StringWriter();
        using (var output = new TextOutput(text, layout))
            TextTable.WriteCells(output, s_columns, rows, Fill, filling, measured, ["total", "", "", "1", "", ""]);
        return text.ToString();
    }

    public static readonly TheoryData<int> Counts = [0, 1, 4095, 4096, 4097, 5120, 6143, 9000, 20_011];

    [Theory]
    [MemberData(nameof(Counts))]
    public void TwoThreadsWriteWhatOneWrites(int count)
    {
        var rows = Rows(count, seed: count);
        foreach (var layout in new[] { TextLayout.Whole, new TextLayout(80, true, SizeUnit.Human), new TextLayout(200, false, SizeUnit.Human) })
        {
            string one = Table(rows, layout, RowFill.OneThread, measureAhead: false);
            Assert.Equal(one, Table(rows, layout, RowFill.AnyThread, measureAhead: false));
            Assert.Equal(one, Table(rows, layout, RowFill.AnyThread, measureAhead: true));
            Assert.Equal(one, Table(rows, layout, RowFill.OneThread, measureAhead: true));
        }
    }

    [Property(MaxTest = 40)]
    public Property AnyRowsAnyWidth(PositiveInt seed, NonNegativeInt extra, bool colour)
    {
        var rows = Rows(TableRowsOnTwoThreads.ChunkRows * 4 + extra.Get % 3000, seed.Get);
        var layout = new TextLayout(60 + seed.Get % 160, colour, SizeUnit.Human);
        return (Table(rows, layout, RowFill.OneThread, false) == Table(rows, layout, RowFill.AnyThread, true)).ToProperty();
    }

    /// <summary>Rows 0–1,023 are the first thread's, 1,024–2,047 the second's (every other chunk).</summary>
    [Theory]
    [InlineData(10)]
    [InlineData(1500)]
    [InlineData(3500)]
    [InlineData(5999)]
    public async Task ARowThatFailsOnEitherThreadFailsTheTable(int failing)
    {
        var rows = Rows(6000, seed: 7);
        var bad = rows[failing];
        void Failing(Row row, RowCells cells)
        {
            if (ReferenceEquals(row, bad) && !cells.Measuring) throw new InvalidDataException($"row {failing}");
            Fill(row, cells);
        }
        var text = new StringWriter();
        using var output = new TextOutput(text, TextLayout.Whole);
        var table = Task.Run(() => TextTable.WriteCells(output, s_columns, rows, Failing, RowFill.AnyThread, null));
        // A hang is the failure this guards against: a generous bound, not a timing.
        var failure = await Assert.ThrowsAsync<InvalidDataException>(() => table.WaitAsync(TimeSpan.FromMinutes(1)));
        Assert.Equal($"row {failing}", failure.Message);
    }

    [Fact]
    public void MeasuredWidthsOfAnotherTableAreRefused()
    {
        var output = new TextOutput(new StringWriter(), TextLayout.Whole);
        Assert.Throws<ArgumentException>(() => TextTable.WriteCells(output, s_columns, Rows(3, 1), Fill, RowFill.OneThread, new ColumnWidths(2)));
    }

    [Fact]
    public void SelectedWidthsFollowTheColumnsChosen()
    {
        var widths = new ColumnWidths(3);
        widths.Add(0, (_, cells) => { cells.At(0).Text("ab"); cells.At(1).Text("abcdef"); cells.At(2).Number(12345); });
        var chosen = widths.Select([2, 0]);
        Assert.Equal((2, 5, 2), (chosen.Count, chosen[0], chosen[1]));
    }
}
