using FsCheck.Xunit;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Paging;

namespace PageAtlas.Tests;

/// <summary>Shared memory beyond the page table: the kernel files it is read from, and the analyses that use it, on fake processes.</summary>
public class SharedMemoryTests
{
    private const ulong Base = 0x7f0000000000;
    private const ulong Page = 4096;

    [Fact]
    public void SmapsGivesEachVmaItsSwapAndKernelPageSize()
    {
        const string smaps = """
            7f0000000000-7f0000800000 rw-s 00000000 00:01 5753                       /dev/zero (deleted)
            Size:               8192 kB
            KernelPageSize:        4 kB
            Rss:                   0 kB
            Swap:               8192 kB
            SwapPss:               0 kB
            7f4000000000-7f4040000000 rw-p 00000000 00:0f 12                         /mnt/huge/x (deleted)
            KernelPageSize:  1048576 kB
            Swap:                  0 kB
            """;
        var areas = ProcSmaps.Parse(smaps);
        Assert.Equal(new SmapsArea(4096, 8192 * 1024), areas[0x7f0000000000]);
        Assert.Equal(new SmapsArea(1UL << 30, 0), areas[0x7f4000000000]);
        Assert.Throws<KernelDataException>(() => ProcSmaps.Parse("7f0000000000-7f0000001000 rw-s 0 00:01 1 /x\nSwap: lots kB\n"));
    }

    [Theory]
    [InlineData("Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n", false)]
    [InlineData("Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n/var/tmp/swap file 65532 0 -2\n", true)]
    [InlineData("", false)]
    public void SwapsTellsWhetherAnyAreaIsInUse(string text, bool any) => Assert.Equal(any, ProcSwaps.AnyArea(text));

    [Fact]
    public void MountinfoFindsTmpfsDevicesOnly()
    {
        const string mountinfo = """
            22 27 0:21 / /proc rw,relatime - proc proc rw
            25 24 0:23 / /dev/shm rw,relatime shared:4 master:1 - tmpfs tmpfs rw,size=24684084k
            27 1 254:0 / / rw,relatime - ext4 /dev/vda rw
            40 27 0:39 / /tmp/with\040a\040-\040dash rw - tmpfs pageatlas rw
            41 27 0:40 / /mnt rw - devtmpfs devtmpfs rw
            """;
        Assert.Equal([(0u, 23u), (0u, 39u)], ProcMountinfo.TmpfsDevices(mountinfo).Order());
    }

    [Fact]
    public void TheObjectsSwapIsSmapsSwapBeyondThePageTablesSwapEntries()
    {
        var swap = new SharedMemorySwap(true, new Dictionary<ulong, ulong> { [Base] = 100 * Page });
        var vma = new Vma(Base, Base + 200 * Page, VmaPermissions.Read, 0, 0, 1, 9, "/dev/zero", true);
        Assert.Equal(100UL, swap.HeldByObject(vma, 0, 4096));
        Assert.Equal(60UL, swap.HeldByObject(vma, 40, 4096));
        // smaps read a moment after pagemap: never a negative count.
        Assert.Equal(0UL, swap.HeldByObject(vma, 150, 4096));
        Assert.Equal(0UL, swap.HeldByObject(vma with { Start = Base + Page }, 0, 4096));
    }

    [Fact]
    public void MapsCountsTheObjectsSwapApartFromNotPopulated()
    {
        var target = new FakeTarget(PagingMode.FourLevel).Vma(Base, Base + 16 * Page).Present(Base, 0x100, 2).Swapped(Base + 2 * Page);
        target.SharedMemorySwap = new SharedMemorySwap(true, new Dictionary<ulong, ulong> { [Base] = 9 * Page });
        var counts = Residency.Measure(target).Total;
        Assert.Equal((2UL, 1UL, 8UL, 5UL), (counts.Present, counts.Swapped, counts.SharedSwapped, counts.NotPopulated));
        var composition = Composition.Measure(target);
        Assert.Equal((1UL, 8UL, 9UL), (composition.Total.Swapped, composition.Total.SharedSwapped, composition.Total.AllSwapped));
        Assert.Contains(SharedMemorySwap.Note, composition.Notes);

        // More than the pages without an entry (smaps' figure for a read-only private mapping of a tmpfs
        // file covers copies mapped over the object's swap): maps' columns still add up to the VMA.
        var crowded = new FakeTarget(PagingMode.FourLevel).Vma(Base, Base + 16 * Page).Present(Base, 0x100, 12);
        crowded.SharedMemorySwap = new SharedMemorySwap(true, new Dictionary<ulong, ulong> { [Base] = 9 * Page });
        var full = Residency.Measure(crowded).Total;
        Assert.Equal((12UL, 4UL, 0UL), (full.Present, full.SharedSwapped, full.NotPopulated));
    }

