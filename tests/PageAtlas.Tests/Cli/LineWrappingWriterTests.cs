using PageAtlas.Cli;

namespace PageAtlas.Tests.Cli;

/// <summary>The page-table tree's long lines broken for a terminal: between words only, colour codes taking no width.</summary>
public class LineWrappingWriterTests
{
    private static string[] Wrapped(string text, int width)
    {
        var output = new StringWriter();
        using (var writer = new LineWrappingWriter(output, width)) writer.Write(text);
        return output.ToString().Split('\n');
    }

    [Fact]
    public void ALongLineBreaksAtASpaceAndContinuesFourColumnsUnderItsText()
    {
        var lines = Wrapped("      PTE pgd[171]/pud[122]/pmd[31]/pte  covers 0x559e83e00000–0x559e84000000, 11 of 512 entries used\n", 80);
        Assert.Equal(["      PTE pgd[171]/pud[122]/pmd[31]/pte  covers 0x559e83e00000–0x559e84000000,", "          11 of 512 entries used", ""], lines);
    }

    [Fact]
    public void ColourCodesTakeNoWidthAndNoLineEndsInABlank()
    {
        string line = "        entries 16–31: 16 present, PFNs within 0x204c7f–0x5fe931, not contiguous  \e[35m[anon]\e[0m\n";
        var lines = Wrapped(line, 80);
        Assert.Equal("        entries 16–31: 16 present, PFNs within 0x204c7f–0x5fe931, not contiguous", lines[0]);
        Assert.Equal("            \e[35m[anon]\e[0m", lines[1]);
        // The same line fits whole at 90 columns: the codes are not counted.
        Assert.Equal(line.TrimEnd('\n'), Wrapped(line, 90)[0]);
    }

    [Fact]
    public void AWordLongerThanTheRoomStaysWhole()
    {
        string address = "0x" + new string('f', 100);
        var lines = Wrapped($"  covers {address}\n", 40);
        Assert.Equal(["  covers", $"      {address}", ""], lines);
    }
}
