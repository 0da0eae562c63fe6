using PageAtlas.Model;

namespace PageAtlas.Linux;

/// <summary>
/// A running process as an <see cref="IMemoryTarget"/>: reads /proc/&lt;pid&gt;/{stat,status,maps,task},
/// the ELF headers of its mapped objects, and its pages through pagemap, kpageflags and kpagecount.
/// </summary>
public sealed class LiveProcess : IMemoryTarget
{
    /// <summary>CAP_SYS_ADMIN's bit in CapEff: without it the kernel reports every PFN as 0.</summary>
    private const int CapSysAdmin = 21;

    private readonly PageReader _reader;
    // Read once, when the process is opened: ReadPages runs once per VMA in some analyses.
    private readonly bool _readAheadAllowed = Environment.GetEnvironmentVariable(NoReadAheadVariable) != "1";
    private Dictionary<ulong, SmapsArea>? _smaps;
    private HashSet<(uint Major, uint Minor)>? _tmpfsDevices;
    private SharedMemorySwap? _sharedMemorySwap;

    private LiveProcess(int pid, MachineInfo machine, ProcessFacts facts,
        IReadOnlyList<ClassifiedVma> vmas, FrameVisibility visibility, PageReader reader)
    {
        Pid = pid;
        Machine = machine;
        Facts = facts;
        Vmas = vmas;
        Visibility = visibility;
        _reader = reader;
    }

    /// <inheritdoc/>
    public int Pid { get; }
    /// <inheritdoc/>
    public MachineInfo Machine { get; }
    /// <inheritdoc/>
    public ProcessFacts Facts { get; }
    /// <inheritdoc/>
    public IReadOnlyList<ClassifiedVma> Vmas { get; }
    /// <inheritdoc/>
    public FrameVisibility Visibility { get; }

    private static readonly Lazy<MachineInfo> s_thisMachine = new(() => new MachineInfo(
        (ProcFs.TryReadText("/proc/sys/kernel/osrelease") ?? "unknown").Trim(),
        Environment.SystemPageSize,
        PagingModeProbe.Detect()));

    /// <summary>The machine this code runs on (read once: kernel, page size and paging mode do not change while it runs).</summary>
    public static MachineInfo ThisMachine() => s_thisMachine.Value;

