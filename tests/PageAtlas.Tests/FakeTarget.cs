using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Paging;

namespace PageAtlas.Tests;

/// <summary>
/// A memory target made of VMAs and pages given by the test: analyses run on it exactly as on a
/// live process, on any paging mode, whatever the machine running the test uses.
/// </summary>
internal sealed class FakeTarget : IMemoryTarget
{
    private readonly List<PageRecord> _pages = [];
    private readonly Dictionary<ulong, ulong> _kernelPageSizes = [];

    public FakeTarget(PagingMode paging, ulong vmPteKb = 0, int pid = 4242)
    {
        Pid = pid;
        Machine = new MachineInfo("test", 4096, paging);
        Stat = ProcStat.Parse($"{pid} (fake) S 1 {pid} {pid} 0 -1 4194304 107 0 0 0 0 0 0 0 20 0 1 0 123 8515584 230 18446744073709551615 4096 8192 140726316656464 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n");
        Status = ProcStatus.Parse($"Name:\tfake\nVmPTE:\t{vmPteKb} kB\n");
    }

    public int Pid { get; }

    /// <summary>Reading pages throws as if the process had exited.</summary>
    public bool ExitsWhenRead { get; set; }
    public MachineInfo Machine { get; }
    public ProcStat Stat { get; }
    public ProcStatus Status { get; }
    public List<ClassifiedVma> VmaList { get; } = [];
    public IReadOnlyList<ClassifiedVma> Vmas => VmaList;
    public FrameVisibility Visibility { get; set; } = FrameVisibility.Full;

    /// <summary>Adds an anonymous private VMA (or a hugetlb one with <paramref name="kernelPageSize"/>).</summary>
    public FakeTarget Vma(ulong start, ulong end, ulong kernelPageSize = 4096)
    {
        VmaList.Add(new ClassifiedVma(new Vma(start, end, VmaPermissions.Read | VmaPermissions.Write, 0, 0, 0, 0, "", false), new SegmentClass(SegmentKind.AnonymousMapping)));
        _kernelPageSizes[start] = kernelPageSize;
        return this;
    }

    /// <summary>Adds present 4 KiB pages at <paramref name="address"/>, frames from <paramref name="pfn"/> upwards.</summary>
    public FakeTarget Present(ulong address, ulong pfn, int pages = 1, bool huge = false)
    {
        for (int i = 0; i < pages; i++)
        {
            _pages.Add(new PageRecord(address + (ulong)i * 4096, new PagemapEntry(PagemapEntry.PresentBit | (pfn + (ulong)i)), FrameFlags.None, 1, huge));
        }
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

    public IReadOnlyList<ObjectPageRun> SharedObjectPages(ClassifiedVma vma, ulong start, ulong end) =>
        ObjectRuns.TryGetValue(vma.Vma.Start, out var runs)
            ? runs.Where(r => r.End(4096) > start && r.Start < end).ToList()
            : [];

    public IEnumerable<PageBatch> ReadPages(ulong start, ulong end, PageReadOptions options)
    {
        if (ExitsWhenRead) throw new TargetUnavailableException(Pid, TargetUnavailableReason.Exited, $"process {Pid} exited while it was being read");
        foreach (var vma in VmaList.Where(v => v.Vma.End > start && v.Vma.Start < end))
        {
            var pages = _pages.Where(p => vma.Vma.Contains(p.Address) && p.Address >= start && p.Address < end).OrderBy(p => p.Address).ToArray();
            if (pages.Length > 0) yield return new PageBatch(vma, pages);
        }
    }

    public void Dispose() { }
}
