using Microsoft.Data.Sqlite;
using PageAtlas.Model;

namespace PageAtlas.Snapshots;

/// <summary>
/// Writes what a process's shared memory holds beyond the page table into the snapshot's three
/// shared-memory tables (<see cref="SnapshotFormat.SharedMemoryProcesses"/>, <see cref="SnapshotFormat.SharedMemorySwap"/>,
/// <see cref="SnapshotFormat.SharedObjectPages"/>); <see cref="SavedSharedMemory"/> reads them back.
/// </summary>
internal static class SharedMemoryTables
{
    /// <summary>Saves the shared-memory figures of <paramref name="target"/>, whose VMAs are numbered by <paramref name="vmaIndex"/>.</summary>
    public static void Write(SqliteConnection connection, IMemoryTarget target, IReadOnlyDictionary<ClassifiedVma, int> vmaIndex, CancellationToken cancel)
    {
        var swap = target.SharedMemorySwap;
        using (var insert = SnapshotWriter.Command(connection, "INSERT INTO shared_memory_processes(pid, swap_active) VALUES ($pid, $active)"))
            Execute(insert, ("$pid", target.Pid), ("$active", swap.SwapActive ? 1 : 0));
        using var swapInsert = SnapshotWriter.Command(connection, "INSERT INTO shared_memory_swap(pid, vma, smaps_swap) VALUES ($pid, $vma, $swap)");
        using var runInsert = SnapshotWriter.Command(connection, "INSERT INTO shared_object_pages(pid, vma, first_address, pages, state) VALUES ($pid, $vma, $first, $pages, $state)");
        foreach (var vma in target.Vmas)
        {
            cancel.ThrowIfCancellationRequested();
            if (swap.SmapsSwapBytes.TryGetValue(vma.Vma.Start, out ulong bytes))
                Execute(swapInsert, ("$pid", target.Pid), ("$vma", vmaIndex[vma]), ("$swap", (long)bytes));
            foreach (var run in target.SharedObjectPages(vma, vma.Vma.Start, vma.Vma.End))
                Execute(runInsert, ("$pid", target.Pid), ("$vma", vmaIndex[vma]), ("$first", (long)run.Start), ("$pages", (long)run.Pages),
                    ("$state", run.State == ObjectPageState.Swapped ? SnapshotFormat.SharedObjectSwapped : SnapshotFormat.SharedObjectResident));
        }
    }

    private static void Execute(SqliteCommand insert, params (string Name, object Value)[] values)
    {
        SnapshotWriter.Set(insert, values);
        insert.ExecuteNonQuery();
    }
}
