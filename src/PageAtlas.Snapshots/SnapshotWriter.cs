using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Output;

namespace PageAtlas.Snapshots;

/// <summary>What taking a snapshot wrote.</summary>
/// <param name="Path">The file.</param>
/// <param name="Bytes">Its size.</param>
/// <param name="Processes">Processes saved.</param>
/// <param name="PopulatedPages">Populated pages saved, over all processes.</param>
/// <param name="Seconds">Time taken.</param>
public sealed record SnapshotSummary(string Path, long Bytes, int Processes, ulong PopulatedPages, double Seconds)
{
    /// <summary>File bytes per populated page.</summary>
    public double BytesPerPage => PopulatedPages == 0 ? 0 : (double)Bytes / PopulatedPages;
}

/// <summary>
/// Saves processes (and optionally the machine's frames) into one snapshot file, written through
/// <see cref="OutputFile"/>: a failure or an interruption never leaves a half-written file under the
/// name asked for, and a device, FIFO or standard output gets the finished file's bytes.
/// </summary>
public static class SnapshotWriter
{
    /// <summary>Writes <paramref name="targets"/> to <paramref name="path"/>.</summary>
    /// <exception cref="OperationCanceledException">Cancelled; nothing is left behind.</exception>
    /// <exception cref="FileAccessException">The file cannot be written (no space, read-only, permission, not a file PageAtlas writes).</exception>
    public static SnapshotSummary Write(string path, IReadOnlyList<IMemoryTarget> targets, MachineInfo machine, MachineFrames? frames,
        CancellationToken cancel = default) =>
        Save(path, fill => OutputFile.Write(path, fill), targets, machine, frames, cancel) with { Path = System.IO.Path.GetFullPath(path) };

    /// <summary>Saves the live processes <paramref name="pids"/> (their pages, not the machine's frames) to <paramref name="path"/>, as `snapshot PID… -o` does.</summary>
    /// <exception cref="TargetUnavailableException">A process is gone or cannot be read.</exception>
    /// <exception cref="FileAccessException">The file cannot be written.</exception>
    public static SnapshotSummary WriteLive(string path, IReadOnlyList<int> pids, CancellationToken cancel = default)
    {
        var targets = new List<IMemoryTarget>();
        try
        {
            foreach (int pid in pids) targets.Add(LiveProcess.Open(pid));
            return Write(path, targets, LiveProcess.ThisMachine(), null, cancel);
        }
        finally
        {
            foreach (var target in targets) target.Dispose();
        }
    }

    /// <summary>Writes <paramref name="targets"/> into <paramref name="destination"/> (standard output), <paramref name="name"/> naming it in messages.</summary>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    /// <exception cref="FileAccessException">The temporary copy cannot be written.</exception>
    public static SnapshotSummary Write(Stream destination, string name, IReadOnlyList<IMemoryTarget> targets, MachineInfo machine, MachineFrames? frames,
        CancellationToken cancel = default) =>
        Save(name, fill => OutputFile.WriteStaged(destination, fill), targets, machine, frames, cancel);

    /// <summary>Has <paramref name="output"/> take the database, filled by the action it is given, where it belongs.</summary>
    private static SnapshotSummary Save(string name, Func<Action<string>, long> output, IReadOnlyList<IMemoryTarget> targets, MachineInfo machine,
        MachineFrames? frames, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        ulong populated = 0;
        long bytes = output(staged => populated = WriteDatabase(staged, name, targets, machine, frames, cancel));
        return new SnapshotSummary(name, bytes, targets.Count, populated, clock.Elapsed.TotalSeconds);
    }

    /// <summary>Fills the new file <paramref name="staged"/>; returns the populated pages saved.</summary>
    private static ulong WriteDatabase(string staged, string name, IReadOnlyList<IMemoryTarget> targets, MachineInfo machine, MachineFrames? frames,
        CancellationToken cancel)
    {
        ulong populated = 0;
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = staged, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
            connection.Open();
            Execute(connection, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;");
            Execute(connection, SnapshotFormat.Schema);
            using var transaction = connection.BeginTransaction();
            WriteMeta(connection, machine, frames is not null);
            foreach (var target in targets)
            {
                cancel.ThrowIfCancellationRequested();
                populated += WriteProcess(connection, target, machine.PageSize, cancel);
            }
            if (frames is not null) WriteFrames(connection, frames);
            TableDigest.WriteAll(connection);
            transaction.Commit();
        }
        catch (SqliteException e) when (StorageFailure(e.SqliteErrorCode) is { } reason)
        {
            throw new FileAccessException(name, $"cannot write {name}: {reason}", e);
        }
        return populated;
    }

