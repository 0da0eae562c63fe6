using PageAtlas.Cli;
using PageAtlas.Model;
using PageAtlas.Paging;

namespace PageAtlas.Tests.Cli;

/// <summary>The run's cancellation token reaches the long scans, which stop between batches.</summary>
public class CancellationTests(CliSnapshotFixture snapshots) : IClassFixture<CliSnapshotFixture>
{
    private const ulong First = 0x7f0000000000, Second = 0x7f0010000000;

    [Fact]
    public void PageReadsStopAtTheBatchAfterCancellation()
    {
        using var fake = new FakeTarget(PagingMode.FourLevel).Vma(First, First + 0x4000).Present(First, 0x100, 4).Vma(Second, Second + 0x4000).Present(Second, 0x200, 4);
        using var cancel = new CancellationTokenSource();
        var target = ProgressTarget.Track(fake, null, cancel.Token);
        var read = new List<ulong>();
        Assert.Throws<OperationCanceledException>(() =>
        {
            foreach (var batch in target.ReadPages(First, Second + 0x4000, PageReadOptions.PopulatedWithFrames))
            {
                read.Add(batch.Vma.Vma.Start);
                cancel.Cancel();
            }
        });
        Assert.Equal([First], read);
        // Uncancelled, the same reads see both VMAs.
        using var whole = new CancellationTokenSource();
        Assert.Equal(8, ProgressTarget.Track(fake, null, whole.Token).ReadPages(First, Second + 0x4000, PageReadOptions.PopulatedWithFrames).Sum(b => b.Pages.Length));
    }

    /// <summary>Before: pagetable read every page and ps every process of a cancelled run, and printed them (exit 0).</summary>
    [Theory]
    [InlineData("pagetable", "--snapshot", "{before}", "--json")]
    [InlineData("pagetable", "--snapshot", "{before}")]
    [InlineData("ps", "--json")]
    public void ACancelledScanEndsWith130AndPrintsNothing(params string[] line)
    {
        string[] args = [.. line.Select(a => a.Replace("{before}", snapshots.Before, StringComparison.Ordinal))];
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var run = InProcessCli.RunUntil(400, args, cancel.Token);
        Assert.Equal(130, run.Code);
        Assert.Equal("", run.Out);
        Assert.Equal(0, InProcessCli.Run(args).Code);
    }

    [Fact]
    public void ACancelledRunEndsWith130AndWritesNoDocument()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        var run = InProcessCli.RunUntil(400, ["maps", "--snapshot", snapshots.Before, "--json"], cancel.Token);
        Assert.Equal(130, run.Code);
        Assert.Equal("", run.Out);
        Assert.Equal(0, InProcessCli.Run("maps", "--snapshot", snapshots.Before, "--json").Code);
    }
}