    /// <summary>A VMA of <paramref name="pages"/> pages with the given ones present and object runs.</summary>
    private static FakeTarget Target(int pages, IEnumerable<int> present, params ObjectPageRun[] runs)
    {
        var target = new FakeTarget(PagingMode.FourLevel).Vma(Base, Base + (ulong)pages * Page);
        foreach (int p in present) target.Present(Base + (ulong)p * Page, 0x1000 + (ulong)p);
        if (runs.Length > 0) target.ObjectRuns[Base] = [.. runs];
        return target;
    }

    private static ObjectPageRun Run(int first, int pages, ObjectPageState state) => new(Base + (ulong)first * Page, (ulong)pages, state);

    private static List<PageRecord> Populated(IMemoryTarget target) =>
        SharedMemoryPages.Read(target, 0, ulong.MaxValue, new PageReadOptions(PopulatedOnly: true, WithFrames: false)).SelectMany(b => b.Pages.ToArray()).ToList();

    [Fact]
    public void PagesTheObjectHoldsJoinThePageTablesInAddressOrder()
    {
        var target = Target(8, [0, 1, 5], Run(0, 3, ObjectPageState.Resident), Run(4, 4, ObjectPageState.Swapped));
        var pages = Populated(target);
        Assert.Equal([0UL, 1, 2, 4, 5, 6, 7], pages.Select(p => (p.Address - Base) / Page));
        Assert.Equal([PageState.Present, PageState.Present, PageState.SharedResident, PageState.SharedSwapped, PageState.Present,
            PageState.SharedSwapped, PageState.SharedSwapped], pages.Select(p => p.State));
    }

    [Fact]
    public void ManyObjectPagesComeInBatchesOfOneVma()
    {
        var target = Target(40_000, [7], Run(0, 40_000, ObjectPageState.Swapped));
        var batches = SharedMemoryPages.Read(target, 0, ulong.MaxValue, new PageReadOptions(true, false)).ToList();
        Assert.All(batches, b => Assert.True(b.Pages.Length <= 16_384));
        var pages = batches.SelectMany(b => b.Pages.ToArray()).ToList();
        Assert.Equal(40_000, pages.Count);
        Assert.Equal(PageState.Present, pages[7].State);
        Assert.Equal(39_999, pages.Count(p => p.State == PageState.SharedSwapped));
    }

    /// <summary>Whatever pages are mapped and whatever the object holds, a read gives each page once, in order, the page table's state first.</summary>
    [Property(MaxTest = 300)]
    public bool AReadOfPopulatedPagesIsTheUnionOfBoth(bool[] mapped, byte[] held)
    {
        int n = Math.Min(Math.Max(mapped.Length, held.Length), 96);
        bool Mapped(int i) => i < mapped.Length && mapped[i];
        var state = Enumerable.Range(0, n).Select(i => i < held.Length ? (ObjectPageState)(held[i] % 3) : ObjectPageState.None).ToArray();
        var runs = new List<ObjectPageRun>();
        for (int i = 0; i < n; i++)
        {
            if (state[i] == ObjectPageState.None) continue;
            if (runs.Count > 0 && runs[^1].State == state[i] && runs[^1].End(4096) == Base + (ulong)i * Page) runs[^1] = runs[^1] with { Pages = runs[^1].Pages + 1 };
            else runs.Add(Run(i, 1, state[i]));
        }
        var target = Target(Math.Max(n, 1), Enumerable.Range(0, n).Where(Mapped), [.. runs]);
        var expected = Enumerable.Range(0, n).Where(i => Mapped(i) || state[i] != ObjectPageState.None)
            .Select(i => (Base + (ulong)i * Page, Mapped(i) ? ObjectPageState.None : state[i]));
        return Populated(target).Select(p => (p.Address, p.InObject)).SequenceEqual(expected);
    }

    [Fact]
    public void DiffSaysSharedPagesWentToSwapOrStayedInTheObject()
    {
        var before = Target(6, [0, 1, 2, 3], Run(0, 6, ObjectPageState.Resident));
        var after = Target(6, [3], Run(0, 1, ObjectPageState.Swapped), Run(1, 1, ObjectPageState.Resident), Run(3, 3, ObjectPageState.Swapped));
        var diff = MemoryDiff.Compare(before, after);
        // Page 0 mapped → object's swap; 1 mapped → only in the object; 2 mapped → gone; 4, 5 object's RAM → object's swap.
        Assert.Equal(3UL, diff.Totals[PageChange.SwappedOut]);
        Assert.Equal(1UL, diff.Totals[PageChange.LeftPageTable]);
        Assert.Equal(1UL, diff.Totals[PageChange.Dropped]);
        Assert.Equal([(PageChange.SwappedOut, 0UL, 1UL), (PageChange.LeftPageTable, 1, 1), (PageChange.Dropped, 2, 1), (PageChange.SwappedOut, 4, 2)],
            diff.Pages.Select(r => (r.Change, (r.Start - Base) / Page, r.Pages)));
    }
}
