using Microsoft.Data.Sqlite;
using PageAtlas.Model;

namespace PageAtlas.Snapshots;

/// <summary>
/// What a snapshot keeps of shared memory beyond the page table, so that maps, composition,
/// translate and diff read from the file what they read live: per process whether a swap area was
/// active; per shared-memory VMA smaps' Swap (<see cref="SharedMemorySwap"/>); per VMA the runs of
/// pages its shared-memory object held in RAM or in swap (<see cref="IMemoryTarget.SharedObjectPages"/>).
/// A snapshot written before these tables existed reads as holding nothing in them.
/// </summary>
internal static class SharedMemoryTables
{
    public const string Schema = """
        CREATE TABLE shared_memory_processes(pid INTEGER PRIMARY KEY, swap_active INTEGER NOT NULL);
        CREATE TABLE shared_memory_swap(pid INTEGER NOT NULL, vma INTEGER NOT NULL, smaps_swap INTEGER NOT NULL, PRIMARY KEY(pid, vma));
        CREATE TABLE shared_object_pages(pid INTEGER NOT NULL, vma INTEGER NOT NULL, first_address INTEGER NOT NULL, pages INTEGER NOT NULL,
            state TEXT NOT NULL, PRIMARY KEY(pid, vma, first_address));
        """;

    private const string Resident = "resident", Swapped = "swapped";

    /// <summary>Saves the shared-memory figures of <paramref name="target"/>, whose VMAs are numbered by <paramref name="vmaIndex"/>.</summary>
    public static void Write(SqliteConnection connection, IMemoryTarget target, IReadOnlyDictionary<ClassifiedVma, int> vmaIndex, CancellationToken cancel)
    {
        var swap = target.SharedMemorySwap;
        using (var insert = Command(connection, "INSERT INTO shared_memory_processes(pid, swap_active) VALUES ($pid, $active)", target.Pid))
        {
            insert.Parameters.AddWithValue("$active", swap.SwapActive ? 1 : 0);
            insert.ExecuteNonQuery();
        }
        using var swapInsert = Command(connection, "INSERT INTO shared_memory_swap(pid, vma, smaps_swap) VALUES ($pid, $vma, $swap)", target.Pid);
        using var runInsert = Command(connection, "INSERT INTO shared_object_pages(pid, vma, first_address, pages, state) VALUES ($pid, $vma, $first, $pages, $state)", target.Pid);
        foreach (var vma in target.Vmas)
        {
            cancel.ThrowIfCancellationRequested();
            if (swap.SmapsSwapBytes.TryGetValue(vma.Vma.Start, out ulong bytes))
                Execute(swapInsert, ("$vma", vmaIndex[vma]), ("$swap", (long)bytes));
            foreach (var run in target.SharedObjectPages(vma, vma.Vma.Start, vma.Vma.End))
                Execute(runInsert, ("$vma", vmaIndex[vma]), ("$first", (long)run.Start), ("$pages", (long)run.Pages),
                    ("$state", run.State == ObjectPageState.Swapped ? Swapped : Resident));
        }
    }

    /// <summary>The process's <see cref="SharedMemorySwap"/>; <paramref name="vmas"/> are its VMAs by their index in the file.</summary>
    public static SharedMemorySwap ReadSwap(SqliteConnection connection, int pid, IReadOnlyDictionary<int, ClassifiedVma> vmas)
    {
        if (!Exists(connection)) return SharedMemorySwap.NoSwap;
        bool active;
        using (var read = Command(connection, "SELECT swap_active FROM shared_memory_processes WHERE pid = $pid", pid))
            active = read.ExecuteScalar() is long flag && flag == 1;
        var bytes = new Dictionary<ulong, ulong>();
        using (var read = Command(connection, "SELECT vma, smaps_swap FROM shared_memory_swap WHERE pid = $pid", pid))
        {
            using var reader = read.ExecuteReader();
            while (reader.Read()) bytes[VmaAt(vmas, reader.GetInt32(0)).Vma.Start] = (ulong)reader.GetInt64(1);
        }
        return new SharedMemorySwap(active, bytes);
    }

    /// <summary>Every VMA's saved object runs, by VMA, in address order.</summary>
    /// <exception cref="InvalidDataException">A run lies outside its VMA, overlaps the previous one, or has an unknown state.</exception>
    public static Dictionary<ClassifiedVma, List<ObjectPageRun>> ReadRuns(SqliteConnection connection, int pid, IReadOnlyDictionary<int, ClassifiedVma> vmas, int pageSize)
    {
        var runs = new Dictionary<ClassifiedVma, List<ObjectPageRun>>(ReferenceEqualityComparer.Instance);
        if (!Exists(connection)) return runs;
        using var read = Command(connection, "SELECT vma, first_address, pages, state FROM shared_object_pages WHERE pid = $pid ORDER BY vma, first_address", pid);
        using var reader = read.ExecuteReader();
        while (reader.Read())
        {
            var vma = VmaAt(vmas, reader.GetInt32(0));
            var state = reader.GetString(3) switch
            {
                Resident => ObjectPageState.Resident,
                Swapped => ObjectPageState.Swapped,
                var other => throw new InvalidDataException($"shared-memory pages of process {pid} have an unknown state '{other}'"),
            };
            var run = new ObjectPageRun((ulong)reader.GetInt64(1), (ulong)reader.GetInt64(2), state);
            if (!runs.TryGetValue(vma, out var list)) runs[vma] = list = [];
            ulong previousEnd = list.Count > 0 ? list[^1].End(pageSize) : vma.Vma.Start;
            if (run.Pages == 0 || run.Start % (ulong)pageSize != 0 || run.Start < previousEnd || run.Pages > (vma.Vma.End - run.Start) / (ulong)pageSize)
                throw new InvalidDataException($"shared-memory pages of process {pid} at 0x{run.Start:x} lie outside their VMA or overlap");
            list.Add(run);
        }
        return runs;
    }

    /// <summary>The parts of <paramref name="runs"/> within [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public static List<ObjectPageRun> Clip(IReadOnlyList<ObjectPageRun> runs, ulong from, ulong to, int pageSize)
    {
        ulong size = (ulong)pageSize;
        from &= ~(size - 1);
        var clipped = new List<ObjectPageRun>();
        foreach (var run in runs)
        {
            ulong start = Math.Max(run.Start, from), end = Math.Min(run.End(pageSize), to);
            if (start < end) clipped.Add(run with { Start = start, Pages = (end - start + size - 1) / size });
        }
        return clipped;
    }

    private static bool Exists(SqliteConnection connection)
    {
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'shared_object_pages'";
        return read.ExecuteScalar() is long count && count > 0;
    }

    private static ClassifiedVma VmaAt(IReadOnlyDictionary<int, ClassifiedVma> vmas, int index) => vmas.TryGetValue(index, out var vma)
        ? vma : throw new InvalidDataException($"shared-memory figures name VMA {index}, which the process does not have");

    private static SqliteCommand Command(SqliteConnection connection, string sql, int pid)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$pid", pid);
        return command;
    }

    private static void Execute(SqliteCommand insert, params (string Name, object Value)[] values)
    {
        SnapshotWriter.Set(insert, values);
        insert.ExecuteNonQuery();
    }
}
