using System.Text;
using FsCheck.Xunit;
using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.Tests;

/// <summary>
/// A live process's maps is parsed from the kernel's bytes (ProcMaps.Parse of bytes), the corpus and
/// the tests mostly from text: both must read every file to the same VMAs, or refuse it in the same words.
/// </summary>
public class ProcMapsBytesTests
{
    private static string Folder => Path.Combine(AppContext.BaseDirectory, "Corpus", "maps");

    public static TheoryData<string> CorpusFiles()
    {
        var files = new TheoryData<string>();
        foreach (string file in Directory.GetFiles(Folder, "*.maps").Order(StringComparer.Ordinal)) files.Add(Path.GetFileName(file));
        return files;
    }

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public void BytesReadAsTheirText(string file) => AssertSameReading(File.ReadAllBytes(Path.Combine(Folder, file)));

    [Fact]
    public void PathsBeyondUtf8AndEscapesReadAsTheirText()
    {
        // A name that is not UTF-8 (0xff, a cut 3-byte sequence before the escape), one with an escaped
        // newline and a literal backslash, a deleted one, and the same file twice (the second shares the first's string).
        byte[] maps = Encoding.Latin1.GetBytes(
            "7f0000000000-7f0000001000 r--p 00000000 fe:00 9                          /tmp/\u00ff\u00e2\u0082\\012x\\y (deleted)\n" +
            "7f0000001000-7f0000002000 r--p 00001000 fe:00 9                          /tmp/\u00ff\u00e2\u0082\\012x\\y (deleted)\n" +
            "7f0000002000-7f0000003000 rw-p 00000000 00:00 0 \n" +
            "7f0000003000-7f0000004000 rw-p 00000000 00:00 0                          [heap]\n");
        var vmas = AssertSameReading(maps);
        Assert.Equal("/tmp/\uDCFF\uDCE2\uDC82\nx\\y", vmas[0].Path);
        Assert.True(vmas[1].IsDeleted);
        Assert.Equal("", vmas[2].Path);
    }

    /// <summary>An inode with a character below '0' is refused as malformed, not an overflow (the Debug build checks arithmetic).</summary>
    [Theory]
    [InlineData("-5")]
    [InlineData("+5")]
    [InlineData("5/")]
    [InlineData("18446744073709551616")]
    public void AnInodeThatIsNotDigitsIsRefused(string inode)
    {
        var e = Assert.Throws<KernelDataException>(() => ProcMaps.Parse(Encoding.ASCII.GetBytes($"7f0000000000-7f0000001000 r--p 00000000 fe:00 {inode} /x\n"), "maps"));
        Assert.Equal("maps: line 1: expected decimal inode", e.Message);
        AssertSameReading(Encoding.ASCII.GetBytes($"7f0000000000-7f0000001000 r--p 00000000 fe:00 {inode} /x\n"));
    }

    /// <summary>
    /// A line cut after "r-" whose next bytes are one UTF-8 character (C2 80): three characters as text
    /// but four bytes, so the bytes were taken as permissions and refused later, at the offset (found by
    /// <see cref="AnyLinesReadAsTheirText"/>'s random cases). Both refuse it as permissions now, and so
    /// any four bytes that are not what the kernel writes there.
    /// </summary>
    [Theory]
    [InlineData(new byte[] { (byte)'r', (byte)'-', 0xc2, 0x80 })]
    [InlineData(new byte[] { (byte)'r', (byte)'w', (byte)'x', (byte)'q' })]
    [InlineData(new byte[] { (byte)'R', (byte)'-', (byte)'-', (byte)'p' })]
    [InlineData(new byte[] { (byte)'r', (byte)'-', (byte)'-' })]
    public void PermissionsAreRefusedAlikeFromBytesAndText(byte[] permissions)
    {
        var line = Encoding.ASCII.GetBytes("7f00-7f10 ").Concat(permissions).Concat(Encoding.ASCII.GetBytes(" 00000000 fe:00 0\n")).ToArray();
        var refusal = Assert.Throws<KernelDataException>(() => ProcMaps.Parse(line, "maps"));
        Assert.Contains("permissions like 'r-xp'", refusal.Message);
        AssertSameReading(line);
    }

    /// <summary>Whatever bytes follow the fixed fields (paths of any bytes, escapes, broken lines), both readings agree.</summary>
    [Property(MaxTest = 500)]
    public bool AnyLinesReadAsTheirText(byte[][] paths, bool[] broken)
    {
        var maps = new List<byte>();
        for (int i = 0; i < paths.Length; i++)
        {
            // Mostly well-formed lines; a few cut short, which both must refuse at the same line.
            string fields = i < broken.Length && broken[i] && i % 7 == 3 ? "7f00-7f10 r-" : $"{i:x}000-{i + 1:x}000 rw-p 00000000 fe:01 {i} ";
            maps.AddRange(Encoding.ASCII.GetBytes(fields));
            maps.AddRange(paths[i].Select(b => b == (byte)'\n' ? (byte)'\\' : b));
            if (i % 3 == 1) maps.AddRange(Encoding.ASCII.GetBytes("\\012 (deleted)"));
            maps.Add((byte)'\n');
        }
        AssertSameReading(maps.ToArray());
        return true;
    }

    private static List<Vma> AssertSameReading(byte[] maps)
    {
        List<Vma>? fromText = null, fromBytes = null;
        string? textRefusal = null, bytesRefusal = null;
        try { fromText = ProcMaps.Parse(KernelText.Decode(maps), "maps"); }
        catch (KernelDataException e) { textRefusal = e.Message; }
        try { fromBytes = ProcMaps.Parse(maps, "maps"); }
        catch (KernelDataException e) { bytesRefusal = e.Message; }
        Assert.Equal(textRefusal, bytesRefusal);
        Assert.Equal(fromText, fromBytes);
        return fromBytes ?? [];
    }
}
