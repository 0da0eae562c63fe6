using PageAtlas.Model;

namespace PageAtlas.Analysis;

/// <summary>
/// Pages as the page table shows them and, where a shared-memory object backs the VMA, as the object
/// shows the pages the page table does not map: in swap (the kernel keeps a swapped shmem page's
/// entry in the object, so pagemap calls it not populated) or resident but not mapped by this
/// process. Each such page carries <see cref="PageRecord.InObject"/>, and so the state
/// <see cref="PageState.SharedSwapped"/> or <see cref="PageState.SharedResident"/>. A read of populated
/// pages includes them; a read of every page marks them. Other VMAs are read exactly as
/// <see cref="IMemoryTarget.ReadPages"/> reads them.
/// </summary>
public static class SharedMemoryPages
{
    private const int BatchPages = 16 * 1024;

    /// <summary>The pages of [<paramref name="start"/>, <paramref name="end"/>), batch by batch, a batch never spanning two VMAs.</summary>
    public static IEnumerable<PageBatch> Read(IMemoryTarget target, ulong start, ulong end, PageReadOptions options)
    {
        // VMAs without a shared-memory object are read together, as the target groups them.
        ulong stretch = start;
        foreach (var vma in target.Vmas)
        {
            if (vma.Vma.End <= start || vma.Vma.Start >= end) continue;
            ulong from = Math.Max(start, vma.Vma.Start), to = Math.Min(end, vma.Vma.End);
            var runs = target.SharedObjectPages(vma, from, to);
            if (runs.Count == 0) continue;
            if (stretch < from)
                foreach (var batch in target.ReadPages(stretch, from, options)) yield return batch;
            foreach (var batch in Merge(target, vma, from, to, runs, options)) yield return batch;
            stretch = to;
        }
        if (stretch < end)
            foreach (var batch in target.ReadPages(stretch, end, options)) yield return batch;
    }

    /// <summary>One VMA's pages from the page table, with the object's pages where the page table has none.</summary>
    private static IEnumerable<PageBatch> Merge(IMemoryTarget target, ClassifiedVma vma, ulong from, ulong to,
        IReadOnlyList<ObjectPageRun> runs, PageReadOptions options)
    {
        var cursor = new RunCursor(runs, (ulong)target.Machine.PageSize);
        var output = new List<PageRecord>(BatchPages);
        foreach (var batch in target.ReadPages(from, to, options))
        {
            for (int i = 0; i < batch.Pages.Length; i++)
            {
                var page = batch.Pages.Span[i];
                // Held pages the page table skipped (a read of populated pages only) come first, in order.
                while (cursor.TryTakeBelow(page.Address, out ulong address, out var held))
                {
                    output.Add(ObjectOnly(address, held));
                    if (output.Count == BatchPages) yield return Flush(vma, output);
                }
                var inObject = cursor.At(page.Address);
                output.Add(page.Entry.IsPopulated ? page : page with { InObject = inObject });
                if (output.Count == BatchPages) yield return Flush(vma, output);
            }
        }
        while (cursor.TryTakeBelow(to, out ulong address, out var held))
        {
            output.Add(ObjectOnly(address, held));
            if (output.Count == BatchPages) yield return Flush(vma, output);
        }
        if (output.Count > 0) yield return Flush(vma, output);
    }

    private static PageRecord ObjectOnly(ulong address, ObjectPageState state) =>
        new PageRecord(address, default, FrameFlags.None, 0, false) { InObject = state };

    private static PageBatch Flush(ClassifiedVma vma, List<PageRecord> pages)
    {
        var batch = new PageBatch(vma, pages.ToArray());
        pages.Clear();
        return batch;
    }

    /// <summary>Walks the object's runs page by page, for addresses asked in ascending order.</summary>
    private sealed class RunCursor(IReadOnlyList<ObjectPageRun> runs, ulong pageSize)
    {
        private int _run;
        private ulong _next = runs.Count > 0 ? runs[0].Start : ulong.MaxValue;

        /// <summary>What the object holds at <paramref name="address"/>; that page is then behind the cursor.</summary>
        public ObjectPageState At(ulong address)
        {
            SkipTo(address);
            if (_next != address) return ObjectPageState.None;
            var state = runs[_run].State;
            Advance();
            return state;
        }

        /// <summary>The next held page, if it lies below <paramref name="limit"/>.</summary>
        public bool TryTakeBelow(ulong limit, out ulong address, out ObjectPageState state)
        {
            address = _next;
            state = _run < runs.Count ? runs[_run].State : ObjectPageState.None;
            if (_run >= runs.Count || _next >= limit) return false;
            Advance();
            return true;
        }

        private void SkipTo(ulong address)
        {
            while (_run < runs.Count && address >= End(runs[_run])) NextRun();
            if (_run < runs.Count && address > _next) _next = address;
        }

        private void Advance()
        {
            _next += pageSize;
            if (_next >= End(runs[_run])) NextRun();
        }

        private void NextRun()
        {
            _run++;
            _next = _run < runs.Count ? runs[_run].Start : ulong.MaxValue;
        }

        private ulong End(ObjectPageRun run) => run.Start + run.Pages * pageSize;
    }
}
