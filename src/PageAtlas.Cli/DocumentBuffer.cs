using System.Buffers;

namespace PageAtlas.Cli;

/// <summary>
/// A whole document held in memory until it is complete (see <see cref="CommonOptions.WriteJsonDocument"/>),
/// in chunks of its own: a growing array copies everything written at each doubling and holds the
/// old array meanwhile (maps --json of 20,000 VMAs is 11 MB, and a doubling buffer touched three
/// times that), where chunks hold each byte once. Or, given a stream to write through
/// (<see cref="CommonOptions.WriteJsonReport"/>), a document that goes out as it is formed, each
/// full chunk written and reused: its memory is one chunk however long the document.
/// </summary>
/// <param name="through">Where full chunks are written as they fill, or null to hold the whole document.</param>
internal sealed class DocumentBuffer(Stream? through = null) : IBufferWriter<byte>
{
    private const int ChunkBytes = 256 * 1024;
    private readonly List<(byte[] Chunk, int Used)> _full = [];
    private byte[] _current = new byte[64 * 1024];
    private int _used;

    /// <inheritdoc/>
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _current.Length - _used);
        _used += count;
    }

    /// <inheritdoc/>
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _current.AsMemory(_used);
    }

    /// <inheritdoc/>
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _current.AsSpan(_used);
    }

    /// <summary>Writes the document, chunk by chunk, to <paramref name="output"/>.</summary>
    public void CopyTo(Stream output)
    {
        foreach (var (chunk, used) in _full) output.Write(chunk, 0, used);
        output.Write(_current.AsSpan(0, _used));
    }

    /// <summary>Writes what the buffer holds to the stream it writes through.</summary>
    public void Flush()
    {
        through?.Write(_current, 0, _used);
        _used = 0;
    }

    private void Reserve(int sizeHint)
    {
        int needed = Math.Max(sizeHint, 1);
        if (_current.Length - _used >= needed) return;
        if (through is not null)
        {
            Flush();
            if (_current.Length < needed) _current = new byte[needed];
            return;
        }
        _full.Add((_current, _used));
        _current = new byte[Math.Max(ChunkBytes, needed)];
        _used = 0;
    }
}
