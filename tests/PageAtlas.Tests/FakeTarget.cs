using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Paging;

namespace PageAtlas.Tests;

/// <summary>
/// A memory target made of VMAs and pages given by the test: analyses run on it exactly as on a
/// live process, on any paging mode, whatever the machine running the test uses. It honours
/// <see cref="PageReadOptions"/> as the live reader does (empty pages in the gaps unless only
/// populated ones are asked for; no frame flags or map counts without frames) and, like it, reuses
/// one buffer for every batch, so an analysis that keeps a batch past its step fails here too.
/// </summary>
internal sealed class FakeTarget : IMemoryTarget
{
    private const int PageSize = 4096;
    private readonly List<PageRecord> _pages = [];
    private readonly Dictionary<ulong, ulong> _kernelPageSizes = [];
    private PageRecord[] _batch = [];

    public FakeTarget(PagingMode paging, ulong vmPteKb = 0, int pid = 4242)
    {
        Pid = pid;
        Machine = new MachineInfo("test", PageSize, paging);
        Facts = ProcFacts.From(
            ProcStat.Parse($"{pid} (fake) S 1 {pid} {pid} 0 -1 4194304 107 0 0 0 0 0 0 0 20 0 1 0 123 8515584 230 18446744073709551615 4096 8192 140726316656464 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n"),
            ProcStatus.Parse($"Name:\tfake\nVmPTE:\t{vmPteKb} kB\n"));
    }

    public int Pid { get; }

    /// <summary>Reading pages throws as if the process had exited.</summary>
    public bool ExitsWhenRead { get; set; }
    public MachineInfo Machine { get; }
    public ProcessFacts Facts { get; }
    public List<ClassifiedVma> VmaList { get; } = [];
    public IReadOnlyList<ClassifiedVma> Vmas => VmaList;
    public FrameVisibility Visibility { get; set; } = FrameVisibility.Full;

    /// <summary>Adds an anonymous private VMA (or a hugetlb one with <paramref name="kernelPageSize"/>).</summary>
    public FakeTarget Vma(ulong start, ulong end, ulong kernelPageSize = PageSize)
    {
        VmaList.Add(new ClassifiedVma(new Vma(start, end, VmaPermissions.Read | VmaPermissions.Write, 0, 0, 0, 0, "", false), new SegmentClass(SegmentKind.AnonymousMapping)));
        _kernelPageSizes[start] = kernelPageSize;
        return this;
    }

    /// <summary>Adds a private mapping of <paramref name="path"/> of class <paramref name="segment"/> (a library segment, a file).</summary>
    public FakeTarget FileVma(ulong start, ulong end, string path, SegmentClass segment, VmaPermissions permissions = VmaPermissions.Read | VmaPermissions.Execute)
    {
        VmaList.Add(new ClassifiedVma(new Vma(start, end, permissions, 0x1000, 8, 1, 123456, path, false), segment));
        _kernelPageSizes[start] = PageSize;
        return this;
    }

    /// <summary>Adds present 4 KiB pages at <paramref name="address"/>, frames from <paramref name="pfn"/> upwards.</summary>
    public FakeTarget Present(ulong address, ulong pfn, int pages = 1, bool huge = false, FrameFlags flags = FrameFlags.None, ulong mapCount = 1)
    {
        for (int i = 0; i < pages; i++)
        {
            _pages.Add(new PageRecord(address + (ulong)i * PageSize, new PagemapEntry(PagemapEntry.PresentBit | (pfn + (ulong)i)), flags, mapCount, huge));
        }
        return this;
    }

    /// <summary>Adds <paramref name="pages"/> pages mapping the zero page, frame <paramref name="pfn"/> (kpageflags ZERO_PAGE).</summary>
    public FakeTarget ZeroPages(ulong address, ulong pfn, int pages)
    {
        for (int i = 0; i < pages; i++)
            _pages.Add(new PageRecord(address + (ulong)i * 4096, new PagemapEntry(PagemapEntry.PresentBit | pfn), FrameFlags.ZeroPage, 0, false));
        return this;
    }

    /// <summary>Adds a guard-region marker (pagemap sets the swapped and guard bits).</summary>
    public FakeTarget Guard(ulong address)
    {
        _pages.Add(new PageRecord(address, new PagemapEntry(PagemapEntry.SwappedBit | PagemapEntry.GuardBit), FrameFlags.None, 0, false));
        return this;
    }

    /// <summary>Adds a swapped page.</summary>
    public FakeTarget Swapped(ulong address)
    {
        _pages.Add(new PageRecord(address, new PagemapEntry(PagemapEntry.SwappedBit | (7UL << 5)), FrameFlags.None, 0, false));
        return this;
    }

    public ulong KernelPageSize(ClassifiedVma vma) => _kernelPageSizes[vma.Vma.Start];

    public SharedMemorySwap SharedMemorySwap { get; set; } = SharedMemorySwap.NoSwap;

    /// <summary>What the shared-memory object behind each VMA holds, by VMA start.</summary>
    public Dictionary<ulong, List<ObjectPageRun>> ObjectRuns { get; } = [];

    public IReadOnlyList<ObjectPageRun> SharedObjectPages(ClassifiedVma vma, ulong start, ulong endAddress) =>
        ObjectRuns.TryGetValue(vma.Vma.Start, out var runs)
            ? runs.Where(r => r.End(PageSize) > start && r.Start < endAddress).ToList()
            : [];

    /// <summary>Every [start, end) that <see cref="ReadPages"/> was asked for, in order: what a report read.</summary>
    public List<(ulong Start, ulong End)> ReadRanges { get; } = [];

    /// <summary>One batch per VMA, in the one buffer, read as <paramref name="options"/> ask; whole pages, as a live read.</summary>
    public IEnumerable<PageBatch> ReadPages(ulong start, ulong endAddress, PageReadOptions options)
    {
        ReadRanges.Add((start, endAddress));
        if (ExitsWhenRead) throw new TargetUnavailableException(Pid, TargetUnavailableReason.Exited, $"process {Pid} exited while it was being read");
        ulong from = start & ~(ulong)(PageSize - 1);
        foreach (var vma in VmaList.Where(v => v.Vma.End > from && v.Vma.Start < endAddress))
        {
            ulong first = Math.Max(from, vma.Vma.Start), last = Math.Min(endAddress, vma.Vma.End);
            var populated = _pages.Where(p => p.Address >= first && p.Address < last).ToDictionary(p => p.Address);
            var pages = options.PopulatedOnly
                ? populated.Values.OrderBy(p => p.Address)
                : Enumerable.Range(0, (int)((last - first + PageSize - 1) / PageSize)).Select(i => first + (ulong)i * PageSize)
                    .Select(a => populated.GetValueOrDefault(a, new PageRecord(a, default, FrameFlags.None, 0, false)));
            if (!options.WithFrames) pages = pages.Select(p => p with { Flags = FrameFlags.None, MapCount = 0 });
            int count = Fill(pages);
            if (count > 0) yield return new PageBatch(vma, _batch.AsMemory(0, count));
        }
    }

    /// <summary>Copies <paramref name="pages"/> into the one buffer (grown when too small); returns how many.</summary>
    /// <remarks>The previous batch is wiped first, even when the buffer is replaced: a batch kept too long reads as empty pages.</remarks>
    private int Fill(IEnumerable<PageRecord> pages)
    {
        var list = pages.ToList();
        Array.Clear(_batch);
        if (_batch.Length < list.Count) _batch = new PageRecord[list.Count];
        list.CopyTo(_batch);
        return list.Count;
    }

    public void Dispose() { }
}
