namespace PageAtlas.Cli;

/// <summary>
/// Writes a long table's rows on two threads: once the widths are known every row formats on its
/// own, so a second thread formats every other chunk of rows into a buffer while the first formats
/// and writes the chunks between, then writes the buffered chunk in its place. The output is the
/// same bytes, in the same order. maps of 20,000 VMAs spent a quarter of its time formatting rows
/// after its pages were read, on one core; page-types prints no table and takes no longer than that.
/// <para>
/// At most <see cref="Buffers"/> chunks are held (some 300 KB each at 1,024 maps rows): the table
/// still streams. The second thread stops when the first does (a failed write, a failed row);
/// a failure on the second thread reaches the caller in the first's place (<see cref="BufferRelay{TBuffer}"/>).
/// </para>
/// </summary>
internal static class TableRowsOnTwoThreads
{
    /// <summary>Rows a chunk holds: enough that a hand-over costs nothing next to formatting them.</summary>
    internal const int ChunkRows = 1024;

    /// <summary>Chunks formatted ahead and not yet written, at most.</summary>
    private const int Buffers = 2;

    /// <summary>Whether <paramref name="rows"/> rows are worth a second thread (about 0.1 ms to start): four chunks or more, and a second core.</summary>
    public static bool Worth(int rows) => rows >= 4 * ChunkRows && Environment.ProcessorCount > 1;

    /// <summary>
    /// Writes <paramref name="rows"/> through <paramref name="table"/> (whose widths are fitted),
    /// <paramref name="fill"/> running on two threads at once: it must only read what it is given.
    /// </summary>
    public static void Write<T>(TextTable table, TextOutput output, IReadOnlyList<T> rows, Action<T, RowCells> fill)
    {
        int chunks = (rows.Count + ChunkRows - 1) / ChunkRows;
        var buffers = new List<ChunkText>(Buffers);
        for (int i = 0; i < Buffers; i++) buffers.Add(new ChunkText(table, output.Layout));
        try
        {
            // The second thread formats the odd chunks, 1, 3, 5…; the caller the even ones, in line.
            int odd = 1;
            using var relay = new BufferRelay<ChunkText>("table rows", buffers, chunk =>
            {
                chunk.Format(rows, odd, fill);
                odd += 2;
                return odd < chunks;
            });
            for (int c = 0; c < chunks; c++)
            {
                if (c % 2 == 0)
                {
                    for (int r = c * ChunkRows; r < Math.Min(rows.Count, (c + 1) * ChunkRows); r++) table.WriteRow(rows[r], fill);
                    continue;
                }
                if (!relay.TryTake(out var chunk)) throw new InvalidOperationException($"the second thread of a table ended before chunk {c} of its rows");
                output.WriteEscaped(chunk.Text);
                relay.Return(chunk);
            }
        }
        finally
        {
            // After the relay is disposed (its thread ended): no fill is using them.
            foreach (var buffer in buffers) buffer.Dispose();
        }
    }

    /// <summary>One chunk's lines, as the table would have written them to the output (escaped, colour codes included).</summary>
    private sealed class ChunkText : IDisposable
    {
        private readonly CharBufferWriter _buffer = new();
        private readonly TextOutput _output;
        private readonly TextTable _table;

        public ChunkText(TextTable table, TextLayout layout)
        {
            _output = new TextOutput(_buffer, layout);
            _table = table.ForOutput(_output);
        }

        public void Dispose() => _output.Dispose();

        public ReadOnlySpan<char> Text => _buffer.Written;

        /// <summary>Formats chunk <paramref name="chunk"/>'s rows, replacing what the buffer held.</summary>
        public void Format<T>(IReadOnlyList<T> rows, int chunk, Action<T, RowCells> fill)
        {
            _buffer.Clear();
            for (int r = chunk * ChunkRows; r < Math.Min(rows.Count, (chunk + 1) * ChunkRows); r++) _table.WriteRow(rows[r], fill);
        }
    }

    /// <summary>A text writer into one reused, growing array of characters.</summary>
    private sealed class CharBufferWriter : TextWriter
    {
        private char[] _chars = new char[64 * 1024];
        private int _length;

        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public ReadOnlySpan<char> Written => _chars.AsSpan(0, _length);

        public void Clear() => _length = 0;

        public override void Write(char value) => Write([value]);

        public override void Write(string? value) => Write(value.AsSpan());

        public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

        public override void Write(ReadOnlySpan<char> buffer)
        {
            if (_length + buffer.Length > _chars.Length) Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _length + buffer.Length));
            buffer.CopyTo(_chars.AsSpan(_length));
            _length += buffer.Length;
        }
    }
}
