using PageAtlas.Paging;

namespace PageAtlas.Tests;

public class PagingModeTests
{
    [Fact]
    public void FourLevelSplitsBits47To12()
    {
        var mode = PagingMode.FourLevel;
        ulong address = (0x1aUL << 39) | (0x1b5UL << 30) | (0x0c3UL << 21) | (0x1ffUL << 12) | 0x123;
        var split = mode.Split(address);
        Assert.Equal((0x1a, 0, 0x1b5, 0xc3, 0x1ff, 0x123), (split.Pgd, split.P4d, split.Pud, split.Pmd, split.Pte, split.Offset));
        Assert.Equal(48, mode.VirtualAddressBits);
        Assert.False(mode.Uses(PageTableLevel.P4d));
        Assert.Equal(39, mode.Shift(PageTableLevel.Pgd));
    }

    [Fact]
    public void FiveLevelAddsPgdAbove48Bits()
    {
        var mode = PagingMode.FiveLevel;
        ulong address = (0x0abUL << 48) | (0x1cdUL << 39) | (0x3UL << 30) | (0x4UL << 21) | (0x5UL << 12) | 0xfff;
        var split = mode.Split(address);
        Assert.Equal((0xab, 0x1cd, 3, 4, 5, 0xfff), (split.Pgd, split.P4d, split.Pud, split.Pmd, split.Pte, split.Offset));
        Assert.Equal(57, mode.VirtualAddressBits);
        Assert.Equal(5, mode.ActiveLevels.Count());
        Assert.Equal(1UL << 48, mode.EntrySpan(PageTableLevel.Pgd));
    }

    [Theory]
    [InlineData(4, 0x00007fffffffffffUL, true)]
    [InlineData(4, 0x0000800000000000UL, false)]
    [InlineData(4, 0xffff800000000000UL, true)]
    [InlineData(4, 0xfffe800000000000UL, false)]
    [InlineData(5, 0x00ffffffffffffffUL, true)]
    [InlineData(5, 0x0100000000000000UL, false)]
    [InlineData(5, 0xff00000000000000UL, true)]
    [InlineData(5, 0x0000800000000000UL, true)]
    public void CanonicalAddresses(int levels, ulong address, bool canonical) =>
        Assert.Equal(canonical, new PagingMode(levels).IsCanonical(address));

    [Fact]
    public void UserSpaceEndsOnePageBelowTheCanonicalHole()
    {
        Assert.Equal(0x7ffffffff000UL, PagingMode.FourLevel.UserAddressEnd);
        Assert.Equal(0xfffffffffff000UL, PagingMode.FiveLevel.UserAddressEnd);
        Assert.True(PagingMode.FiveLevel.IsUserAddress(0x100000000000000UL - 0x2000));
        Assert.False(PagingMode.FourLevel.IsUserAddress(0x7ffffffff000UL));
    }

    [Fact]
    public void EntrySpansAre4KTo512G()
    {
        var mode = PagingMode.FourLevel;
        Assert.Equal(4096UL, mode.EntrySpan(PageTableLevel.Pte));
        Assert.Equal(2UL << 20, mode.EntrySpan(PageTableLevel.Pmd));
        Assert.Equal(1UL << 30, mode.EntrySpan(PageTableLevel.Pud));
        Assert.Equal(512UL << 30, mode.EntrySpan(PageTableLevel.Pgd));
    }

    [Theory]
    [InlineData(4096UL, PageTableLevel.Pte)]
    [InlineData(2UL << 20, PageTableLevel.Pmd)]
    [InlineData(1UL << 30, PageTableLevel.Pud)]
    [InlineData(64UL << 10, null)]
    public void LeafLevelFollowsTheSizeItMaps(ulong size, PageTableLevel? level) =>
        Assert.Equal(level, PagingMode.LeafLevel(size));

    [Fact]
    public void SmapsGivesKernelPageSizeOfTheRightVma()
    {
        const string smaps = """
            7f0000000000-7f0000200000 rw-p 00000000 00:00 0
            Size:               2048 kB
            KernelPageSize:        4 kB
            7f4000000000-7f4040000000 rw-p 00000000 00:10 77                         /anon_hugepage (deleted)
            Size:            1048576 kB
            KernelPageSize:  1048576 kB
            """;
        Assert.Equal(4096UL, PageAtlas.Linux.ProcSmaps.KernelPageSize(smaps, 0x7f0000000000));
        Assert.Equal(1UL << 30, PageAtlas.Linux.ProcSmaps.KernelPageSize(smaps, 0x7f4000000000));
        Assert.Null(PageAtlas.Linux.ProcSmaps.KernelPageSize(smaps, 0x1000));
    }
}