    /// <summary>Opens process <paramref name="pid"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The pid is not positive.</exception>
    /// <exception cref="TargetUnavailableException">No such process, a kernel thread, a zombie, or it exited meanwhile.</exception>
    /// <exception cref="PrivilegeRequiredException">Its maps or pagemap cannot be read.</exception>
    public static LiveProcess Open(int pid)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pid);
        var stat = ProcStat.Parse(ProcFs.ReadText(pid, "stat"), $"/proc/{pid}/stat");
        if (stat.IsKernelThread)
            throw new TargetUnavailableException(pid, TargetUnavailableReason.KernelThread,
                $"process {pid} ({stat.Command}) is a kernel thread: it has no user address space");
        if (stat.IsZombie)
            throw new TargetUnavailableException(pid, TargetUnavailableReason.Zombie,
                $"process {pid} ({stat.Command}) is a zombie: it has exited and released its memory");
        var facts = ProcFacts.From(stat, ProcStatus.Parse(ProcFs.ReadText(pid, "status")));
        string mapsPath = ProcFs.PidPath(pid, "maps");
        // Parsed as it is read: the kernel writes the next lines while these are parsed.
        var maps = new ProcMaps.Lines(mapsPath);
        ProcFs.ReadLines(pid, "maps", maps.Parse);
        var vmas = maps.Vmas;
        if (vmas.Count == 0) throw ProcFs.Gone(pid);
        ResolveAmbiguousNames(pid, vmas);
        // Classes are worked out when first asked for: threads' stack pointers and ELF headers
        // are reads a plain page walk does not need.
        var classes = new Lazy<VmaClasses>(() => SegmentClassifier.ClassesOf(vmas,
            new SegmentClassifier.Inputs(pid, facts, ProcessThreads.Read(pid), vma => ReadElf(pid, vma))));
        var classified = new ClassifiedVma[vmas.Count];
        for (int i = 0; i < classified.Length; i++) classified[i] = new ClassifiedVma(vmas[i], classes, i);

        var machine = ThisMachine();
        var pagemap = new Pagemap(pid, machine.Paging.UserAddressEnd);
        var visibility = ProbeVisibility(out var frames);
        return new LiveProcess(pid, machine, facts, classified, visibility,
            new PageReader(pagemap, frames, Environment.SystemPageSize));
    }

    /// <inheritdoc/>
    /// <remarks>Pages that [start, endAddress) only partly covers are read whole: the reader works in whole pages.</remarks>
    /// <remarks>
    /// A read of many VMAs or pages is read ahead on a second thread (<see cref="PageReadAhead"/>), and
    /// the VMAs' classes are worked out on the caller's thread meanwhile: every report of such a read
    /// shows them, and they cost the caller nothing while it waits for the first pages.
    /// </remarks>
    public IEnumerable<PageBatch> ReadPages(ulong start, ulong endAddress, PageReadOptions options)
    {
        var pages = new AddressRange(start, endAddress).ToWholePages(Machine.PageSize);
        Func<ClassifiedVma, bool> isHugetlb = v => KernelPageSize(v) != (ulong)Machine.PageSize;
        if (!WorthReadingAhead(pages)) return _reader.Read(Spans(pages), options, isHugetlb);
        var batches = _reader.Read(Spans(pages), options, isHugetlb, ReadAheadPages);
        return PageReadAhead.Read(batches, PageReader.BatchPages, ReadAheadPages, whileFirstRead: () => _ = Vmas[0].Class);
    }

    /// <summary>
    /// Pages handed from the reading thread to the caller at a time: small enough that the caller
    /// starts soon (the 20,000 one-page VMAs of a large map come in ten parts, not two), large enough
    /// that the hand-overs cost nothing next to the pages.
    /// </summary>
    internal const int ReadAheadPages = 2048;

    /// <summary>VMAs in a range from which on reading ahead pays for its thread (about 0.1 ms to start).</summary>
    internal const int ReadAheadVmas = 64;

    /// <summary>Whether [pages) holds <see cref="ReadAheadVmas"/> VMAs or more than a batch of pages: a short read (translate, one VMA of a few pages) is read in line.</summary>
    private bool WorthReadingAhead(AddressRange pages)
    {
        if (!_readAheadAllowed) return false;
        var (first, end) = VmaLookup.Overlapping(Vmas, pages.Start, pages.End);
        if (end - first >= ReadAheadVmas) return true;
        if (first == end) return false;
        ulong from = Math.Max(Vmas[first].Vma.Start, pages.Start), to = Math.Min(Vmas[end - 1].Vma.End, pages.End);
        return (to - from) / (ulong)Machine.PageSize > PageReader.BatchPages;
    }

    /// <summary>Set to 1 when a process is opened, its pages are read on the caller's thread only (tests compare the two ways; a benchmark times them).</summary>
    public const string NoReadAheadVariable = "PAGEATLAS_NO_READ_AHEAD";

    /// <summary>The parts of the VMAs that overlap <paramref name="pages"/>, found by binary search (see <see cref="VmaLookup"/>).</summary>
    private IEnumerable<VmaSpan> Spans(AddressRange pages)
    {
        for (int i = VmaLookup.FirstEndingAfter(Vmas, pages.Start); i < Vmas.Count && Vmas[i].Vma.Start < pages.End; i++)
        {
            var v = Vmas[i];
            yield return new VmaSpan(v, Math.Max(v.Vma.Start, pages.Start), Math.Min(v.Vma.End, pages.End));
        }
    }

    /// <summary>Whether this process holds CAP_SYS_ADMIN, read once: it does not gain or drop it while PageAtlas runs.</summary>
    private static readonly Lazy<bool> s_hasSysAdmin = new(() =>
        (ProcStatus.Parse(File.ReadAllText("/proc/self/status")).EffectiveCapabilities & (1UL << CapSysAdmin)) != 0);

    /// <inheritdoc/>
    /// <remarks>Reads /proc/&lt;pid&gt;/smaps, which walks every page: call it only when needed (a huge leaf).</remarks>
    public ulong KernelPageSize(ClassifiedVma vma) =>
        Smaps().TryGetValue(vma.Vma.Start, out var area) && area.KernelPageSize != 0 ? area.KernelPageSize : (ulong)Machine.PageSize;

    /// <summary>smaps walks every page of the process in the kernel, so it is read once, on first use.</summary>
    private Dictionary<ulong, SmapsArea> Smaps() => _smaps ??= ProcSmaps.Parse(ProcFs.ReadText(Pid, "smaps"));

    /// <inheritdoc/>
    /// <remarks>smaps is read only when a swap area is active and some VMA is backed by a shared-memory object.</remarks>
    public SharedMemorySwap SharedMemorySwap => _sharedMemorySwap ??= ReadSharedMemorySwap();

    private SharedMemorySwap ReadSharedMemorySwap()
    {
        if (!ProcSwaps.AnyAreaActive()) return SharedMemorySwap.NoSwap;
        var shared = Vmas.Where(IsSharedMemory).ToList();
        if (shared.Count == 0) return new SharedMemorySwap(true, new Dictionary<ulong, ulong>());
        var smaps = Smaps();
        return new SharedMemorySwap(true, shared
            .Where(v => smaps.ContainsKey(v.Vma.Start))
            .ToDictionary(v => v.Vma.Start, v => smaps[v.Vma.Start].Swap));
    }

    /// <inheritdoc/>
    public IReadOnlyList<ObjectPageRun> SharedObjectPages(ClassifiedVma vma, ulong start, ulong endAddress)
    {
        ulong mask = (ulong)Machine.PageSize - 1;
        ulong from = Math.Max(start, vma.Vma.Start) & ~mask, to = (Math.Min(endAddress, vma.Vma.End) + mask) & ~mask;
        if (from >= to || !IsSharedMemory(vma)) return [];
        using var shared = SharedMemoryObject.TryOpen(Pid, vma.Vma);
        return shared?.ReadRuns(vma.Vma, from, to, Machine.PageSize) ?? [];
    }

    /// <summary>
    /// Whether a shared-memory object (a shmem file) backs <paramref name="vma"/>: System V, POSIX shm,
    /// memfd and shared anonymous memory by their class, any other file by its device being a tmpfs
    /// mount in the process's own mount namespace.
    /// </summary>
    private bool IsSharedMemory(ClassifiedVma vma)
    {
        if (vma.Class.Kind is SegmentKind.SysVShm or SegmentKind.PosixShm or SegmentKind.Memfd or SegmentKind.SharedAnonymous) return true;
        if (!vma.Vma.IsFileBacked || vma.Vma.IsPseudoPath) return false;
        _tmpfsDevices ??= ProcMountinfo.TmpfsDevices(ProcFs.TryReadText(ProcFs.PidPath(Pid, "mountinfo")) ?? "");
        return _tmpfsDevices.Contains((vma.Vma.DeviceMajor, vma.Vma.DeviceMinor));
    }

    private static FrameVisibility ProbeVisibility(out KernelPageFrames? frames)
    {
        bool pfnsVisible = s_hasSysAdmin.Value;
        if (!pfnsVisible)
        {
            frames = null;
            return new FrameVisibility(false, false,
                "without CAP_SYS_ADMIN the kernel reports every PFN as 0: physical addresses, frame flags and map counts are unavailable (presence and swap are still shown); " +
                "/proc/<pid>/map_files is refused too, so mapped ELF objects are shown as plain file mappings (no code/data/bss), " +
                "and shared memory's pages in swap show per VMA only (its object is out of reach)");
        }
        frames = KernelPageFrames.TryOpen(out string? reason);
        return frames is null ? new FrameVisibility(true, false, reason + ": frame flags and map counts are unavailable") : FrameVisibility.Full;
    }

    /// <summary>
    /// The ELF headers behind a VMA, read through map_files (the path in maps is never opened: see
    /// <see cref="MappedFiles"/>). Without the privilege map_files needs, nothing is read.
    /// </summary>
    private static ElfHeaders ReadElf(int pid, Vma vma)
    {
        using var file = MappedFiles.OpenRegular(pid, vma, out ulong size, out _);
        return file is null ? ElfHeaders.NotElf : ElfProgramHeaders.Read(file, size);
    }

    /// <summary>
    /// /proc/&lt;pid&gt;/maps writes a newline in a path as "\012" and leaves a backslash alone, so a
    /// path holding a newline or a backslash may be either: map_files' link says which, exactly.
    /// It is taken only when it reads back as the same maps text (the VMA was not replaced meanwhile).
    /// </summary>
    private static void ResolveAmbiguousNames(int pid, List<Vma> vmas)
    {
        for (int i = 0; i < vmas.Count; i++)
        {
            var vma = vmas[i];
            if (!vma.IsFileBacked || vma.IsPseudoPath || vma.Path.AsSpan().IndexOfAny('\\', '\n') < 0) continue;
            if (MappedFiles.ReadLinkName(pid, vma) is not { } link) continue;
            const string Deleted = " (deleted)";
            if (vma.IsDeleted && link.EndsWith(Deleted, StringComparison.Ordinal)) link = link[..^Deleted.Length];
            if (ProcMaps.Unescape(link.Replace("\n", "\\012", StringComparison.Ordinal)) == vma.Path) vmas[i] = vma with { Path = link };
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _reader.Dispose();
}
