using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using PageAtlas.Model;

namespace PageAtlas.Linux;

/// <summary>
/// Reads a live process's pages on a second thread while the caller works on those read before:
/// the kernel's part of a read (walking the page tables for pagemap, kpageflags and kpagecount:
/// half of `pages` or `maps` of 20,000 VMAs) overlaps the caller's part (counting, formatting).
/// The worker copies each batch into one of two chunks (double buffering) and hands a chunk over
/// when it is full; a chunk comes back to the worker only once the caller has moved past its last
/// batch, so a batch stays valid until the caller's enumerator moves on, as
/// <see cref="IMemoryTarget.ReadPages"/> promises. The batches, their order and their pages are the
/// source's own. An exception on the worker (the process exited) is thrown to the caller as it was;
/// when the caller stops early, the worker is stopped and waited for before the enumeration ends,
/// so the reader it uses is never disposed under it.
/// </summary>
internal static class PageReadAhead
{
    /// <summary>Two chunks: one the worker fills while the caller reads the other.</summary>
    private const int Chunks = 2;

    private sealed class Chunk(int capacity)
    {
        // Pooled: a command may read ahead range after range.
        public PageRecord[] Records = capacity == 0 ? [] : ArrayPool<PageRecord>.Shared.Rent(capacity);
        public int Used;
        public readonly List<(ClassifiedVma Vma, int Start, int Count)> Batches = [];
        /// <summary>The worker's last chunk: nothing follows it.</summary>
        public bool Last;
        public ExceptionDispatchInfo? Error;

        public void Clear()
        {
            Used = 0;
            Batches.Clear();
        }
    }

    /// <summary>
    /// The batches of <paramref name="source"/> (enumerated on a worker thread), handed over a chunk
    /// at a time once a chunk holds <paramref name="handOverPages"/> pages (the caller starts on the
    /// first pages early) or the next batch would not fit in its <paramref name="chunkPages"/>.
    /// <paramref name="whileFirstRead"/> runs on the caller's thread while the first chunk is read
    /// (work the caller needs next, done meanwhile).
    /// </summary>
    public static IEnumerable<PageBatch> Read(IEnumerable<PageBatch> source, int chunkPages, int handOverPages, Action? whileFirstRead = null)
    {
        using var stop = new CancellationTokenSource();
        using var free = new BlockingCollection<Chunk>(Chunks);
        using var filled = new BlockingCollection<Chunk>(Chunks);
        var chunks = new Chunk[Chunks];
        for (int i = 0; i < Chunks; i++) free.Add(chunks[i] = new Chunk(chunkPages));
        var worker = new Thread(() => Produce(source, handOverPages, free, filled, stop.Token)) { IsBackground = true, Name = "page read-ahead" };
        worker.Start();
        try
        {
            whileFirstRead?.Invoke();
            while (true)
            {
                var chunk = filled.Take();
                foreach (var (vma, start, count) in chunk.Batches) yield return new PageBatch(vma, chunk.Records.AsMemory(start, count));
                chunk.Error?.Throw();
                if (chunk.Last) yield break;
                chunk.Clear();
                free.Add(chunk);
            }
        }
        finally
        {
            stop.Cancel();
            worker.Join();
            foreach (var chunk in chunks) ArrayPool<PageRecord>.Shared.Return(chunk.Records);
        }
    }

    private static void Produce(IEnumerable<PageBatch> source, int handOverPages, BlockingCollection<Chunk> free, BlockingCollection<Chunk> filled, CancellationToken stop)
    {
        Chunk? chunk = null;
        try
        {
            chunk = free.Take(stop);
            foreach (var batch in source)
            {
                if (stop.IsCancellationRequested) return;
                int count = batch.Pages.Length;
                if (chunk.Used + count > chunk.Records.Length && chunk.Batches.Count > 0)
                {
                    filled.Add(chunk, stop);
                    chunk = free.Take(stop);
                }
                // A batch larger than a chunk (another source's batch size) gets a chunk its size.
                if (count > chunk.Records.Length)
                {
                    ArrayPool<PageRecord>.Shared.Return(chunk.Records);
                    chunk.Records = ArrayPool<PageRecord>.Shared.Rent(count);
                }
                batch.Pages.Span.CopyTo(chunk.Records.AsSpan(chunk.Used));
                chunk.Batches.Add((batch.Vma, chunk.Used, count));
                chunk.Used += count;
                if (chunk.Used >= handOverPages)
                {
                    filled.Add(chunk, stop);
                    chunk = free.Take(stop);
                }
            }
            chunk.Last = true;
            filled.Add(chunk, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The caller stopped reading: nothing more is wanted.
        }
        catch (Exception e)
        {
            // Handed to the caller after the batches read before it, where the caller would have met it.
            var failed = chunk ?? new Chunk(0);
            failed.Error = ExceptionDispatchInfo.Capture(e);
            failed.Last = true;
            try
            {
                filled.Add(failed, stop);
            }
            catch (OperationCanceledException)
            {
                // The caller has stopped already.
            }
        }
    }
}
