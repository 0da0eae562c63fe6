using PageAtlas.Model;

namespace PageAtlas.Cli;

/// <summary>
/// A target whose page reads stop when the run is cancelled (between batches, with
/// <see cref="OperationCanceledException"/>), and count towards a <see cref="WorkProgress"/> when
/// one is shown, in pages of its address space: a batch at address A of VMA i means every page of
/// the VMAs before i and of VMA i below A is done. Reads that go over the same pages again (an
/// analysis in two passes) add nothing, so the figure never passes the total.
/// </summary>
internal sealed class ProgressTarget : IMemoryTarget
{
    private readonly IMemoryTarget _inner;
    private readonly WorkProgress? _progress;
    private readonly CancellationToken _cancellation;
    /// <summary>
    /// Pages in the VMAs before each VMA: a prefix sum, so a batch's position costs one binary search.
    /// Empty when no progress is shown (a pipe): then only the token is watched, and 20,000 VMAs
    /// do not cost a large array the GC clears for nothing.
    /// </summary>
    private readonly long[] _pagesBefore = [];
    private long _reported;

    private ProgressTarget(IMemoryTarget inner, WorkProgress? progress, CancellationToken cancellation)
    {
        _inner = inner;
        _progress = progress;
        _cancellation = cancellation;
        if (progress is null) return;
        _pagesBefore = new long[inner.Vmas.Count + 1];
        for (int i = 0; i < inner.Vmas.Count; i++) _pagesBefore[i + 1] = _pagesBefore[i] + (long)(inner.Vmas[i].Vma.Size / (ulong)inner.Machine.PageSize);
        progress.AddTotal(_pagesBefore[^1]);
    }

    /// <summary><paramref name="target"/> stopping when <paramref name="cancellation"/> is cancelled and counting towards <paramref name="display"/>, or itself when neither can happen.</summary>
    public static IMemoryTarget Track(IMemoryTarget target, ProgressDisplay? display, CancellationToken cancellation) =>
        display is null && !cancellation.CanBeCanceled ? target : new ProgressTarget(target, display?.Work, cancellation);

    public int Pid => _inner.Pid;
    public MachineInfo Machine => _inner.Machine;
    public ProcessFacts Facts => _inner.Facts;
    public IReadOnlyList<ClassifiedVma> Vmas => _inner.Vmas;
    public FrameVisibility Visibility => _inner.Visibility;
    public ulong KernelPageSize(ClassifiedVma vma) => _inner.KernelPageSize(vma);
    public SharedMemorySwap SharedMemorySwap => _inner.SharedMemorySwap;
    public IReadOnlyList<ObjectPageRun> SharedObjectPages(ClassifiedVma vma, ulong start, ulong endAddress) => _inner.SharedObjectPages(vma, start, endAddress);

    public IEnumerable<PageBatch> ReadPages(ulong start, ulong endAddress, PageReadOptions options)
    {
        foreach (var batch in _inner.ReadPages(start, endAddress, options))
        {
            _cancellation.ThrowIfCancellationRequested();
            if (_progress is not null && batch.Pages.Length > 0) Reached(batch.Pages.Span[^1].Address);
            yield return batch;
        }
    }

    private void Reached(ulong address)
    {
        int i = VmaLookup.FirstEndingAfter(Vmas, address);
        if (i >= Vmas.Count) return;
        long done = _pagesBefore[i] + (long)((Math.Max(address, Vmas[i].Vma.Start) - Vmas[i].Vma.Start) / (ulong)Machine.PageSize) + 1;
        if (done <= _reported) return;
        _progress!.Advance(done - _reported);
        _reported = done;
    }

    public void Dispose() => _inner.Dispose();
}
