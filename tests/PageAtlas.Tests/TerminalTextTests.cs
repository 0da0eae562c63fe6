using PageAtlas.Rendering;

namespace PageAtlas.Tests;

public class TerminalTextTests
{
    /// <summary>The set the escaper searches for, built from ranges, is exactly the characters IsUnsafe names (all 65,536 tried).</summary>
    [Fact]
    public void SuspectsAreExactlyTheUnsafeCharacters()
    {
        var expected = Enumerable.Range(0, 0x10000).Select(c => (char)c).Where(TerminalText.IsUnsafe).ToArray();
        Assert.Equal(new string(expected), TerminalText.Suspects());
    }

    [Theory]
    [InlineData("python3", "python3")]
    [InlineData("/usr/lib/libc.so.6 (deleted)", "/usr/lib/libc.so.6 (deleted)")]
    [InlineData("Grüße/файл", "Grüße/файл")]
    [InlineData("a\nb\rc\td", "a\\nb\\rc\\td")]
    [InlineData("\e]0;owned\a", "\\e]0;owned\\x07")]
    [InlineData("\u009b2J", "\\x9b2J")]
    [InlineData("x\u007f", "x\\x7f")]
    [InlineData("evil\u202Etxt.exe", "evil\\u{202e}txt.exe")]
    public void ControlCharactersBecomeVisibleEscapes(string raw, string shown) => Assert.Equal(shown, TerminalText.Escape(raw));

    [Fact]
    public void NothingLeftActsOnATerminal()
    {
        for (int c = 0; c < 0x3000; c++)
        {
            string shown = TerminalText.Escape(((char)c).ToString());
            Assert.All(shown, ch => Assert.False(TerminalText.IsUnsafe(ch), $"U+{c:x4} left {shown}"));
        }
    }
}

public class TerminalSafeJsonEncoderTests
{
    private static string Json(string value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, new System.Text.Json.JsonWriterOptions { Encoder = TerminalSafeJsonEncoder.Instance }))
            writer.WriteStringValue(value);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Theory]
    [InlineData("evil\u202Etxt.exe", "\"evil\\u202Etxt.exe\"")]
    [InlineData("a\u200Fb\u2066c\u061C", "\"a\\u200Fb\\u2066c\\u061C\"")]
    [InlineData("Grüße файл <x>", "\"Grüße файл <x>\"")]
    [InlineData("\e[2J\n", "\"\\u001B[2J\\n\"")]
    public void BidiControlsAreEscapedAndNamesStayReadable(string value, string json) => Assert.Equal(json, Json(value));

    [Fact]
    public void TheEscapedValueDecodesToTheExactName()
    {
        string name = "x\u202E\u2069y\u00e9\u0442";
        Assert.Equal(name, System.Text.Json.JsonDocument.Parse(Json(name)).RootElement.GetString());
        Assert.DoesNotContain(Json(name), c => TerminalText.IsBidiControl(c));
    }
}
