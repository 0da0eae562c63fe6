using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.Analysis;

/// <summary>One page table entry that maps the frame: a process, a virtual address, its VMA.</summary>
/// <param name="Pid">The process.</param>
/// <param name="Command">Its command name.</param>
/// <param name="Address">The virtual page that maps the frame.</param>
/// <param name="Vma">The VMA, with its class.</param>
/// <param name="Page">The page as read (with flags and map count only where the source keeps them).</param>
public sealed record FrameMapping(int Pid, string Command, ulong Address, ClassifiedVma Vma, PageRecord Page);

/// <summary>One frame and everyone who maps it.</summary>
/// <param name="Pfn">The frame.</param>
/// <param name="PageSize">Bytes per frame.</param>
/// <param name="Flags">Its kpageflags.</param>
/// <param name="MapCount">Its kpagecount: how many page-table entries map it.</param>
/// <param name="CgroupInode">/proc/kpagecgroup: the memory cgroup's inode (0 none, null when the kernel lacks the file).</param>
/// <param name="CgroupPath">That cgroup's directory under /sys/fs/cgroup, when found.</param>
/// <param name="Mappings">Every mapping found, by pid then address.</param>
/// <param name="ProcessesSearched">Processes whose page tables were read.</param>
/// <param name="ProcessesSkipped">Processes not read: kernel threads, zombies, processes that exited meanwhile, and any whose maps the kernel refused (named in the notes).</param>
/// <param name="StoppedEarly">The search stopped once it had found as many mappings as the map count says exist.</param>
/// <param name="Notes">What the search skipped and why.</param>
public sealed record FrameOwnersReport(
    ulong Pfn, int PageSize, FrameFlags Flags, ulong MapCount, ulong? CgroupInode, string? CgroupPath,
    IReadOnlyList<FrameMapping> Mappings, int ProcessesSearched, int ProcessesSkipped, bool StoppedEarly, IReadOnlyList<string> Notes)
{
    /// <summary>The frame's physical address.</summary>
    public ulong PhysicalAddress => Pfn * (ulong)PageSize;
}

/// <summary>
/// Answers "who maps this frame?" across every process: the reverse of a page walk, which the
/// kernel keeps (rmap) but does not expose. Each process's populated pages are read (PAGEMAP_SCAN
/// skips the untouched ranges), leaving out VMAs that cannot hold the frame given its kind, and the
/// search ends as soon as it has found all the mappings the frame's map count announces.
/// </summary>
public static class FrameOwners
{
    /// <summary>
    /// Finds every mapping of <paramref name="pfn"/>. From a source that reads frames, the frame's flags
    /// say which VMAs can hold it and its map count when to stop. From one that does not (a snapshot
    /// keeps no frame's flags), every VMA is read, since the frame's flags are known only from the pages
    /// that map it, and the map count may count processes that were not saved: flags and map count are
    /// those saved with the first mapping found.
    /// </summary>
    /// <param name="pfn">The frame.</param>
    /// <param name="frames">The machine's frames.</param>
    /// <param name="pids">The processes to search (every process of the machine, usually).</param>
    /// <param name="open">Opens a process; throws <see cref="TargetUnavailableException"/> for one that cannot be read.</param>
    /// <param name="cgroupInode">kpagecgroup's inode for the frame (null when unknown).</param>
    /// <param name="cgroupPath">Its path.</param>
    /// <exception cref="InvalidRequestException">The frame is beyond the source's last frame.</exception>
    public static FrameOwnersReport Find(ulong pfn, IFrameSource frames, IReadOnlyList<int> pids, Func<int, IMemoryTarget> open,
        ulong? cgroupInode, string? cgroupPath)
    {
        int pageSize = frames.Machine.PageSize;
        if (!frames.ReadsFrames)
        {
            var saved = new List<string> { "searched the processes the snapshot holds; flags and map count are as saved with them" };
            var report = Search(pfn, pageSize, FrameFlags.None, 0, false, _ => true, withFrames: true, pids, open, cgroupInode, cgroupPath, saved);
            if (report.Mappings.Count == 0) return report;
            var page = report.Mappings[0].Page;
            return report with { Flags = page.Flags, MapCount = page.MapCount };
        }
        ulong limit = frames.FrameLimit;
        if (pfn >= limit) throw new InvalidRequestException($"PFN 0x{pfn:x} is beyond the last frame (0x{limit - 1:x})");
        Span<ulong> flagWord = stackalloc ulong[1], countWord = stackalloc ulong[1];
        frames.Read(pfn, flagWord, countWord);
        var flags = (FrameFlags)flagWord[0];
        ulong mapCount = countWord[0];
        var notes = new List<string>();

        // The map count is exact for a small page; a large folio's count is per folio or averaged, and
        // the zero page is not counted at all, so those searches run to the end.
        bool large = (flags & (FrameFlags.CompoundHead | FrameFlags.CompoundTail)) != 0;
        bool zero = (flags & FrameFlags.ZeroPage) != 0;
        bool canStopEarly = !large && !zero;
        if (mapCount == 0 && canStopEarly)
        {
            notes.Add("kpagecount is 0: no page table maps this frame, so no process was searched");
            return new FrameOwnersReport(pfn, pageSize, flags, 0, cgroupInode, cgroupPath, [], 0, 0, false, notes);
        }
        return Search(pfn, pageSize, flags, mapCount, canStopEarly, CandidateVmas(flags, notes), withFrames: false, pids, open, cgroupInode, cgroupPath, notes);
    }

