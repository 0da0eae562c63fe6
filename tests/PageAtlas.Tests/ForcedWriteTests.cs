using PageAtlas.Analysis;
using PageAtlas.Linux;

namespace PageAtlas.Tests;

/// <summary>
/// Which areas /proc/&lt;pid&gt;/mem may write (mm/gup.c check_vma_flags, read from smaps' VmFlags), and
/// a write refused midway put back, so that a refused poke changes nothing.
/// </summary>
public class ForcedWriteTests
{
    /// <summary>Captured from a layout specimen started with --write-refused (Size…Locked lines cut).</summary>
    private const string Smaps = """
        556878a39000-556878a3b000 r--p 00000000 fe:00 5316673                    /work/specimens/out/layout
        KernelPageSize:        4 kB
        VmFlags: rd mr mw me 
        7f087a0df000-7f087a0e0000 rw-p 00000000 00:00 0 
        KernelPageSize:        4 kB
        VmFlags: rd wr mr mw me ac 
        7f087a0e0000-7f087a0e1000 r--s 00000000 fe:00 11657940                   /tmp/pageatlas-refused-Nqy3qu (deleted)
        KernelPageSize:        4 kB
        VmFlags: rd mr me ms 
        7f087a0eb000-7f087a0ef000 r--p 00000000 00:00 0                          [vvar]
        KernelPageSize:        4 kB
        VmFlags: rd mr pf io de dd 
        7f5b00603000-7f5b00604000 rw-s 00000000 00:0e 67957                      /secretmem (deleted)
        KernelPageSize:        4 kB
        VmFlags: rd wr sh mr mw ms lo dd 
        """;

    [Fact]
    public void VmFlagsAreReadPerVma()
    {
        var vmas = ProcSmaps.VmFlags(Smaps);
        Assert.Equal(5, vmas.Count);
        Assert.Equal((0x7f087a0e0000UL, 0x7f087a0e1000UL), (vmas[2].Start, vmas[2].End));
        Assert.Equal(["me", "mr", "ms", "rd"], vmas[2].Flags.Order());
        Assert.Contains("io", vmas[3].Flags);
    }

    [Theory]
    [InlineData(0, null)]              // read-only private file data: copy-on-write, the write gets its own copy
    [InlineData(1, null)]              // writable anonymous memory
    [InlineData(2, "not copy-on-write")] // a file mapped shared from a read-only descriptor: no VM_MAYWRITE
    [InlineData(3, "device memory")]   // [vvar]: VM_IO | VM_PFNMAP
    [InlineData(4, null)]              // writable shared memory
    public void TheKernelsRulesDecideWhichAreasAForcedWriteReaches(int vma, string? refusal)
    {
        string? reason = ForcedWrite.Refusal(ProcSmaps.VmFlags(Smaps)[vma].Flags);
        if (refusal is null) Assert.Null(reason);
        else Assert.Contains(refusal, reason);
    }

    [Theory]
    [InlineData("rd mr mw me ht", "hugetlb")]  // read-only hugetlb: FOLL_FORCE cannot copy it
    [InlineData("rd wr mr mw me ss", null)]    // a shadow stack is a copy-on-write private mapping
    [InlineData("rd mr mw me sh", "not copy-on-write")] // shared, mprotected read-only
    public void ReadOnlyHugetlbAndSharedAreasAreRefused(string flags, string? refusal)
    {
        string? reason = ForcedWrite.Refusal(new HashSet<string>(flags.Split(' ')));
        if (refusal is null) Assert.Null(reason);
        else Assert.Contains(refusal, reason);
    }

    [Fact]
    public void AWriteRefusedMidwayIsPutBack()
    {
        var memory = Enumerable.Range(0, 3 * 4096).Select(i => unchecked((byte)i)).ToArray();
        var original = (byte[])memory.Clone();
        const ulong Base = 0x10000;
        // Memory whose third page the kernel refuses: writes stop at its first byte.
        int Write(ulong address, ReadOnlySpan<byte> bytes)
        {
            int allowed = (int)Math.Min((ulong)bytes.Length, Base + 2 * 4096 - Math.Min(address, Base + 2 * 4096));
            bytes[..allowed].CopyTo(memory.AsSpan((int)(address - Base)));
            return allowed;
        }
        ulong at = Base + 2 * 4096 - 3;
        byte[] before = original[(2 * 4096 - 3)..(2 * 4096 + 5)];

        var e = Assert.Throws<MemoryAccessException>(() => MemoryPoke.WriteAllOrRestore(Write, at, [1, 2, 3, 4, 5, 6, 7, 8], before));

        Assert.Equal(0, e.Done);
        Assert.Contains("nothing was written", e.Message);
        Assert.Contains("0x12000", e.Message);
        Assert.Equal(original, memory);
    }
}