    /// <summary>What an SQLite result code says about the file system, or null when it is not about the file (sqlite3.h).</summary>
    private static string? StorageFailure(int code) => code switch
    {
        3 => "permission denied",                 // SQLITE_PERM
        8 => "the file system is read-only",      // SQLITE_READONLY
        10 => "input/output error",               // SQLITE_IOERR
        13 => "no space left on the file system", // SQLITE_FULL
        14 => "the file cannot be opened",        // SQLITE_CANTOPEN
        _ => null,
    };

    private static void WriteMeta(SqliteConnection connection, MachineInfo machine, bool frames)
    {
        using var insert = Command(connection, "INSERT INTO meta(key, value) VALUES ($key, $value)");
        void Put(string key, string value)
        {
            Set(insert, ("$key", key), ("$value", value));
            insert.ExecuteNonQuery();
        }
        Put("format", SnapshotFormat.FormatName);
        Put("version", SnapshotFormat.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Put("created", DateTimeOffset.Now.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        Put("host", Environment.MachineName);
        Put("kernel", machine.KernelRelease);
        Put("boot_id", KernelBootId.Read().ToString("D"));
        Put("page_size", machine.PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Put("paging_levels", machine.Paging.Levels.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Put("frames", frames ? "1" : "0");
    }

    private static ulong WriteProcess(SqliteConnection connection, IMemoryTarget target, int pageSize, CancellationToken cancel)
    {
        var vmaIndex = new Dictionary<ClassifiedVma, int>(ReferenceEqualityComparer.Instance);
        using (var insert = new SnapshotInsert(connection, """
            INSERT INTO vmas(pid, idx, start, end, perms, offset, dev_major, dev_minor, inode, path, deleted, kind, owner, thread, kernel_page_size)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
            """))
        {
            for (int i = 0; i < target.Vmas.Count; i++)
            {
                var classified = target.Vmas[i];
                var vma = classified.Vma;
                vmaIndex[classified] = i;
                insert.Integer(target.Pid).Integer(i).Integer((long)vma.Start).Integer((long)vma.End).Integer((int)vma.Permissions)
                    .Integer((long)vma.Offset).Integer(vma.DeviceMajor).Integer(vma.DeviceMinor).Integer((long)vma.Inode).Text(vma.Path)
                    .Integer(vma.IsDeleted ? 1 : 0).Text(classified.Class.KindName).Text(classified.Class.Owner)
                    .OptionalInteger(classified.Class.ThreadId).Integer((long)KernelPageSizeOf(target, classified)).Run();
            }
        }

        ulong populated = 0;
        using (var insert = new SnapshotInsert(connection, "INSERT INTO pages(pid, vma, first_address, last_address, count, hash, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"))
        {
            foreach (var batch in target.ReadPages(0, ulong.MaxValue, PageReadOptions.PopulatedWithFrames))
            {
                cancel.ThrowIfCancellationRequested();
                for (int at = 0; at < batch.Pages.Length; at += SnapshotFormat.MaxChunkPages)
                {
                    var pages = batch.Pages.Span.Slice(at, Math.Min(SnapshotFormat.MaxChunkPages, batch.Pages.Length - at));
                    byte[] data = PageChunkCodec.Encode(pages, pageSize);
                    insert.Integer(target.Pid).Integer(vmaIndex[batch.Vma]).Integer((long)pages[0].Address).Integer((long)pages[^1].Address)
                        .Integer(pages.Length).Integer(Fnv1a64.Of(data)).Blob(data).Run();
                }
                populated += (ulong)batch.Pages.Length;
            }
        }

        SharedMemoryTables.Write(connection, target, vmaIndex, cancel);

        using (var insert = Command(connection, """
            INSERT INTO processes(pid, command, stat, status, pfns_visible, flags_visible, visibility_reason, populated_pages)
            VALUES ($pid, $command, $stat, $status, $pfns, $flags, $reason, $populated)
            """))
        {
            // Format 3 stores the kernel's text, not the facts parsed from it (see ProcessFacts.Source).
            var text = target.Facts.Source ?? throw new InvalidOperationException($"process {target.Pid}'s facts were not read from /proc: format 3 cannot store them");
            Set(insert, ("$pid", target.Pid), ("$command", target.Facts.Name), ("$stat", text.Stat), ("$status", text.Status),
                ("$pfns", target.Visibility.PfnsVisible ? 1 : 0), ("$flags", target.Visibility.FrameFlagsVisible ? 1 : 0),
                ("$reason", (object?)target.Visibility.Reason ?? DBNull.Value), ("$populated", (long)populated));
            insert.ExecuteNonQuery();
        }
        return populated;
    }

    /// <summary>smaps is read only for VMAs that can hold huge pages: it walks every page in the kernel.</summary>
    private static ulong KernelPageSizeOf(IMemoryTarget target, ClassifiedVma vma) =>
        vma.Vma.Size >= 2UL << 20 ? target.KernelPageSize(vma) : (ulong)target.Machine.PageSize;

    private static void WriteFrames(SqliteConnection connection, MachineFrames frames)
    {
        using (var insert = Command(connection, "INSERT INTO machine_files(name, text) VALUES ($name, $text)"))
        {
            foreach (var (name, text) in new[] { ("meminfo", frames.Meminfo), ("buddyinfo", frames.Buddyinfo), ("zoneinfo", frames.Zoneinfo),
                         ("uninitialised", UninitialisedMemory.Format(frames.Census.Uninitialised)) })
            {
                Set(insert, ("$name", name), ("$text", text));
                insert.ExecuteNonQuery();
            }
        }
        using (var meta = Command(connection, "INSERT INTO meta(key, value) VALUES ($key, $value)"))
        {
            foreach (var (key, value) in new[] { ("census_start", frames.Census.StartPfn), ("census_end", frames.Census.EndPfn), ("frame_limit", frames.Map.FrameLimit), ("frames_per_cell", frames.Map.FramesPerCell) })
            {
                Set(meta, ("$key", key), ("$value", value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                meta.ExecuteNonQuery();
            }
        }
        using (var insert = Command(connection, "INSERT INTO frame_census(flags, frames, mapped, map_sum) VALUES ($flags, $frames, $mapped, $sum)"))
        {
            foreach (var c in frames.Census.Combinations)
            {
                Set(insert, ("$flags", (long)c.Flags), ("$frames", (long)c.Frames), ("$mapped", (long)c.MappedFrames), ("$sum", (long)(c.MapCountSum ?? throw new InvalidOperationException("a snapshot's census adds up the map counts (MachineFrames.Take)"))));
                insert.ExecuteNonQuery();
            }
        }
        using (var insert = Command(connection, "INSERT INTO physmap_cells(first_pfn, frames, counts) VALUES ($first, $frames, $counts)"))
        {
            foreach (var cell in frames.Map.Cells)
            {
                Set(insert, ("$first", (long)cell.FirstPfn), ("$frames", (long)cell.Frames), ("$counts", MemoryMarshal.AsBytes(cell.Counts.AsSpan()).ToArray()));
                insert.ExecuteNonQuery();
            }
        }
        using (var insert = Command(connection, "INSERT INTO physmap_ranges(idx, start, end, name, counts) VALUES ($idx, $start, $end, $name, $counts)"))
        {
            for (int i = 0; i < frames.Map.Ranges.Count; i++)
            {
                var range = frames.Map.Ranges[i];
                Set(insert, ("$idx", i), ("$start", (long)range.Range.Start), ("$end", (long)range.Range.End), ("$name", range.Range.Name),
                    ("$counts", MemoryMarshal.AsBytes(range.Kinds.Counts.AsSpan()).ToArray()));
                insert.ExecuteNonQuery();
            }
        }
    }

    internal static SqliteCommand Command(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    /// <summary>Sets parameters by name, creating them on first use so the prepared command is reused.</summary>
    internal static void Set(SqliteCommand command, params (string Name, object Value)[] values)
    {
        foreach (var (name, value) in values)
        {
            if (command.Parameters.Contains(name)) command.Parameters[name].Value = value;
            else command.Parameters.AddWithValue(name, value);
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = Command(connection, sql);
        command.ExecuteNonQuery();
    }
}