    private static FrameOwnersReport Search(ulong pfn, int pageSize, FrameFlags flags, ulong mapCount, bool canStopEarly, Func<Vma, bool> candidate,
        bool withFrames, IReadOnlyList<int> pids, Func<int, IMemoryTarget> open, ulong? cgroupInode, string? cgroupPath, List<string> notes)
    {
        var found = new List<FrameMapping>();
        var refused = new List<int>();
        var vanished = new List<int>();
        var unreadable = new List<(int Pid, string Why)>();
        int searched = 0, skipped = 0, stop = 0, foundCount = 0;
        Parallel.ForEach(pids, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, (pid, state) =>
        {
            if (Volatile.Read(ref stop) != 0) { state.Stop(); return; }
            var mine = new List<FrameMapping>();
            try
            {
                using var target = open(pid);
                foreach (var vma in target.Vmas)
                {
                    // Every announced mapping found (here or by another worker): nothing left to read.
                    if (canStopEarly && (ulong)(Volatile.Read(ref foundCount) + mine.Count) >= mapCount) break;
                    if (!candidate(vma.Vma)) continue;
                    foreach (var batch in target.ReadPages(vma.Vma.Start, vma.Vma.End, new PageReadOptions(PopulatedOnly: true, WithFrames: withFrames)))
                    {
                        foreach (ref readonly var page in batch.Pages.Span)
                            if (page.Entry.IsPresent && page.Entry.Pfn == pfn) mine.Add(new FrameMapping(pid, target.Facts.Name, page.Address, batch.Vma, page));
                    }
                }
                // A VMA's class is worked out on first use, from the process's threads and ELF files: now,
                // while the process is being read, not when the report is drawn (it may have exited by then).
                foreach (var mapping in mine) _ = mapping.Vma.Class;
                Interlocked.Increment(ref searched);
            }
            catch (TargetUnavailableException e) when (e.Reason is TargetUnavailableReason.NotFound or TargetUnavailableReason.Exited)
            {
                lock (vanished) vanished.Add(pid);
                return;
            }
            catch (TargetUnavailableException)
            {
                Interlocked.Increment(ref skipped);
                return;
            }
            catch (PrivilegeRequiredException)
            {
                lock (refused) refused.Add(pid);
                return;
            }
            catch (KernelDataException e)
            {
                // One process's files that cannot be parsed cost that process, never the search.
                lock (unreadable) unreadable.Add((pid, e.Message));
                return;
            }
            lock (found)
            {
                found.AddRange(mine);
                Volatile.Write(ref foundCount, found.Count);
                if (canStopEarly && (ulong)found.Count >= mapCount) Volatile.Write(ref stop, 1);
            }
        });
        bool stoppedEarly = stop != 0 && searched + skipped + vanished.Count + refused.Count + unreadable.Count < pids.Count;
        if (vanished.Count > 0)
            notes.Add($"{vanished.Count} process(es) exited while the search ran and were skipped ({Listed(vanished)})");
        if (unreadable.Count > 0)
        {
            var first = unreadable.MinBy(u => u.Pid);
            notes.Add($"{unreadable.Count} process(es) could not be read and were not searched ({Listed(unreadable.Select(u => u.Pid).ToList())}): {first.Why}");
        }
        if (refused.Count > 0)
            notes.Add($"the kernel refused the memory maps of {refused.Count} process(es) ({Listed(refused)}): they were not searched");
        if (stoppedEarly) notes.Add($"stopped after finding the {mapCount} mapping(s) kpagecount announces");
        else if (canStopEarly && (ulong)found.Count < mapCount)
            notes.Add($"kpagecount says {mapCount} mapping(s), {found.Count} found: the rest belong to processes that changed or exited during the search, or to mappings pagemap does not show (device and PFN mappings)");
        var ordered = found.OrderBy(m => m.Pid).ThenBy(m => m.Address).ToArray();
        return new FrameOwnersReport(pfn, pageSize, flags, mapCount, cgroupInode, cgroupPath, ordered, searched,
            skipped + vanished.Count + refused.Count + unreadable.Count, stoppedEarly, notes);
    }

    /// <summary>The first ten pids in order, and "…" when there are more: enough to name them in a note.</summary>
    private static string Listed(List<int> pids) => string.Join(", ", pids.Order().Take(10)) + (pids.Count > 10 ? ", …" : "");

    /// <summary>Which VMAs can map a frame of this kind; the others are not read.</summary>
    private static Func<Vma, bool> CandidateVmas(FrameFlags flags, List<string> notes)
    {
        bool anonymous = (flags & FrameFlags.Anonymous) != 0, swapBacked = (flags & FrameFlags.SwapBacked) != 0;
        bool special = (flags & (FrameFlags.ZeroPage | FrameFlags.Ksm | FrameFlags.Huge | FrameFlags.Slab | FrameFlags.Reserved)) != 0;
        if (special) return _ => true;
        if (anonymous)
        {
            notes.Add("an anonymous frame: only private mappings were read");
            return v => (v.Permissions & VmaPermissions.Shared) == 0;
        }
        if (swapBacked)
        {
            notes.Add("a shared-memory (shmem) frame: only shared or file mappings were read");
            return v => (v.Permissions & VmaPermissions.Shared) != 0 || v.IsFileBacked;
        }
        if ((flags & (FrameFlags.Lru | FrameFlags.Mmap)) != 0)
        {
            notes.Add("a page-cache frame: only file mappings were read");
            return v => v.IsFileBacked;
        }
        return _ => true;
    }
}
