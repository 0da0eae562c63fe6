namespace PageAtlas.Paging;

/// <summary>
/// One raw x86-64 page-table entry, decoded as the hardware and the kernel read it
/// (arch/x86/include/asm/pgtable_types.h):
/// <code>
/// bit 0 P present · 1 RW writable · 2 US user · 3 PWT write-through · 4 PCD cache-disable
///     5 A accessed · 6 D dirty (leaves) · 7 PS huge at PUD/PMD, PAT at a PTE · 8 G global
///     9 software: special (_PAGE_SPECIAL) · 10 software: uffd-wp · 11 software: soft-dirty
///     12 PAT of a huge leaf · 12–51 physical address (21–51 for a 2 MiB leaf, 30–51 for 1 GiB)
///     58 software: devmap · 59–62 protection key (leaves) · 63 NX no-execute
/// </code>
/// A non-present entry that is not empty holds a swap or migration entry in the kernel's own format.
/// </summary>
/// <param name="Value">The 64 bits as the kernel's table holds them.</param>
public readonly record struct PageTableEntry(ulong Value)
{
    private const ulong AddressBits = 0x000f_ffff_ffff_f000;

    /// <summary>Bit 0.</summary>
    public bool Present => (Value & 1) != 0;

    /// <summary>Bit 7 at a PUD or PMD: the entry maps 1 GiB or 2 MiB itself.</summary>
    public bool PageSize => (Value & (1 << 7)) != 0;

    /// <summary>Whether this entry at <paramref name="level"/> maps memory rather than pointing to a table.</summary>
    public bool IsLeaf(PageTableLevel level) => level == PageTableLevel.Pte || (level is PageTableLevel.Pud or PageTableLevel.Pmd && PageSize);

    /// <summary>The physical address the entry holds: the next table's, or the leaf's first byte.</summary>
    public ulong Address(PageTableLevel level, PagingMode mode) =>
        Value & AddressBits & (IsLeaf(level) ? ~(mode.EntrySpan(level) - 1) : ~0UL);

    /// <summary>The protection key of a leaf (bits 59–62).</summary>
    public int ProtectionKey => (int)((Value >> 59) & 0xf);

    /// <summary>The names of the bits set, in bit order, as the kernel calls them.</summary>
    public IReadOnlyList<string> BitNames(PageTableLevel level)
    {
        if (Value == 0) return [];
        if (!Present) return ["not-present"];
        bool leaf = IsLeaf(level);
        var names = new List<string>(12) { "present" };
        if ((Value & (1 << 1)) != 0) names.Add("writable");
        if ((Value & (1 << 2)) != 0) names.Add("user");
        if ((Value & (1 << 3)) != 0) names.Add("write-through");
        if ((Value & (1 << 4)) != 0) names.Add("cache-disable");
        if ((Value & (1 << 5)) != 0) names.Add("accessed");
        if ((Value & (1 << 6)) != 0) names.Add("dirty");
        if (PageSize) names.Add(level == PageTableLevel.Pte ? "pat" : "huge");
        if ((Value & (1 << 8)) != 0) names.Add("global");
        if ((Value & (1 << 9)) != 0) names.Add("special");
        if ((Value & (1 << 10)) != 0) names.Add("uffd-wp");
        if ((Value & (1 << 11)) != 0) names.Add("soft-dirty");
        if (leaf && level != PageTableLevel.Pte && (Value & (1 << 12)) != 0) names.Add("pat");
        if ((Value & (1UL << 58)) != 0) names.Add("devmap");
        if (leaf && ProtectionKey != 0) names.Add($"pkey={ProtectionKey}");
        if ((Value & (1UL << 63)) != 0) names.Add("no-execute");
        return names;
    }
}
