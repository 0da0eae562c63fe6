using System.Text;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;

namespace PageAtlas.Tests;

/// <summary>Names other users choose (process names, file names) are bytes: parsed whole, kept distinct, shown harmlessly.</summary>
public class HostileNameTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a\u001b[2Jb", "a\\e[2Jb")]
    [InlineData("cr\rlf\n", "cr\\rlf\\n")]
    [InlineData("tab\tdel\u007f", "tab\\tdel\\x7f")]
    [InlineData("csi\u009bnel\u0085", "csi\\x9bnel\\x85")]
    [InlineData("rlo\u202eabc", "rlo\\u{202e}abc")]
    [InlineData("ls\u2028ps\u2029", "ls\\u{2028}ps\\u{2029}")]
    [InlineData("pair\ud83d\ude00kept", "pair\ud83d\ude00kept")]
    [InlineData("libc.so.6 ünïcødé", "libc.so.6 ünïcødé")]
    public void EscapeShowsEveryControlVisibly(string text, string shown) =>
        Assert.Equal(shown, TerminalText.Escape(text));

    [Fact]
    public void LoneSurrogatesAreShownAsBytesOrCodes()
    {
        // (Not InlineData: xunit's test names cannot carry lone surrogates.)
        Assert.Equal("bytes\\xff\\x80", TerminalText.Escape("bytes\udcff\udc80"));
        Assert.Equal("lone\\u{d800}high", TerminalText.Escape("lone\ud800high"));
        Assert.Equal("low\\u{dc00}", TerminalText.Escape("low\udc00"));
    }

    [Fact]
    public void EscapeKeepingLineBreaksEscapesEverythingElse() =>
        Assert.Equal("one\\e[2J\ntwo\\r\n", TerminalText.Escape("one\u001b[2J\ntwo\r\n", keepLineBreaks: true));

    [Fact]
    public void WriterLetsNoControlThroughButItsOwnLineBreaks()
    {
        var output = new StringWriter();
        using (var writer = new TerminalTextWriter(output, leaveOpen: true))
        {
            writer.Write("a\u001b]0;title\u0007");
            writer.Write('\r');
            writer.WriteLine("b\u009b");
            writer.WriteLine($"c{'\u202e'}");
        }
        Assert.Equal("a\\e]0;title\\x07\\rb\\x9b\nc\\u{202e}\n", output.ToString());
    }

    [Fact]
    public void InvalidUtf8BytesAreKeptOneByOne()
    {
        byte[] name = [(byte)'o', 0xff, 0xfe, (byte)'\n', 0xe2, 0x80, (byte)'x', 0xc3, 0xa9, 0xe2];
        string decoded = KernelText.Decode(name);
        Assert.Equal("o\udcff\udcfe\n\udce2\udc80x\u00e9\udce2", decoded);
        Assert.Equal("o\\xff\\xfe\\n\\xe2\\x80x\u00e9\\xe2", TerminalText.Escape(decoded));
        // Two names that differ only in their invalid bytes stay two names.
        Assert.NotEqual(KernelText.Decode([0xff]), KernelText.Decode([0xfe]));
        Assert.Equal("caf\u00e9", KernelText.Decode(Encoding.UTF8.GetBytes("caf\u00e9")));
    }

    [Fact]
    public void MapsLinesEndOnlyAtNewlines()
    {
        // A path may hold CR, NEL (U+0085), LS and PS: each ended a line for EnumerateLines.
        string maps = "7f0000000000-7f0000001000 r--p 00000000 fe:00 9 /tmp/a\rb\u0085c\u2028d\u2029e\u000cf\n"
                      + "7f0000001000-7f0000002000 r--p 00000000 fe:00 10 /tmp/x (deleted)\n";
        var vmas = ProcMaps.Parse(maps);
        Assert.Equal(2, vmas.Count);
        Assert.Equal("/tmp/a\rb\u0085c\u2028d\u2029e\u000cf", vmas[0].Path);
        Assert.True(vmas[1].IsDeleted);
    }

    [Fact]
    public void SmapsHeaderWithHostilePathDoesNotFakeAField()
    {
        string smaps = "7f0000000000-7f0000001000 r--p 00000000 fe:00 9 /tmp/a\rKernelPageSize: x kB\n"
                       + "KernelPageSize:        4 kB\n";
        Assert.Equal(4096UL, ProcSmaps.KernelPageSize(smaps, 0x7f0000000000));
    }

    [Fact]
    public void StatusValueWithCarriageReturnStaysOneField()
    {
        var status = ProcStatus.Parse("VmPTE:\t  12 kB\nName:\tevil\rVmPTE:\t999999 kB\n");
        Assert.Equal(12UL * 1024, status.PageTableBytes);
    }
}

/// <summary>A search across processes survives one process whose kernel files cannot be parsed.</summary>
public class FrameOwnersSurvivalTests
{
    [Fact]
    public void AProcessThatCannotBeParsedIsANoteNotAFailure()
    {
        var owner = new FakeTarget(Paging.PagingMode.FourLevel, pid: 10).Vma(0x1000, 0x3000).Present(0x2000, pfn: 0x1234);
        var report = Analysis.FrameOwners.Find(0x1234, new FakeFrameSource(null, null), [10, 11], pid => pid == 10
            ? owner
            : throw new KernelDataException("/proc/11/maps: line 9: expected hexadecimal start address"), null, null);
        var mapping = Assert.Single(report.Mappings);
        Assert.Equal(10, mapping.Pid);
        Assert.Equal(0x2000UL, mapping.Address);
        Assert.Contains(report.Notes, n => n.Contains("(11)", StringComparison.Ordinal) && n.Contains("/proc/11/maps", StringComparison.Ordinal));
    }
}
