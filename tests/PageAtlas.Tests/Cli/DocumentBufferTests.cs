using System.Text.Json;
using PageAtlas.Cli;

namespace PageAtlas.Tests.Cli;

/// <summary>A JSON document written through a stream by <see cref="DocumentBuffer"/> reaches it byte for byte as one held whole does.</summary>
public sealed class DocumentBufferTests
{
    /// <summary>Records the size of every write, so the test sees the document go out in pieces.</summary>
    private sealed class RecordingStream : MemoryStream
    {
        public List<int> Writes { get; } = [];

        public override void Write(byte[] buffer, int offset, int count)
        {
            Writes.Add(count);
            base.Write(buffer, offset, count);
        }
    }

    private static void Document(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteStartArray("rows");
        for (int i = 0; i < 20_000; i++)
        {
            json.WriteStartObject();
            json.WriteNumber("index", i);
            json.WriteString("name", $"row {i}");
            json.WriteEndObject();
        }
        json.WriteEndArray();
        // One value larger than the document's buffer: it gets a buffer of its own size.
        json.WriteString("long", new string('x', 200_000));
        json.WriteEndObject();
    }

    [Fact]
    public void ADocumentLargerThanItsBufferIsWrittenWholeInPieces()
    {
        var whole = new DocumentBuffer();
        using (var json = new Utf8JsonWriter(whole, new JsonWriterOptions { Indented = true })) Document(json);
        using var held = new MemoryStream();
        whole.CopyTo(held);

        using var stream = new RecordingStream();
        var streamed = new DocumentBuffer(through: stream);
        using (var json = new Utf8JsonWriter(streamed, new JsonWriterOptions { Indented = true })) Document(json);
        streamed.Flush();

        Assert.Equal(held.ToArray(), stream.ToArray());
        Assert.True(stream.Writes.Count > 10, $"{stream.Writes.Count} writes");
        Assert.True(stream.Writes.SkipLast(2).All(n => n <= 64 * 1024), string.Join(",", stream.Writes));
    }
}
