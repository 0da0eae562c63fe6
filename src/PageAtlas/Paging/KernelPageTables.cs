namespace PageAtlas.Paging;

/// <summary>How the kernel's walk of one address ended.</summary>
public enum KernelWalkOutcome
{
    /// <summary>A present leaf maps the address.</summary>
    Mapped,
    /// <summary>An empty entry: nothing mapped, no table below.</summary>
    Empty,
    /// <summary>A swap entry.</summary>
    Swap,
    /// <summary>Another non-present entry: migration, device memory, a PTE marker, a PMD under migration.</summary>
    NotPresent,
    /// <summary>An entry the kernel calls bad.</summary>
    Bad,
}

/// <summary>One level of the kernel's walk: the table read, the entry's address in it, and the entry.</summary>
/// <param name="Level">PGD, P4D, PUD, PMD or PTE.</param>
/// <param name="Index">Its index in the table (0 for a folded P4D).</param>
/// <param name="TablePhysical">The table's physical address.</param>
/// <param name="EntryPhysical">The entry's physical address.</param>
/// <param name="Entry">The raw entry.</param>
/// <param name="Folded">P4D on 4-level paging: the PGD's table and entry again.</param>
public sealed record KernelWalkStep(PageTableLevel Level, int Index, ulong TablePhysical, ulong EntryPhysical, PageTableEntry Entry, bool Folded);

/// <summary>The kernel companion's walk of one address.</summary>
/// <param name="Levels">4 or 5.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="StopLevel">The level whose entry ended it.</param>
/// <param name="LeafSize">Bytes the leaf maps (4 KiB, 2 MiB, 1 GiB), when mapped.</param>
/// <param name="PhysicalAddress">The address's physical address, when mapped.</param>
/// <param name="Steps">Every level read, root first.</param>
public sealed record KernelWalk(int Levels, KernelWalkOutcome Outcome, PageTableLevel StopLevel, ulong LeafSize, ulong PhysicalAddress,
    IReadOnlyList<KernelWalkStep> Steps);

/// <summary>One page table as the kernel holds it.</summary>
/// <param name="Level">Its level.</param>
/// <param name="PhysicalAddress">Where it is in physical memory.</param>
/// <param name="SpanStart">The first virtual address it covers.</param>
public sealed record KernelTable(PageTableLevel Level, ulong PhysicalAddress, ulong SpanStart);

/// <summary>One non-empty entry of a kernel page table.</summary>
/// <param name="Index">Its index (0–511).</param>
/// <param name="EntryPhysical">Its physical address.</param>
/// <param name="Entry">The raw entry.</param>
public readonly record struct KernelTableEntry(int Index, ulong EntryPhysical, PageTableEntry Entry);

/// <summary>
/// Every page table of a range of a process, read by the kernel companion in one call: found by
/// level and the span it covers (how a reconstructed table names itself), with its entries by index.
/// </summary>
public sealed class KernelPageTables
{
    private readonly Dictionary<(PageTableLevel, ulong), KernelTable> _bySpan = [];
    private readonly Dictionary<ulong, Dictionary<int, KernelTableEntry>> _entries = [];

    /// <summary>Adds a table (again is harmless: ranges read apart may share upper tables).</summary>
    public void AddTable(KernelTable table) => _bySpan.TryAdd((table.Level, table.SpanStart), table);

    /// <summary>Adds an entry of the table at <c>EntryPhysical &amp; ~4095</c>.</summary>
    public void AddEntry(KernelTableEntry entry)
    {
        ulong table = entry.EntryPhysical & ~4095UL;
        if (!_entries.TryGetValue(table, out var entries)) _entries[table] = entries = [];
        entries[entry.Index] = entry;
    }

    /// <summary>Every table.</summary>
    public IEnumerable<KernelTable> Tables => _bySpan.Values;

    /// <summary>Tables at <paramref name="level"/>.</summary>
    public int CountAt(PageTableLevel level) => _bySpan.Keys.Count(k => k.Item1 == level);

    /// <summary>The table at <paramref name="level"/> covering from <paramref name="spanStart"/>, if the kernel has one.</summary>
    public KernelTable? Find(PageTableLevel level, ulong spanStart) => _bySpan.GetValueOrDefault((level, spanStart));

    /// <summary>
    /// The level of the huge leaf (PUD or PMD) that maps <paramref name="address"/>, or null when a
    /// PTE maps it or nothing does. The kernel knows what pagemap alone cannot tell before Linux 6.7
    /// (no PAGEMAP_SCAN): whether a THP is mapped by one PMD entry or by 512 PTEs.
    /// </summary>
    public PageTableLevel? HugeLeafLevel(PagingMode mode, ulong address)
    {
        foreach (var level in (ReadOnlySpan<PageTableLevel>)[PageTableLevel.Pud, PageTableLevel.Pmd])
        {
            ulong tableSpan = mode.EntrySpan(level) * PagingMode.EntriesPerTable;
            if (Find(level, address & ~(tableSpan - 1)) is not { } table) continue;
            if (Entry(table.PhysicalAddress, mode.Index(address, level)) is { } entry && entry.Entry.Present && entry.Entry.IsLeaf(level))
                return level;
        }
        return null;
    }

    /// <summary>Entry <paramref name="index"/> of the table at <paramref name="tablePhysical"/>, if not empty.</summary>
    public KernelTableEntry? Entry(ulong tablePhysical, int index) =>
        _entries.TryGetValue(tablePhysical, out var entries) && entries.TryGetValue(index, out var entry) ? entry : null;
}
