using System.Runtime.ExceptionServices;
using Microsoft.Data.Sqlite;
using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.Snapshots;

/// <summary>A run of saved pages of one VMA as the pages table lists it; its data is read when asked for.</summary>
/// <param name="Id">Its row.</param>
/// <param name="First">Its first page's address.</param>
/// <param name="Last">Its last page's address.</param>
/// <param name="Count">Pages in it (at most <see cref="SnapshotFormat.MaxChunkPages"/>).</param>
/// <param name="Hash">FNV-1a of its data.</param>
internal readonly record struct PageChunk(long Id, ulong First, ulong Last, int Count, long Hash)
{
    /// <summary>"chunk 7 of process 42 (0x7f…-0x7f…)", for error messages.</summary>
    public string Name(int pid) => $"chunk {Id} of process {pid} (0x{First:x}-0x{Last:x})";
}

/// <summary>A saved VMA: its class, the page size the kernel maps it with, its chunks in address order.</summary>
internal sealed record SavedVma(ClassifiedVma Vma, ulong KernelPageSize, List<PageChunk> Chunks);

/// <summary>A saved process, checked.</summary>
internal sealed record SavedProcess(int Pid, ProcessFacts Facts, FrameVisibility Visibility, long PopulatedPages,
    IReadOnlyList<SavedVma> Vmas, SavedSharedMemory SharedMemory);

/// <summary>
/// Everything a snapshot holds but page data, read once when it is opened: each table against its
/// checksum first, then every value against what a machine can have and against the other tables.
/// Afterwards only page data is read, chunk by chunk, and checked against the chunk's hash.
/// </summary>
/// <param name="Meta">The meta table.</param>
/// <param name="Processes">The processes, by pid.</param>
/// <param name="Frames">The machine's frames, when taken with --frames.</param>
internal sealed record SnapshotCatalog(SnapshotMeta Meta, IReadOnlyList<SavedProcess> Processes, SavedFrames? Frames)
{
    private static readonly List<string> s_kindNames = [.. SegmentClass.KindNames];

