using PageAtlas.Analysis;
using PageAtlas.Cli;

namespace PageAtlas.Tests.Cli;

/// <summary>
/// Warnings and notes on stderr: on a terminal broken between words at its width, so that the
/// terminal does not cut a word or a number in two; in a file or a pipe one line each.
/// </summary>
public sealed class MessageWidthTests
{
    // ps's note when processes vanished and one was refused: over 190 columns as one line.
    private static readonly string s_note = ProcessScan.SkippedNote(3, 1)!;

    private static string[] NoteAt(int? width)
    {
        var error = new StringWriter();
        var console = CliConsole.Captured(() => Stream.Null, TextWriter.Null, error, null, messageWidth: width);
        console.Note(s_note);
        return error.ToString().TrimEnd('\n').Split('\n');
    }

    /// <summary>Before: one line of 194 columns, which an 80-column terminal cut wherever the 80th column fell.</summary>
    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    public void ANoteOnATerminalIsBrokenBetweenWordsAtItsWidth(int width)
    {
        var lines = NoteAt(width);
        Assert.True(lines.Length > 1);
        Assert.All(lines, l => Assert.True(l.Length <= width, $"{l.Length} columns: {l}"));
        Assert.All(lines.Skip(1), l => Assert.StartsWith("  ", l, StringComparison.Ordinal));
        Assert.Equal($"pageatlas: note: {s_note}", string.Join(' ', lines.Select(l => l.Trim())));
    }

    [Fact]
    public void ANoteInAPipeIsOneLine() => Assert.Equal([$"pageatlas: note: {s_note}"], NoteAt(null));

    [Theory]
    [InlineData(1, 0, "1 process exited while the list was read and is not in it")]
    [InlineData(2, 0, "2 processes exited while the list was read and are not in it")]
    [InlineData(0, 1, "1 process could not be read (permission denied: not root, or a process even root may not trace) and is not in it")]
    public void TheSkippedNoteCountsInWords(int vanished, int refused, string note) => Assert.Equal(note, ProcessScan.SkippedNote(vanished, refused));

    [Fact]
    public void NothingSkippedIsNoNote() => Assert.Null(ProcessScan.SkippedNote(0, 0));
}
