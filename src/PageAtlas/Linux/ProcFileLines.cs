using System.Buffers;

namespace PageAtlas.Linux;

/// <summary>What to do with a run of whole lines of a file (each ends in '\n', but perhaps the file's last).</summary>
internal delegate void LinesParser(ReadOnlySpan<byte> lines);

/// <summary>
/// Reads a /proc text file in chunks and hands its whole lines on as they arrive. A file larger
/// than one chunk is read on a second thread while the caller's thread parses the chunks before:
/// the kernel writes /proc/&lt;pid&gt;/maps as it is read (1 MB for 20,000 VMAs, some 7 ms of
/// its time), and parsing the whole of it after the last read cost `maps` a tenth of its time.
/// <para>
/// At most <see cref="Buffers"/> chunks are held; a line cut between two chunks is joined first.
/// The file stays bounded by <see cref="ProcFs.MaxTextBytes"/>. A failed read on the second thread
/// reaches the caller as it was thrown; a parser that throws stops the second thread, which is
/// joined before the file is closed.
/// </para>
/// </summary>
internal static class ProcFileLines
{
    /// <summary>Bytes a chunk holds: about 1,300 maps lines.</summary>
    private const int ChunkBytes = 64 * 1024;

    /// <summary>
    /// Room left in a chunk below which it is handed on: the kernel's seq_file answers a read of
    /// /proc/&lt;pid&gt;/maps with about one page (4 KiB) whatever was asked, so a chunk is filled
    /// by several reads, and handed over a sixteenth as often as a read is made.
    /// </summary>
    private const int Slack = 8 * 1024;

    /// <summary>Chunks read and not yet parsed, at most (and so buffers held).</summary>
    private const int Buffers = 3;

    /// <summary>
    /// Reads the file at <paramref name="path"/> (it must exist: opening errors are the caller's to
    /// translate), handing its whole lines, in order, to <paramref name="lines"/>. A file that fits
    /// in one chunk (a process of up to about 1,300 VMAs) is read on the caller's thread alone.
    /// </summary>
    /// <exception cref="KernelDataException">The file is larger than <see cref="ProcFs.MaxTextBytes"/>.</exception>
    public static void Read(string path, LinesParser lines)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        var joiner = new LineJoiner(path, lines);
        byte[] first = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            int n = Fill(file, first, out bool ended);
            joiner.Count(n);
            if (ended)
            {
                joiner.Add(first.AsSpan(0, n));
                joiner.End();
                return;
            }
            ReadOnTwoThreads(file, first, n, joiner);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(first);
        }
    }

    /// <summary>Reads into <paramref name="chunk"/> until less than <see cref="Slack"/> is left or the file ends.</summary>
    private static int Fill(FileStream file, byte[] chunk, out bool ended)
    {
        int length = 0;
        int size = Math.Min(chunk.Length, ChunkBytes);
        while (size - length >= Slack)
        {
            int n = file.Read(chunk, length, size - length);
            if (n == 0)
            {
                ended = true;
                return length;
            }
            length += n;
        }
        ended = false;
        return length;
    }

    private static void ReadOnTwoThreads(FileStream file, byte[] first, int firstLength, LineJoiner joiner)
    {
        var chunks = new List<Chunk>(Buffers);
        for (int i = 0; i < Buffers; i++) chunks.Add(new Chunk(ArrayPool<byte>.Shared.Rent(ChunkBytes)));
        try
        {
            using var relay = new BufferRelay<Chunk>("proc reading", chunks, chunk =>
            {
                chunk.Length = Fill(file, chunk.Bytes, out chunk.Ended);
                return !chunk.Ended;
            });
            joiner.Add(first.AsSpan(0, firstLength));
            while (relay.TryTake(out var chunk))
            {
                // Counted before parsed: a file past the bound is refused before its bytes are used.
                joiner.Count(chunk.Length);
                joiner.Add(chunk.Bytes.AsSpan(0, chunk.Length));
                relay.Return(chunk);
            }
            joiner.End();
        }
        finally
        {
            // After the relay is disposed (its thread ended): no read is using them.
            foreach (var chunk in chunks) ArrayPool<byte>.Shared.Return(chunk.Bytes);
        }
    }

    /// <summary>A chunk of the file: its bytes, how many were read, and whether the file ended there.</summary>
    private sealed class Chunk(byte[] bytes)
    {
        public readonly byte[] Bytes = bytes;
        public int Length;
        public bool Ended;
    }

    /// <summary>Joins a line cut between two chunks, hands whole lines on, and keeps the file within its bound.</summary>
    private sealed class LineJoiner(string path, LinesParser lines)
    {
        private byte[] _cut = [];
        private int _cutLength;
        private long _total;

        /// <summary>Counts bytes read, refusing a file past <see cref="ProcFs.MaxTextBytes"/>.</summary>
        public void Count(int bytes)
        {
            _total += bytes;
            if (_total > ProcFs.MaxTextBytes) throw new KernelDataException($"{path} is larger than {ProcFs.MaxTextBytes / (1024 * 1024)} MiB: not read");
        }

        public void Add(ReadOnlySpan<byte> chunk)
        {
            if (_cutLength > 0)
            {
                int end = chunk.IndexOf((byte)'\n');
                if (end < 0)
                {
                    Keep(chunk);
                    return;
                }
                Keep(chunk[..(end + 1)]);
                lines(_cut.AsSpan(0, _cutLength));
                _cutLength = 0;
                chunk = chunk[(end + 1)..];
            }
            int last = chunk.LastIndexOf((byte)'\n');
            if (last >= 0) lines(chunk[..(last + 1)]);
            Keep(chunk[(last + 1)..]);
        }

        /// <summary>The file ended: a last line without its '\n' is handed on too.</summary>
        public void End()
        {
            if (_cutLength > 0) lines(_cut.AsSpan(0, _cutLength));
            _cutLength = 0;
        }

        private void Keep(ReadOnlySpan<byte> part)
        {
            if (part.IsEmpty) return;
            if (_cutLength + part.Length > _cut.Length) Array.Resize(ref _cut, Math.Max(256, Math.Max(2 * _cut.Length, _cutLength + part.Length)));
            part.CopyTo(_cut.AsSpan(_cutLength));
            _cutLength += part.Length;
        }
    }
}
