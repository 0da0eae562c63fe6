using PageAtlas.Analysis;
using PageAtlas.Model;
using PageAtlas.Paging;

namespace PageAtlas.Tests;

/// <summary>
/// Frames held in arrays (flags and map counts, PFN 0 up) and machine files held as text: the seam
/// the analyses read through, with no /proc behind it. With no frames given it reads none, as a
/// snapshot does, and answers with <see cref="Tallies"/>.
/// </summary>
internal sealed class FakeFrameSource(ulong[]? flags, ulong[]? counts, Dictionary<MachineFile, string>? files = null, FrameTallies? tallies = null) : IFrameSource
{
    public MachineInfo Machine { get; } = new("test", 4096, PagingMode.FourLevel);

    public ulong FrameLimit => (ulong)(flags?.Length ?? (int)(tallies?.Cells.Sum(c => (long)c.Frames) ?? 0));

    public bool ReadsFrames => flags is not null;

    public FrameTallies? Tallies => flags is null ? tallies : null;

    public WorkProgress? Progress { get; set; }

    public CancellationToken Cancellation { get; set; }

    /// <summary>Chunks handed out by <see cref="Scan{TState}"/>: small, so that an analysis meets chunk edges.</summary>
    public int ChunkFrames { get; init; } = 1000;

    public void Read(ulong firstPfn, Span<ulong> flagWords, Span<ulong> countWords)
    {
        var (f, c) = Frames();
        for (int i = 0; i < flagWords.Length; i++)
        {
            ulong pfn = firstPfn + (ulong)i;
            flagWords[i] = pfn < (ulong)f.Length ? f[pfn] : 0;
            if (i < countWords.Length) countWords[i] = pfn < (ulong)c.Length ? c[pfn] : 0;
        }
    }

    public void Scan<TState>(ulong startPfn, ulong endPfn, MapCountReading counts, Func<TState> createState, FrameChunkAction<TState> onChunk, Action<TState> merge)
    {
        var (f, c) = Frames();
        var state = createState();
        for (ulong first = startPfn; first < endPfn; first += (ulong)ChunkFrames)
        {
            Cancellation.ThrowIfCancellationRequested();
            int length = (int)Math.Min((ulong)ChunkFrames, endPfn - first);
            // As the kernel's reader: counts not asked for are 0.
            var read = new ulong[counts != MapCountReading.None ? length : 0];
            for (int i = 0; i < read.Length; i++) read[i] = counts.Reads(f[(int)first + i]) ? c[(int)first + i] : 0;
            onChunk(state, first, f.AsSpan((int)first, length), read);
        }
        merge(state);
    }

    public string? ReadMachineFile(MachineFile file) => files is not null && files.TryGetValue(file, out var text) ? text : null;

    public ulong? ReaderResidentBytes() => null;

    public void Dispose()
    {
    }

    private (ulong[] Flags, ulong[] Counts) Frames() => flags is null
        ? throw new NotSupportedException("this fake keeps no frames")
        : (flags, counts ?? new ulong[flags.Length]);
}
