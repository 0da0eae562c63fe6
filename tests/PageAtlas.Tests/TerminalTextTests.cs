using PageAtlas.Rendering;

namespace PageAtlas.Tests;

public class TerminalTextTests
{
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
