using System.Buffers;
using System.Text.Json;
using FsCheck.Xunit;
using PageAtlas.Analysis;
using PageAtlas.Model;
using PageAtlas.Paging;
using PageAtlas.Rendering;

namespace PageAtlas.Tests;

/// <summary>
/// The maps document's rows formed as bytes (<see cref="JsonRowBytes"/>) against the same rows
/// written call by call through Utf8JsonWriter: byte for byte the same document, indented as the
/// CLI writes it and compact as the explorer does, whatever the names hold (a row with a string the
/// encoder escapes goes through the writer).
/// </summary>
public class ResidencyJsonTests
{
    private static readonly string[] s_names =
    [
        "", "/usr/lib/x86_64-linux-gnu/libc.so.6", "[heap]", "[anon:arena]", "/tmp/Grüße файл", "/tmp/quote\"back\\slash",
        "/tmp/new\nline", "/tmp/evil\u202Etxt.exe", "/tmp/tab\there", "/tmp/lone\uD800surrogate", "/tmp/emoji 🙂", "/tmp/<html>&'",
    ];

    [Property(MaxTest = 200)]
    public void RowsFormedAsBytesAreTheWritersRows(int seed)
    {
        var random = new Random(seed);
        var target = new FakeTarget(PagingMode.FourLevel);
        ulong at = 0x10000;
        var kinds = Enum.GetValues<SegmentKind>();
        for (int v = random.Next(0, 12); v > 0; v--)
        {
            ulong end = at + (ulong)random.Next(1, 40) * 4096;
            string name = s_names[random.Next(s_names.Length)];
            var segment = new SegmentClass(kinds[random.Next(kinds.Length)], random.Next(3) == 0 ? null : s_names[random.Next(s_names.Length)],
                random.Next(4) == 0 ? random.Next() : null);
            var vma = new Vma(at, end, (VmaPermissions)random.Next(16), (ulong)random.NextInt64(), (uint)random.Next(4096), (uint)random.Next(1 << 20),
                random.Next(2) == 0 ? 0 : (ulong)random.NextInt64(), name, random.Next(5) == 0);
            target.VmaList.Add(new ClassifiedVma(vma, segment, random.Next(3) == 0 ? s_names[random.Next(s_names.Length)] : null));
            for (ulong page = at; page < end; page += 4096)
            {
                switch (random.Next(6))
                {
                    case 0 or 1: target.Present(page, (ulong)random.Next(1, 1 << 20)); break;
                    case 2: target.Swapped(page); break;
                    case 3 when random.Next(4) == 0: target.Guard(page); break;
                }
            }
            at = end + (ulong)random.Next(0, 3) * 4096;
        }
        var report = Residency.Measure(target);

        foreach (bool indented in new[] { true, false })
        {
            var options = new JsonWriterOptions { Indented = indented, Encoder = TerminalSafeJsonEncoder.Instance };
            string document = Document(report, options, rowsAsBytes: false);
            Assert.Equal(document, Document(report, options, rowsAsBytes: true));
            // Rows written as their VMAs are counted (maps --json): the same document.
            Assert.Equal(document, Document(target, options));
        }
    }

    [Fact]
    public void ARowWithANameTheEncoderEscapesIsWrittenByTheWriterAndTheOthersAsBytes()
    {
        var target = new FakeTarget(PagingMode.FourLevel)
            .FileVma(0x10000, 0x11000, "/tmp/evil\u202Etxt", new SegmentClass(SegmentKind.FileMapping, "/tmp/evil\u202Etxt"))
            .FileVma(0x11000, 0x12000, "/tmp/Grüße", new SegmentClass(SegmentKind.FileMapping, "/tmp/Grüße"));
        var options = new JsonWriterOptions { Indented = true, Encoder = TerminalSafeJsonEncoder.Instance };
        var report = Residency.Measure(target);
        var bytes = new JsonRowBytes(options);
        Assert.False(ResidencyJson.TryForm(bytes, report.Vmas[0], 2, 4096));
        Assert.True(ResidencyJson.TryForm(bytes, report.Vmas[1], 2, 4096));
        string document = Document(report, options, rowsAsBytes: true);
        Assert.Contains("\"path\": \"/tmp/evil\\u202Etxt\"", document, StringComparison.Ordinal);
        Assert.Equal(Document(Residency.Measure(target), options, rowsAsBytes: false), document);
    }

    private static string Document(FakeTarget target, JsonWriterOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, options)) ResidencyJson.Write(writer, target);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Document(ResidencyReport report, JsonWriterOptions options, bool rowsAsBytes)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, options)) ResidencyJson.Write(writer, report, FrameVisibility.Full, rowsAsBytes);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
