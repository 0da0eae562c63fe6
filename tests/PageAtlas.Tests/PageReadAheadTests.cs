using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.Tests;

/// <summary>
/// <see cref="PageReadAhead"/> hands over what its source read, as its source read it: the same
/// batches in the same order with the same pages, though the source (like the live page reader)
/// overwrites one buffer for every batch; a failure after some batches comes after those batches;
/// a caller that stops early stops the worker before its enumeration ends.
/// </summary>
public sealed class PageReadAheadTests
{
    private static readonly ClassifiedVma[] s_vmas = Enumerable.Range(0, 50)
        .Select(i => new ClassifiedVma(new Vma(0x10000000UL * (ulong)(i + 1), 0x10000000UL * (ulong)(i + 1) + 0x8000000, VmaPermissions.Read, 0, 0, 0, 0, "", false),
            new SegmentClass(SegmentKind.AnonymousMapping)))
        .ToArray();

    /// <summary>Batch i has (i * 37) % 300 pages (empty ones too, and some larger than a hand-over), each page's address unique, all written into one reused buffer.</summary>
    private static IEnumerable<PageBatch> Source(int batches, Exception? failAfter = null, Action? ended = null)
    {
        var buffer = new PageRecord[300];
        try
        {
            for (int i = 0; i < batches; i++)
            {
                int count = i * 37 % 300;
                var vma = s_vmas[i % s_vmas.Length];
                for (int p = 0; p < count; p++)
                    buffer[p] = new PageRecord(vma.Vma.Start + (ulong)p * 4096, new PagemapEntry((ulong)(i * 1000 + p)), FrameFlags.None, (ulong)i, p % 2 == 0);
                yield return new PageBatch(vma, buffer.AsMemory(0, count));
            }
            if (failAfter is not null) throw failAfter;
        }
        finally
        {
            ended?.Invoke();
        }
    }

    private static List<(ulong Vma, PageRecord[] Pages)> Copy(IEnumerable<PageBatch> batches) =>
        batches.Select(b => (b.Vma.Vma.Start, b.Pages.ToArray())).ToList();

    private static void AssertSame(List<(ulong Vma, PageRecord[] Pages)> expected, List<(ulong Vma, PageRecord[] Pages)> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Vma, actual[i].Vma);
            Assert.Equal(expected[i].Pages, actual[i].Pages);
        }
    }

    [Theory]
    [InlineData(1000, 300, 64)]   // batches larger than a hand-over: a chunk a batch
    [InlineData(1000, 300, 1000)] // several batches a chunk
    [InlineData(1, 300, 64)]
    [InlineData(0, 300, 64)]
    [InlineData(200, 100, 64)]    // batches larger than a chunk: a chunk of their size
    public void HandsOverEveryBatchInOrderWithItsOwnPages(int batches, int chunkPages, int handOverPages)
    {
        var expected = Copy(Source(batches));
        AssertSame(expected, Copy(PageReadAhead.Read(Source(batches), chunkPages, handOverPages)));
    }

    [Fact]
    public void RunsTheCallersWorkWhileTheFirstPagesAreRead()
    {
        int ran = 0;
        var read = Copy(PageReadAhead.Read(Source(10), 300, 64, whileFirstRead: () => ran++));
        Assert.Equal(1, ran);
        AssertSame(Copy(Source(10)), read);
    }

    [Fact]
    public void AFailureComesAfterTheBatchesReadBeforeIt()
    {
        var failure = new TargetUnavailableException(1, TargetUnavailableReason.Exited, "process 1 has exited");
        var seen = new List<(ulong, PageRecord[])>();
        var thrown = Assert.Throws<TargetUnavailableException>(() =>
        {
            foreach (var batch in PageReadAhead.Read(Source(500, failure), 300, 64)) seen.Add((batch.Vma.Vma.Start, batch.Pages.ToArray()));
        });
        Assert.Same(failure, thrown);
        AssertSame(Copy(Source(500)), seen);
    }

    [Fact]
    public void StoppingEarlyEndsTheSourceBeforeTheEnumerationEnds()
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            int ended = 0;
            using (var e = PageReadAhead.Read(Source(100_000, ended: () => Interlocked.Increment(ref ended)), 300, 64).GetEnumerator())
            {
                for (int i = 0; i < 3; i++) Assert.True(e.MoveNext());
            }
            // The worker has been waited for: its source is closed (its finally ran) once Dispose returns.
            Assert.Equal(1, Volatile.Read(ref ended));
        }
    }
}
