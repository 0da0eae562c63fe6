using System.Text;
using PageAtlas.Linux;

namespace PageAtlas.Tests;

/// <summary>
/// A /proc file read in chunks (<see cref="ProcFileLines"/>, a large one on a second thread) is
/// handed on as runs of whole lines that together are the file, in order: files of every size
/// around the 64 KiB chunk, lines cut between chunks, lines longer than a chunk, a last line
/// without its newline; and a parser that fails ends the reading with its own exception.
/// </summary>
public sealed class ProcFileLinesTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pageatlas-lines-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string File(byte[] content)
    {
        string path = Path.Combine(_directory, Guid.NewGuid().ToString("N"));
        System.IO.File.WriteAllBytes(path, content);
        return path;
    }

    private static byte[] Content(int bytes, int seed, int longestLine)
    {
        var random = new Random(seed);
        var content = new List<byte>(bytes);
        while (content.Count < bytes)
        {
            int length = random.Next(0, longestLine);
            for (int i = 0; i < length && content.Count < bytes; i++) content.Add((byte)random.Next(32, 127));
            if (content.Count < bytes) content.Add((byte)'\n');
        }
        return [.. content];
    }

    public static readonly TheoryData<int, int> Sizes = new()
    {
        { 0, 100 }, { 1, 100 }, { 5_000, 100 }, { 32 * 1024 - 1, 100 }, { 32 * 1024, 100 }, { 65_535, 100 },
        { 65_536, 100 }, { 65_537, 100 }, { 200_000, 100 }, { 1_000_000, 90 }, { 300_000, 70_000 }, { 1_000_000, 150_000 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void TheRunsAreTheFileInWholeLines(int bytes, int longestLine)
    {
        foreach (bool lastNewline in new[] { true, false })
        {
            var content = Content(bytes, seed: bytes + longestLine, longestLine).ToList();
            if (lastNewline && content.Count > 0 && content[^1] != (byte)'\n') content.Add((byte)'\n');
            if (!lastNewline && content.Count > 0 && content[^1] == (byte)'\n') content[^1] = (byte)'x';
            var read = new List<byte>();
            var runs = new List<byte[]>();
            ProcFileLines.Read(File([.. content]), run =>
            {
                runs.Add(run.ToArray());
                read.AddRange(run.ToArray());
            });
            Assert.Equal(content, read);
            // Every run but the file's last ends a line, and none is empty.
            for (int i = 0; i < runs.Count; i++)
            {
                Assert.NotEmpty(runs[i]);
                if (i < runs.Count - 1 || lastNewline) Assert.Equal((byte)'\n', runs[i][^1]);
            }
        }
    }

    [Theory]
    [InlineData(10)]
    [InlineData(500_000)]
    public void AParserThatFailsEndsTheReading(int failAt)
    {
        string path = File(Content(1_000_000, seed: 3, longestLine: 100));
        long seen = 0;
        var failure = Assert.Throws<InvalidDataException>(() => ProcFileLines.Read(path, run =>
        {
            seen += run.Length;
            if (seen > failAt) throw new InvalidDataException("refused");
        }));
        Assert.Equal("refused", failure.Message);
    }

    /// <summary>The maps of 20,000 VMAs, parsed as it is read, are the VMAs of the whole file parsed at once, line numbers in errors included.</summary>
    [Fact]
    public void MapsParsedAsReadAreTheWholeFilesVmas()
    {
        var maps = new StringBuilder();
        for (int i = 0; i < 20_000; i++)
            maps.Append(System.Globalization.CultureInfo.InvariantCulture, $"{0x7f0000000000L + i * 0x2000L:x}-{0x7f0000001000L + i * 0x2000L:x} rw-p 00000000 00:00 0 {(i % 5 == 0 ? "/usr/lib/libx.so" : "")}\n");
        byte[] good = Encoding.ASCII.GetBytes(maps.ToString());
        var lines = new ProcMaps.Lines("maps");
        ProcFileLines.Read(File(good), lines.Parse);
        Assert.Equal(ProcMaps.Parse(good, "maps"), lines.Vmas);

        byte[] bad = Encoding.ASCII.GetBytes(maps.ToString().Replace("7f000001e000-7f000001f000 rw-p", "7f000001e000-7f000001f000 rw-q", StringComparison.Ordinal));
        string whole = Assert.Throws<KernelDataException>(() => ProcMaps.Parse(bad, "maps")).Message;
        Assert.Contains("line 16", whole);
        Assert.Equal(whole, Assert.Throws<KernelDataException>(() => ProcFileLines.Read(File(bad), new ProcMaps.Lines("maps").Parse)).Message);
    }
}
