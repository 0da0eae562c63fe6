namespace PageAtlas.Tests;

/// <summary>
/// <see cref="BufferRelay{TBuffer}"/>: the buffers come back in the order they were filled, however
/// few there are; a fill that throws is met after the buffers filled before it; disposing stops a
/// fill waiting for a buffer the caller never returns.
/// </summary>
public class BufferRelayTests
{
    private sealed class Box
    {
        public int Value;
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 500)]
    [InlineData(3, 500)]
    public void BuffersComeInTheOrderTheyWereFilled(int buffers, int fills)
    {
        int next = 0;
        using var relay = new BufferRelay<Box>("test relay", [.. Enumerable.Range(0, buffers).Select(_ => new Box())], box =>
        {
            box.Value = next++;
            return next < fills;
        });
        var seen = new List<int>();
        while (relay.TryTake(out var box))
        {
            seen.Add(box.Value);
            relay.Return(box);
        }
        Assert.Equal(Enumerable.Range(0, fills), seen);
    }

    [Fact]
    public void AFailedFillIsMetAfterTheBuffersFilledBeforeIt()
    {
        int next = 0;
        using var relay = new BufferRelay<Box>("test relay", [new Box(), new Box()], box =>
        {
            if (next == 5) throw new InvalidDataException("fill 5");
            box.Value = next++;
            return true;
        });
        var seen = new List<int>();
        var failure = Assert.Throws<InvalidDataException>(() =>
        {
            while (relay.TryTake(out var box))
            {
                seen.Add(box.Value);
                relay.Return(box);
            }
        });
        Assert.Equal("fill 5", failure.Message);
        Assert.Equal([0, 1, 2, 3, 4], seen);
    }

    /// <summary>The caller keeps both buffers: the second thread waits for one, and disposing ends it (a hang is the failure).</summary>
    [Fact]
    public async Task DisposingStopsAFillWaitingForABuffer()
    {
        var relay = new BufferRelay<Box>("test relay", [new Box(), new Box()], _ => true);
        Assert.True(relay.TryTake(out _));
        Assert.True(relay.TryTake(out _));
        await Task.Run(relay.Dispose).WaitAsync(TimeSpan.FromMinutes(1));
    }

    [Fact]
    public void NoBuffersAreRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new BufferRelay<Box>("test relay", [], _ => false));
}
