using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.LiveTests;

/// <summary>
/// The whole-machine scan honours its token between chunks (Ctrl+C during `frames` ends it within a
/// chunk, not after millions of frames), read from the machine's own kpageflags and kpagecount.
/// </summary>
public sealed class FrameCancellationTests
{
    [SkippableFact]
    public void TheMachineScanStopsWithinAChunkOrTwoOfItsTokenBeingCancelled()
    {
        using var frames = new LiveFrameSource();
        using var cancel = new CancellationTokenSource();
        frames.Cancellation = cancel.Token;
        int chunks = 0;
        Assert.ThrowsAny<OperationCanceledException>(() => frames.Scan(0, frames.FrameLimit, MapCountReading.Mapped, () => 0,
            (_, _, _, _) =>
            {
                Interlocked.Increment(ref chunks);
                cancel.Cancel();
            },
            _ => { }));
        // Chunks of 128 Ki frames: the one that cancels, and at most one more per other processor
        // already under way when the token was cancelled.
        long all = (long)((frames.FrameLimit + (128 * 1024) - 1) / (128 * 1024));
        Assert.True(all > 2 * Environment.ProcessorCount, $"this machine has only {all} chunks of frames: too few to see a stop");
        Assert.InRange(chunks, 1, Environment.ProcessorCount);
    }

    [SkippableFact]
    public void ACensusWhoseTokenIsCancelledEndsWithoutAReport()
    {
        using var frames = new LiveFrameSource();
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        frames.Cancellation = cancel.Token;
        Assert.ThrowsAny<OperationCanceledException>(() => FrameCensus.Take(frames, FrameFilter.Parse([])));
    }
}