    /// <summary>Reads and checks every table but the page data.</summary>
    /// <exception cref="SnapshotContentException">A table fails its checksum, or holds what no machine can have.</exception>
    public static SnapshotCatalog Read(SqliteConnection connection)
    {
        var digests = ReadDigests(connection);
        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in Rows(connection, digests, SnapshotFormat.Meta)) meta[row.Text(0)] = row.Text(1);
        var parsed = SnapshotMeta.Parse(meta);
        var processes = ReadProcesses(Rows(connection, digests, SnapshotFormat.Processes));
        var vmas = ReadVmas(row => Stream(connection, digests, SnapshotFormat.Vmas, row), processes, parsed.Machine);
        ReadChunks(row => Stream(connection, digests, SnapshotFormat.Pages, row), vmas);
        var shared = SavedSharedMemory.Read(table => Rows(connection, digests, table), vmas, parsed.Machine.PageSize);
        var saved = processes.Select(p => p with { Vmas = vmas[p.Pid], SharedMemory = shared[p.Pid] }).ToArray();
        foreach (var process in saved)
        {
            long pages = process.Vmas.Sum(v => v.Chunks.Sum(c => (long)c.Count));
            if (pages != process.PopulatedPages)
                throw new SnapshotContentException("processes", $"process {process.Pid} is said to have {process.PopulatedPages} populated pages, its chunks hold {pages}");
        }
        var frames = SavedFrames.Read(parsed, table => Rows(connection, digests, table));
        return new SnapshotCatalog(parsed, saved, frames);
    }

    /// <summary>The digests table: one checksum for each table of the format, and no other.</summary>
    private static Dictionary<string, (long Rows, long Digest)> ReadDigests(SqliteConnection connection)
    {
        var digests = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        TableDigest.Read(connection, new SnapshotTable("digests", "SELECT name, rows, digest FROM digests ORDER BY name"),
            row => digests[row.Text(0)] = (row.Integer(1), row.Integer(2)));
        foreach (var table in SnapshotFormat.DigestedTables)
            if (!digests.ContainsKey(table.Name)) throw new SnapshotContentException("digests", $"the checksum of table {table.Name} is missing");
        if (digests.Count != SnapshotFormat.DigestedTables.Count)
            throw new SnapshotContentException("digests", $"it holds {digests.Count} checksums, not {SnapshotFormat.DigestedTables.Count}");
        return digests;
    }

    /// <summary>Every row of a table, once its checksum matched: nothing is checked or used before.</summary>
    private static List<StoredRow> Rows(SqliteConnection connection, Dictionary<string, (long Rows, long Digest)> digests, SnapshotTable table)
    {
        var rows = new List<StoredRow>();
        Verify(digests, table, TableDigest.Read(connection, table, rows.Add));
        return rows;
    }

    /// <summary>
    /// The rows of a large table one by one (in one reused buffer), read once: 20,000 rows are never
    /// held at once. What a row says is refused only once the table's checksum matched, as if its rows
    /// were checked after: damage is reported as damage, and nothing read is used before the whole
    /// catalogue is checked.
    /// </summary>
    private static void Stream(SqliteConnection connection, Dictionary<string, (long Rows, long Digest)> digests, SnapshotTable table, Action<StoredRow> row)
    {
        SnapshotContentException? refused = null;
        var read = TableDigest.Read(connection, table, stored =>
        {
            if (refused is not null) return;
            try
            {
                row(stored);
            }
            catch (SnapshotContentException e)
            {
                refused = e;
            }
        }, reuseRow: true);
        Verify(digests, table, read);
        if (refused is not null) ExceptionDispatchInfo.Throw(refused);
    }

    private static void Verify(Dictionary<string, (long Rows, long Digest)> digests, SnapshotTable table, (long Rows, long Digest) read)
    {
        var (count, digest) = read;
        var expected = digests[table.Name];
        if (count != expected.Rows || digest != expected.Digest)
            throw new SnapshotContentException(table.Name, count != expected.Rows
                ? $"{count} rows, where its checksum was taken over {expected.Rows} (the file is damaged)"
                : "its rows fail their checksum (the file is damaged)");
    }

    private static List<SavedProcess> ReadProcesses(List<StoredRow> rows)
    {
        var processes = new List<SavedProcess>(rows.Count);
        foreach (var row in rows)
        {
            int pid = (int)row.Integer(0, 1, MachineLimits.PidLimit - 1);
            string command = row.Text(1);
            // Format 3 keeps the kernel's text (see ProcessFacts.Source), parsed here once, when the file is opened.
            ProcessFacts facts;
            try
            {
                facts = ProcFacts.Parse(new ProcText(row.Text(2), row.Text(3)), $"the stat of process {pid}");
            }
            catch (KernelDataException e)
            {
                throw row.Invalid(e.Message);
            }
            if (facts.Pid != pid || facts.Name != command)
                throw row.Invalid($"process {pid} ({SnapshotMeta.Shown(command)}) has the stat of process {facts.Pid} ({SnapshotMeta.Shown(facts.Name)})");
            bool pfns = row.Flag(4), flags = row.Flag(5);
            string? reason = row.OptionalText(6);
            if (flags && !pfns) throw row.Invalid($"process {pid}: frame flags are said visible without the frame numbers to look them up");
            if (reason is null != (pfns && flags)) throw row.Invalid($"process {pid}: a reason is given exactly when a figure is hidden, and here it is not");
            var visibility = pfns && flags ? FrameVisibility.Full : new FrameVisibility(pfns, flags, reason);
            processes.Add(new SavedProcess(pid, facts, visibility, row.Integer(7, 0, long.MaxValue), [], SavedSharedMemory.Empty));
        }
        return processes;
    }

    /// <summary>Each process's VMAs: numbered from 0, page aligned, in user space, in order and apart.</summary>
    private static Dictionary<int, List<SavedVma>> ReadVmas(Action<Action<StoredRow>> rows, List<SavedProcess> processes, MachineInfo machine)
    {
        var vmas = processes.ToDictionary(p => p.Pid, _ => new List<SavedVma>());
        ulong pageSize = (ulong)machine.PageSize;
        rows(row =>
        {
            int pid = (int)row.Integer(0, 1, MachineLimits.PidLimit - 1);
            if (!vmas.TryGetValue(pid, out var list)) throw row.Invalid($"VMAs of process {pid}, which the snapshot does not list");
            long index = row.Integer(1);
            if (index != list.Count) throw row.Invalid($"process {pid}: VMA {index} where VMA {list.Count} should be");
            ulong start = (ulong)row.Integer(2), end = (ulong)row.Integer(3);
            // Named only when something is wrong: formatting it for each of 20,000 good rows cost more than checking them.
            string where() => $"process {pid}, VMA {index} (0x{start:x}-0x{end:x})";
            if (start >= end || start % pageSize != 0 || end % pageSize != 0) throw row.Invalid($"{where()}: not a page-aligned range");
            bool vsyscall = start == MachineLimits.VsyscallStart && end == start + pageSize;
            if (end > machine.Paging.UserAddressEnd && !vsyscall)
                throw row.Invalid($"{where()}: above user space, which ends at 0x{machine.Paging.UserAddressEnd:x} with {machine.Paging}");
            if (list.Count > 0 && start < list[^1].Vma.Vma.End) throw row.Invalid($"{where()}: overlaps or precedes the VMA before it");
            var permissions = (VmaPermissions)row.Integer(4, 0, (long)(VmaPermissions.Read | VmaPermissions.Write | VmaPermissions.Execute | VmaPermissions.Shared));
            ulong offset = (ulong)row.Integer(5);
            if (offset % pageSize != 0) throw row.Invalid($"{where()}: file offset 0x{offset:x} is not page aligned");
            var vma = new Vma(start, end, permissions, offset, (uint)row.Integer(6, 0, MachineLimits.DeviceMajorLimit - 1),
                (uint)row.Integer(7, 0, MachineLimits.DeviceMinorLimit - 1), (ulong)row.Integer(8), row.Text(9), row.Flag(10));
            int kind = s_kindNames.IndexOf(row.Text(11));
            if (kind < 0) throw row.Invalid($"{where()}: unknown segment class '{SnapshotMeta.Shown(row.Text(11))}'");
            int? thread = row.OptionalInteger(13) is { } tid
                ? tid > 0 && tid < MachineLimits.PidLimit ? (int)tid : throw row.Invalid($"{where()}: thread {tid} is not a possible thread id")
                : null;
            ulong kernelPageSize = (ulong)row.Integer(14);
            if (kernelPageSize != pageSize && kernelPageSize != MachineLimits.PmdPageSize && kernelPageSize != MachineLimits.PudPageSize)
                throw row.Invalid($"{where()}: {kernelPageSize}-byte pages, which x86-64 does not have");
            if (start % kernelPageSize != 0 || end % kernelPageSize != 0) throw row.Invalid($"{where()}: not aligned to its {kernelPageSize}-byte pages");
            // Most VMAs have one chunk: a list of the default four would hold three empty ones each.
            list.Add(new SavedVma(new ClassifiedVma(vma, new SegmentClass((SegmentKind)kind, row.OptionalText(12), thread)), kernelPageSize, new List<PageChunk>(1)));
        });
        return vmas;
    }

    /// <summary>Each chunk given to its VMA: inside it, page aligned, after the chunk before, no more pages than its span holds.</summary>
    private static void ReadChunks(Action<Action<StoredRow>> rows, Dictionary<int, List<SavedVma>> vmas)
    {
        rows(row =>
        {
            long id = row.Integer(0);
            int pid = (int)row.Integer(1, 1, MachineLimits.PidLimit - 1);
            long index = row.Integer(2);
            if (!vmas.TryGetValue(pid, out var list) || index < 0 || index >= list.Count)
                throw row.Invalid($"chunk {id} belongs to VMA {index} of process {pid}, which the snapshot does not hold");
            var vma = list[(int)index];
            var chunk = new PageChunk(id, (ulong)row.Integer(3), (ulong)row.Integer(4), (int)row.Integer(5, 1, SnapshotFormat.MaxChunkPages), row.Integer(6));
            var (first, last, count) = (chunk.First, chunk.Last, chunk.Count);
            string where() => chunk.Name(pid);
            if (first > last || first % MachineLimits.PageSize != 0 || last % MachineLimits.PageSize != 0 || !vma.Vma.Vma.Contains(first) || !vma.Vma.Vma.Contains(last))
                throw row.Invalid($"{where()}: not page-aligned addresses inside its VMA 0x{vma.Vma.Vma.Start:x}-0x{vma.Vma.Vma.End:x}");
            if (vma.Chunks.Count > 0 && first <= vma.Chunks[^1].Last) throw row.Invalid($"{where()}: overlaps or precedes the chunk before it");
            if ((ulong)count - 1 > (last - first) / MachineLimits.PageSize)
                throw row.Invalid($"{where()}: {count} pages do not fit between its first and last address");
            vma.Chunks.Add(chunk);
        });
    }
}
