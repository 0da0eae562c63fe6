using Microsoft.Data.Sqlite;
using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.Snapshots;

/// <summary>
/// A process read back from a snapshot: the same model a live process gives (VMAs with classes,
/// stat, status, page batches with frames), so every analysis gives the result it gave live.
/// </summary>
internal sealed class SnapshotTarget : IMemoryTarget
{
    private const int BatchPages = 16384;
    private readonly Snapshot _snapshot;
    private readonly SqliteConnection _connection;
    private readonly Dictionary<ClassifiedVma, (int Index, ulong KernelPageSize)> _vmaInfo;

    private SnapshotTarget(Snapshot snapshot, SqliteConnection connection, int pid, ProcStat stat, ProcStatus status, FrameVisibility visibility,
        IReadOnlyList<ClassifiedVma> vmas, Dictionary<ClassifiedVma, (int, ulong)> vmaInfo)
    {
        _snapshot = snapshot;
        _connection = connection;
        Pid = pid;
        Stat = stat;
        Status = status;
        Visibility = visibility;
        Vmas = vmas;
        _vmaInfo = vmaInfo;
    }

    public int Pid { get; }
    public MachineInfo Machine => _snapshot.Machine;
    public ProcStat Stat { get; }
    public ProcStatus Status { get; }
    public IReadOnlyList<ClassifiedVma> Vmas { get; }
    public FrameVisibility Visibility { get; }

