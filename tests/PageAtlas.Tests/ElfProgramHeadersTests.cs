using System.Buffers.Binary;
using PageAtlas.Linux;

namespace PageAtlas.Tests;

/// <summary>ELF headers come from files other users wrote: every offset is checked, none wraps.</summary>
public class ElfProgramHeadersTests
{
    /// <summary>An ELF header with the given program header table, and room for two program headers after it.</summary>
    internal static byte[] Header(ulong phoff, ushort phnum, ushort phentsize = 56, int length = 64 + 2 * 56)
    {
        var image = new byte[length];
        "\u007FELF"u8.CopyTo(image);
        image[4] = 2;
        image[5] = 1;
        BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(0x20), phoff);
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(0x36), phentsize);
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(0x38), phnum);
        return image;
    }

    [Theory]
    [InlineData(0xFFFFFFFFFFFFFFC0UL, 2, 56)]   // phoff + 2 × 56 wraps to 0x30: passed the old bounds check, then sliced at (int)phoff
    [InlineData(0xFFFFFFFFFFFFFFFFUL, 1, 56)]
    [InlineData(0x7FFFFFFFUL, 1, 56)]
    [InlineData(64UL, 65535, 56)]               // PN_XNUM
    [InlineData(64UL, 2, 8)]                    // entries smaller than an Elf64_Phdr
    [InlineData(64UL, 3, 56)]                   // one entry past the end of the file
    public void HeaderTablesOutsideTheFileAreUnusableNotFatal(ulong phoff, int phnum, int phentsize)
    {
        var image = Header(phoff, (ushort)phnum, (ushort)phentsize);
        var headers = ElfProgramHeaders.Parse(image, (ulong)image.Length);
        Assert.Null(headers.Segments);
        Assert.NotNull(headers.Problem);
    }

    [Theory]
    [InlineData(0xFFFFFFFFFFFFF000UL, 0UL, 0x10UL, 0x10UL)]                  // offset beyond the file
    [InlineData(0UL, 0UL, 0xFFFFFFFFFFFFFFFFUL, 0xFFFFFFFFFFFFFFFFUL)]       // offset + size wraps
    [InlineData(0UL, 0x7FFFFFFFF000UL, 0x10UL, 0xFFFFFFFFFFFFFFF0UL)]        // vaddr + memsz wraps
    [InlineData(0UL, 0xFFFFFFFFFFFFE000UL, 0x10UL, 0x10UL)]                  // above user space
    [InlineData(0UL, 0x1000UL, 0x200UL, 0x100UL)]                            // p_filesz > p_memsz
    public void AbsurdLoadSegmentsAreUnusable(ulong offset, ulong vaddr, ulong filesz, ulong memsz)
    {
        var image = Header(64, 1);
        ModelTests.WritePhdr(image.AsSpan(64), type: 1, flags: 5, offset, vaddr, filesz, memsz);
        var headers = ElfProgramHeaders.Parse(image, 8192);
        Assert.Null(headers.Segments);
        Assert.Contains("PT_LOAD 0", headers.Problem);
    }

    [Fact]
    public void NotElfSaysNothing()
    {
        Assert.Equal(ElfHeaders.NotElf, ElfProgramHeaders.Parse("#!/bin/sh\n"u8, 10));
        var elf32 = Header(64, 1);
        elf32[4] = 1;
        Assert.Equal(ElfHeaders.NotElf, ElfProgramHeaders.Parse(elf32, (ulong)elf32.Length));
    }
}
