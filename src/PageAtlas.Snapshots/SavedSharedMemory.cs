using PageAtlas.Model;

namespace PageAtlas.Snapshots;

/// <summary>
/// What a snapshot keeps of one process's shared memory beyond the page table, checked, so that maps,
/// composition, translate, pages and diff read from the file what they read live: whether a swap area
/// was active, smaps' Swap of each VMA backed by a shared-memory object (<see cref="SharedMemorySwap"/>),
/// and per VMA the runs of pages its object held in RAM or in swap (<see cref="IMemoryTarget.SharedObjectPages"/>).
/// </summary>
/// <param name="Swap">The swap figures, keyed by VMA start as a live process gives them.</param>
/// <param name="Runs">Each VMA's runs, in address order, apart; VMAs without any are absent.</param>
internal sealed record SavedSharedMemory(SharedMemorySwap Swap, IReadOnlyDictionary<ClassifiedVma, List<ObjectPageRun>> Runs)
{
    /// <summary>Nothing held: what a process has before its shared-memory tables are read.</summary>
    public static readonly SavedSharedMemory Empty = new(SharedMemorySwap.NoSwap, new Dictionary<ClassifiedVma, List<ObjectPageRun>>());

    /// <summary>
    /// Reads the three shared-memory tables (through <paramref name="rows"/>, which checks each table's
    /// checksum) for the processes and VMAs already read: every process has exactly one row of the first,
    /// and every row names a VMA the process has, with figures that fit in it.
    /// </summary>
    /// <exception cref="SnapshotContentException">A row names what the snapshot does not hold, or holds what no VMA can.</exception>
    public static Dictionary<int, SavedSharedMemory> Read(Func<SnapshotTable, List<StoredRow>> rows, IReadOnlyDictionary<int, List<SavedVma>> vmas,
        int pageSize)
    {
        var active = ReadProcesses(rows(SnapshotFormat.SharedMemoryProcesses), vmas);
        var swap = ReadSwap(rows(SnapshotFormat.SharedMemorySwap), vmas, active, (ulong)pageSize);
        var runs = ReadRuns(rows(SnapshotFormat.SharedObjectPages), vmas, (ulong)pageSize);
        return active.ToDictionary(p => p.Key, p => new SavedSharedMemory(
            new SharedMemorySwap(p.Value, swap.GetValueOrDefault(p.Key) ?? []),
            runs.GetValueOrDefault(p.Key) ?? new Dictionary<ClassifiedVma, List<ObjectPageRun>>(ReferenceEqualityComparer.Instance)));
    }

    /// <summary>Whether a swap area was active, for each process: one row each, no other.</summary>
    private static Dictionary<int, bool> ReadProcesses(List<StoredRow> rows, IReadOnlyDictionary<int, List<SavedVma>> vmas)
    {
        var active = new Dictionary<int, bool>();
        foreach (var row in rows)
        {
            int pid = (int)row.Integer(0, 1, MachineLimits.PidLimit - 1);
            if (!vmas.ContainsKey(pid)) throw row.Invalid($"shared-memory figures of process {pid}, which the snapshot does not list");
            active[pid] = row.Flag(1);
        }
        foreach (int pid in vmas.Keys)
            if (!active.ContainsKey(pid)) throw new SnapshotContentException(SnapshotFormat.SharedMemoryProcesses.Name, $"process {pid} has no row");
        return active;
    }

    /// <summary>
    /// smaps' Swap per VMA, by VMA start: only where a swap area was active (without one the writer keeps
    /// none), a whole number of pages, and at most twice the VMA's size. (smaps adds the object's swap in
    /// the VMA's range to the page table's swap entries, fs/proc/task_mmu.c; in a read-only private
    /// mapping of a tmpfs file both can count one page, so a VMA's figure can reach twice its size.)
    /// </summary>
    private static Dictionary<int, Dictionary<ulong, ulong>> ReadSwap(List<StoredRow> rows, IReadOnlyDictionary<int, List<SavedVma>> vmas,
        Dictionary<int, bool> active, ulong pageSize)
    {
        var swap = new Dictionary<int, Dictionary<ulong, ulong>>();
        foreach (var row in rows)
        {
            var (pid, vma) = VmaOf(row, vmas);
            if (!active[pid]) throw row.Invalid($"process {pid}: a swap figure, where no swap area was active");
            ulong size = vma.Vma.Size;
            ulong bytes = (ulong)row.Integer(2, 0, long.MaxValue);
            if (bytes % pageSize != 0 || bytes > 2 * size)
                throw row.Invalid($"process {pid}, VMA 0x{vma.Vma.Start:x}-0x{vma.Vma.End:x}: smaps' Swap of {bytes} bytes is not whole pages within twice its {size} bytes");
            if (!swap.TryGetValue(pid, out var figures)) swap[pid] = figures = [];
            figures[vma.Vma.Start] = bytes;
        }
        return swap;
    }

    /// <summary>Each VMA's runs: page aligned, inside it, after the run before, of a known state.</summary>
    private static Dictionary<int, Dictionary<ClassifiedVma, List<ObjectPageRun>>> ReadRuns(List<StoredRow> rows,
        IReadOnlyDictionary<int, List<SavedVma>> vmas, ulong pageSize)
    {
        var runs = new Dictionary<int, Dictionary<ClassifiedVma, List<ObjectPageRun>>>();
        foreach (var row in rows)
        {
            var (pid, vma) = VmaOf(row, vmas);
            ulong first = (ulong)row.Integer(2), pages = (ulong)row.Integer(3, 1, long.MaxValue);
            string where = $"process {pid}, pages from 0x{first:x} of VMA 0x{vma.Vma.Start:x}-0x{vma.Vma.End:x}";
            if (!runs.TryGetValue(pid, out var byVma)) runs[pid] = byVma = new(ReferenceEqualityComparer.Instance);
            if (!byVma.TryGetValue(vma, out var list)) byVma[vma] = list = [];
            ulong previousEnd = list.Count > 0 ? list[^1].End((int)pageSize) : vma.Vma.Start;
            if (first % pageSize != 0 || first < previousEnd || first >= vma.Vma.End)
                throw row.Invalid($"{where}: not a page-aligned address inside the VMA after the run before it");
            if (pages > (vma.Vma.End - first) / pageSize) throw row.Invalid($"{where}: {pages} pages run past the VMA's end");
            var state = row.Text(4) switch
            {
                SnapshotFormat.SharedObjectResident => ObjectPageState.Resident,
                SnapshotFormat.SharedObjectSwapped => ObjectPageState.Swapped,
                var other => throw row.Invalid($"{where}: unknown state '{SnapshotMeta.Shown(other)}'"),
            };
            list.Add(new ObjectPageRun(first, pages, state));
        }
        return runs;
    }

    /// <summary>The VMA a row names by pid (column 0) and index (column 1): one the snapshot holds.</summary>
    private static (int Pid, ClassifiedVma Vma) VmaOf(StoredRow row, IReadOnlyDictionary<int, List<SavedVma>> vmas)
    {
        int pid = (int)row.Integer(0, 1, MachineLimits.PidLimit - 1);
        long index = row.Integer(1);
        if (!vmas.TryGetValue(pid, out var list) || index < 0 || index >= list.Count)
            throw row.Invalid($"VMA {index} of process {pid}, which the snapshot does not hold");
        return (pid, list[(int)index].Vma);
    }
}