    public static SnapshotTarget Load(Snapshot snapshot, int pid)
    {
        var connection = snapshot.NewConnection();
        try
        {
            ProcStat stat;
            ProcStatus status;
            FrameVisibility visibility;
            using (var read = connection.CreateCommand())
            {
                read.CommandText = "SELECT stat, status, pfns_visible, flags_visible, visibility_reason FROM processes WHERE pid = $pid";
                read.Parameters.AddWithValue("$pid", pid);
                using var reader = read.ExecuteReader();
                if (!reader.Read()) throw new InvalidDataException($"process {pid} is listed but has no row");
                stat = ProcStat.Parse(reader.GetString(0), "snapshot stat");
                status = ProcStatus.Parse(reader.GetString(1));
                visibility = reader.GetInt64(2) == 1 && reader.GetInt64(3) == 1 ? FrameVisibility.Full
                    : new FrameVisibility(reader.GetInt64(2) == 1, reader.GetInt64(3) == 1, reader.IsDBNull(4) ? null : reader.GetString(4));
            }
            var vmas = new List<ClassifiedVma>();
            var info = new Dictionary<ClassifiedVma, (int, ulong)>(ReferenceEqualityComparer.Instance);
            using (var read = connection.CreateCommand())
            {
                read.CommandText = """
                    SELECT idx, start, end, perms, offset, dev_major, dev_minor, inode, path, deleted, kind, owner, thread, kernel_page_size
                    FROM vmas WHERE pid = $pid ORDER BY idx
                    """;
                read.Parameters.AddWithValue("$pid", pid);
                using var reader = read.ExecuteReader();
                while (reader.Read())
                {
                    var vma = new Vma((ulong)reader.GetInt64(1), (ulong)reader.GetInt64(2), (VmaPermissions)reader.GetInt32(3), (ulong)reader.GetInt64(4),
                        (uint)reader.GetInt64(5), (uint)reader.GetInt64(6), (ulong)reader.GetInt64(7), reader.GetString(8), reader.GetInt64(9) == 1);
                    int kind = SegmentClass.KindNames.ToList().IndexOf(reader.GetString(10));
                    if (kind < 0) throw new InvalidDataException($"unknown segment class '{reader.GetString(10)}'");
                    var segment = new SegmentClass((SegmentKind)kind, reader.IsDBNull(11) ? null : reader.GetString(11), reader.IsDBNull(12) ? null : reader.GetInt32(12));
                    var classified = new ClassifiedVma(vma, segment);
                    vmas.Add(classified);
                    info[classified] = (reader.GetInt32(0), (ulong)reader.GetInt64(13));
                }
            }
            return new SnapshotTarget(snapshot, connection, pid, stat, status, visibility, vmas, info);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public ulong KernelPageSize(ClassifiedVma vma) => _vmaInfo.TryGetValue(vma, out var info) ? info.KernelPageSize : (ulong)Machine.PageSize;

    public IEnumerable<PageBatch> ReadPages(ulong start, ulong end, PageReadOptions options)
    {
        // Pages that [start, end) only partly covers are read whole, as a live process reads them.
        var whole = new AddressRange(start, end).ToWholePages(Machine.PageSize);
        foreach (var vma in Vmas)
        {
            if (vma.Vma.End <= whole.Start || vma.Vma.Start >= whole.End) continue;
            ulong from = Math.Max(whole.Start, vma.Vma.Start), to = Math.Min(whole.End, vma.Vma.End);
            var populated = _snapshot.Guard(() => ReadStored(_vmaInfo[vma].Index, from, to));
            var pages = options.PopulatedOnly ? populated : WithGaps(populated, from, to);
            for (int at = 0; at < pages.Count; at += BatchPages)
            {
                var batch = pages.GetRange(at, Math.Min(BatchPages, pages.Count - at)).ToArray();
                if (!options.WithFrames) Strip(batch);
                yield return new PageBatch(vma, batch);
            }
        }
    }

    /// <summary>The populated pages of one VMA within [from, to).</summary>
    private List<PageRecord> ReadStored(int vmaIndex, ulong from, ulong to)
    {
        var pages = new List<PageRecord>();
        using var read = _connection.CreateCommand();
        read.CommandText = "SELECT first_address, data, hash, count FROM pages WHERE pid = $pid AND vma = $vma AND last_address >= $from AND first_address < $to ORDER BY first_address";
        read.Parameters.AddWithValue("$pid", Pid);
        read.Parameters.AddWithValue("$vma", vmaIndex);
        read.Parameters.AddWithValue("$from", (long)from);
        read.Parameters.AddWithValue("$to", (long)to);
        using var reader = read.ExecuteReader();
        var decoded = new List<PageRecord>();
        while (reader.Read())
        {
            decoded.Clear();
            var data = (byte[])reader[1];
            if (PageChunkCodec.Hash(data) != reader.GetInt64(2))
                throw new InvalidDataException($"the pages of process {Pid} from 0x{reader.GetInt64(0):x} fail their checksum");
            PageChunkCodec.Decode(data, (ulong)reader.GetInt64(0), Machine.PageSize, decoded);
            if (decoded.Count != reader.GetInt64(3))
                throw new InvalidDataException($"the pages of process {Pid} from 0x{reader.GetInt64(0):x} decode to {decoded.Count} pages, not {reader.GetInt64(3)}");
            foreach (var page in decoded)
                if (page.Address >= from && page.Address < to) pages.Add(page);
        }
        return pages;
    }

    /// <summary>Every page of [from, to): the stored ones, and empty entries for the rest, as a live read returns them.</summary>
    private List<PageRecord> WithGaps(List<PageRecord> populated, ulong from, ulong to)
    {
        var pages = new List<PageRecord>();
        ulong pageSize = (ulong)Machine.PageSize;
        int next = 0;
        for (ulong address = from & ~(pageSize - 1); address < to; address += pageSize)
        {
            if (next < populated.Count && populated[next].Address == address) pages.Add(populated[next++]);
            else pages.Add(new PageRecord(address, default, FrameFlags.None, 0, false));
        }
        return pages;
    }

    /// <summary>A live read without frames has no flags or map counts; neither has this one.</summary>
    private static void Strip(PageRecord[] batch)
    {
        for (int i = 0; i < batch.Length; i++) batch[i] = batch[i] with { Flags = FrameFlags.None, MapCount = 0 };
    }

    /// <summary>A snapshot opened for this target alone, closed with it.</summary>
    internal Snapshot? Owned { get; set; }

    public void Dispose()
    {
        _connection.Dispose();
        Owned?.Dispose();
    }
}
