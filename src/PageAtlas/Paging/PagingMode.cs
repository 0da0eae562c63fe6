namespace PageAtlas.Paging;

/// <summary>
/// The x86-64 paging hierarchy in force: 4 levels (48-bit virtual addresses) or 5 levels
/// (57-bit, LA57). Every level indexes 512 entries with 9 bits of the address:
/// <code>
/// 5-level: | 63..57 sign | 56..48 PGD | 47..39 P4D | 38..30 PUD | 29..21 PMD | 20..12 PTE | 11..0 offset |
/// 4-level: | 63..48 sign |            | 47..39 PGD | 38..30 PUD | 29..21 PMD | 20..12 PTE | 11..0 offset |
/// </code>
/// On 4-level paging the kernel keeps P4D as a folded level: it has one entry, equal to the PGD entry.
/// </summary>
public sealed record PagingMode(int Levels)
{
    /// <summary>Bits of index per level.</summary>
    public const int IndexBits = 9;
    /// <summary>Entries per table.</summary>
    public const int EntriesPerTable = 1 << IndexBits;
    /// <summary>Bits of in-page offset (4 KiB pages).</summary>
    public const int PageShift = 12;

    /// <summary>Four-level paging (48-bit addresses).</summary>
    public static readonly PagingMode FourLevel = new(4);
    /// <summary>Five-level paging (57-bit addresses, LA57).</summary>
    public static readonly PagingMode FiveLevel = new(5);

    /// <summary>Virtual address bits translated: 48 or 57.</summary>
    public int VirtualAddressBits => PageShift + IndexBits * Levels;

    /// <summary>
    /// One past the highest user address (the kernel's TASK_SIZE_MAX: the lower canonical half
    /// less one guard page).
    /// </summary>
    public ulong UserAddressEnd => (1UL << (VirtualAddressBits - 1)) - (1UL << PageShift);

    /// <summary>Whether the machine walks this level (P4D only on 5-level).</summary>
    public bool Uses(PageTableLevel level) => level != PageTableLevel.P4d || Levels == 5;

    /// <summary>The levels walked, root first.</summary>
    public IEnumerable<PageTableLevel> ActiveLevels =>
        Enum.GetValues<PageTableLevel>().Where(Uses);

    /// <summary>The lowest address bit a level indexes.</summary>
    public int Shift(PageTableLevel level) => level switch
    {
        PageTableLevel.Pte => 12,
        PageTableLevel.Pmd => 21,
        PageTableLevel.Pud => 30,
        PageTableLevel.P4d => 39,
        PageTableLevel.Pgd => Levels == 5 ? 48 : 39,
        _ => throw new ArgumentOutOfRangeException(nameof(level)),
    };

    /// <summary>The virtual span one entry of a level covers, in bytes.</summary>
    public ulong EntrySpan(PageTableLevel level) => 1UL << Shift(level);

    /// <summary>
    /// The index <paramref name="address"/> uses at <paramref name="level"/>; 0 at a folded level.
    /// </summary>
    public int Index(ulong address, PageTableLevel level) =>
        Uses(level) ? (int)((address >> Shift(level)) & (EntriesPerTable - 1)) : 0;

    /// <summary>The level whose entry maps <paramref name="size"/> bytes as a leaf (4 KiB PTE, 2 MiB PMD, 1 GiB PUD), or null.</summary>
    public static PageTableLevel? LeafLevel(ulong size) => size switch
    {
        1UL << 12 => PageTableLevel.Pte,
        1UL << 21 => PageTableLevel.Pmd,
        1UL << 30 => PageTableLevel.Pud,
        _ => null,
    };

    /// <summary>An address is canonical when bits 63..(N−1) are all equal.</summary>
    public bool IsCanonical(ulong address)
    {
        // Reinterpreting the bits as signed and back is the point here, not an overflow.
        long signExtended = unchecked((long)(address << (64 - VirtualAddressBits))) >> (64 - VirtualAddressBits);
        return unchecked((ulong)signExtended) == address;
    }

    /// <summary>Whether <paramref name="address"/> is a user-space address (below <see cref="UserAddressEnd"/>).</summary>
    public bool IsUserAddress(ulong address) => address < UserAddressEnd;

    /// <summary>Splits an address into its per-level indices and in-page offset.</summary>
    public AddressSplit Split(ulong address) => new(
        address, Levels,
        Index(address, PageTableLevel.Pgd), Index(address, PageTableLevel.P4d), Index(address, PageTableLevel.Pud),
        Index(address, PageTableLevel.Pmd), Index(address, PageTableLevel.Pte),
        (int)(address & ((1UL << PageShift) - 1)));

    /// <summary>"4-level (48-bit)"</summary>
    public override string ToString() => $"{Levels}-level ({VirtualAddressBits}-bit)";
}

/// <summary>An address cut into the indices of the levels it goes through.</summary>
/// <param name="Address">The virtual address.</param>
/// <param name="Levels">4 or 5.</param>
/// <param name="Pgd">Index into the PGD.</param>
/// <param name="P4d">Index into the P4D (0 when folded).</param>
/// <param name="Pud">Index into the PUD.</param>
/// <param name="Pmd">Index into the PMD.</param>
/// <param name="Pte">Index into the page table.</param>
/// <param name="Offset">Byte offset within the 4 KiB page.</param>
public readonly record struct AddressSplit(ulong Address, int Levels, int Pgd, int P4d, int Pud, int Pmd, int Pte, int Offset)
{
    /// <summary>The index used at <paramref name="level"/>.</summary>
    public int this[PageTableLevel level] => level switch
    {
        PageTableLevel.Pgd => Pgd,
        PageTableLevel.P4d => P4d,
        PageTableLevel.Pud => Pud,
        PageTableLevel.Pmd => Pmd,
        _ => Pte,
    };
}
