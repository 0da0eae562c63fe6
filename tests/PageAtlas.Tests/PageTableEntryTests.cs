using PageAtlas.Paging;
using Xunit;

namespace PageAtlas.Tests;

/// <summary>Raw x86-64 entries as the kernel companion returns them, decoded bit by bit.</summary>
public class PageTableEntryTests
{
    [Fact]
    public void APresentAnonymousPteNamesItsBitsInOrder()
    {
        // a PTE read in the QEMU guest: present, writable, user, accessed, dirty, soft-dirty, NX; frame 0x29c0
        var entry = new PageTableEntry(0x8000_0000_029c_0867);
        Assert.Equal(["present", "writable", "user", "accessed", "dirty", "soft-dirty", "no-execute"], entry.BitNames(PageTableLevel.Pte));
        Assert.Equal(0x29c_0000UL, entry.Address(PageTableLevel.Pte, PagingMode.FourLevel));
        Assert.True(entry.IsLeaf(PageTableLevel.Pte));
    }

    [Fact]
    public void Bit7IsAHugeLeafAtThePmdAndPudAndPatAtAPte()
    {
        var huge = new PageTableEntry(0x0000_0000_4000_00e7); // a 1 GiB leaf at physical 1 GiB
        Assert.True(huge.IsLeaf(PageTableLevel.Pud));
        Assert.Contains("huge", huge.BitNames(PageTableLevel.Pud));
        Assert.Equal(0x4000_0000UL, huge.Address(PageTableLevel.Pud, PagingMode.FourLevel));
        Assert.Contains("pat", new PageTableEntry(0x1000_0000_0000_0085).BitNames(PageTableLevel.Pte));
        Assert.False(new PageTableEntry(0x62ee067).IsLeaf(PageTableLevel.Pgd));
    }

    [Fact]
    public void PointerEntriesKeepEveryAddressBitAndIgnoreLeafOnlyBits()
    {
        var pointer = new PageTableEntry(0x0000_0000_9ff8_a067 | 1UL << 12); // bit 12 is address at a pointer
        Assert.Equal(0x9ff8_b000UL, pointer.Address(PageTableLevel.Pmd, PagingMode.FiveLevel));
        Assert.DoesNotContain("pat", pointer.BitNames(PageTableLevel.Pmd));
    }

    [Fact]
    public void EmptyAndNonPresentEntriesSaySo()
    {
        Assert.Empty(new PageTableEntry(0).BitNames(PageTableLevel.Pte));
        Assert.Equal(["not-present"], new PageTableEntry(0x3_e000_0000_0000).BitNames(PageTableLevel.Pte));
    }

    [Fact]
    public void KernelTablesAreFoundByLevelAndSpanAndEntriesByTableAddress()
    {
        var tables = new KernelPageTables();
        tables.AddTable(new KernelTable(PageTableLevel.Pmd, 0x9fe85000, 0x1000_0000_0000));
        tables.AddTable(new KernelTable(PageTableLevel.Pmd, 0x9fe85000, 0x1000_0000_0000)); // read twice: one table
        tables.AddEntry(new KernelTableEntry(1, 0x9fe85008, new PageTableEntry(0x62e8067)));
        Assert.Equal(1, tables.CountAt(PageTableLevel.Pmd));
        Assert.Equal(0x9fe85000UL, tables.Find(PageTableLevel.Pmd, 0x1000_0000_0000)!.PhysicalAddress);
        Assert.Null(tables.Find(PageTableLevel.Pte, 0x1000_0000_0000));
        Assert.Equal(0x62e8067UL, tables.Entry(0x9fe85000, 1)!.Value.Entry.Value);
        Assert.Null(tables.Entry(0x9fe85000, 2));
    }
}
