using PageAtlas.Model;

namespace PageAtlas.Analysis;

/// <summary>
/// One process's present pages as <see cref="Sharing"/> keeps them: only their frames, 8 bytes a
/// page, in address order (so each VMA's pages are one slice), and how many pages each VMA has.
/// Addresses are not kept: the comparisons by address are made while the processes are read side by
/// side (<see cref="ShareReading"/>). The frames are what cannot be streamed: whether a frame is
/// mapped by another process anywhere in a group (a class spans many VMAs, and a page may sit at
/// another address in each process after mremap) is only known once every page of both is read.
/// </summary>
internal sealed class SharePages : IDisposable
{
    private readonly IEnumerator<PageBatch> _batches;
    private readonly Dictionary<ClassifiedVma, int> _vmaIndex;
    private ReadOnlyMemory<PageRecord> _pages;
    private int _next, _vma;
    private ulong[] _frames;

    public SharePages(IMemoryTarget target)
    {
        Target = target;
        _vmaIndex = new Dictionary<ClassifiedVma, int>(target.Vmas.Count, ReferenceEqualityComparer.Instance);
        for (int i = 0; i < target.Vmas.Count; i++) _vmaIndex[target.Vmas[i]] = i;
        VmaPages = new int[target.Vmas.Count];
        _frames = PresentPagesGuess.ArrayFor<ulong>(target);
        _batches = target.ReadPages(0, ulong.MaxValue, new PageReadOptions(PopulatedOnly: true, WithFrames: false)).GetEnumerator();
    }

    public IMemoryTarget Target { get; }

    /// <summary>The current page's address (valid after <see cref="MoveNext"/> returned true).</summary>
    public ulong Address { get; private set; }

    /// <summary>The current page's frame.</summary>
    public ulong Frame { get; private set; }

    /// <summary>The current page's VMA, as an index into the target's VMAs.</summary>
    public int Vma => _vma;

    /// <summary>Present pages read so far.</summary>
    public int Count { get; private set; }

    /// <summary>Per VMA (by index): its present pages.</summary>
    public int[] VmaPages { get; }

    /// <summary>Every frame read, in address order.</summary>
    public Span<ulong> Frames => _frames.AsSpan(0, Count);

    /// <summary>Moves to the next present page and keeps its frame; false at the end.</summary>
    public bool MoveNext()
    {
        while (true)
        {
            while (_next >= _pages.Length)
            {
                if (!_batches.MoveNext()) return false;
                // A batch of a VMA the target does not list is left out, as it always was.
                _pages = _vmaIndex.TryGetValue(_batches.Current.Vma, out _vma) ? _batches.Current.Pages : default;
                _next = 0;
            }
            var page = _pages.Span[_next++];
            if (!page.Entry.IsPresent) continue;
            (Address, Frame) = (page.Address, page.Entry.Pfn);
            if (Count == _frames.Length)
            {
                var grown = GC.AllocateUninitializedArray<ulong>(checked(_frames.Length * 2));
                Frames.CopyTo(grown);
                _frames = grown;
            }
            _frames[Count++] = Frame;
            VmaPages[_vma]++;
            return true;
        }
    }

    /// <summary>Reads the rest.</summary>
    public void Drain()
    {
        while (MoveNext()) { }
    }

    /// <summary>Every frame read, in the order they are in (address order until sorted).</summary>
    public Memory<ulong> FrameMemory => _frames.AsMemory(0, Count);

    /// <summary>Where each VMA's slice starts (valid once everything is read).</summary>
    public int[] Offsets()
    {
        var offsets = new int[VmaPages.Length];
        for (int i = 1; i < offsets.Length; i++) offsets[i] = offsets[i - 1] + VmaPages[i - 1];
        return offsets;
    }

    public void Dispose() => _batches.Dispose();
}
