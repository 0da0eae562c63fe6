using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace PageAtlas.Linux;

/// <summary>One PT_LOAD segment of an ELF file: what the loader maps, and with which rights.</summary>
/// <param name="FileOffset">p_offset</param>
/// <param name="VirtualAddress">p_vaddr, relative to the load bias for a shared object or PIE.</param>
/// <param name="FileSize">p_filesz: bytes that come from the file (code, data).</param>
/// <param name="MemorySize">p_memsz: bytes in memory; the part past FileSize is bss, zero-filled.</param>
/// <param name="Flags">p_flags: PF_X 1, PF_W 2, PF_R 4.</param>
public readonly record struct ElfLoadSegment(ulong FileOffset, ulong VirtualAddress, ulong FileSize, ulong MemorySize, uint Flags)
{
    /// <summary>PF_X</summary>
    public bool IsExecutable => (Flags & 1) != 0;
    /// <summary>PF_W</summary>
    public bool IsWritable => (Flags & 2) != 0;
}

/// <summary>What a mapped object's ELF headers say.</summary>
/// <param name="Segments">The PT_LOAD segments, each lying within the file and within user space; null when there are none to use.</param>
/// <param name="Problem">Why an ELF file's headers cannot be used (they point outside the file, say); null when they can, or when the file is not a 64-bit ELF at all.</param>
public sealed record ElfHeaders(IReadOnlyList<ElfLoadSegment>? Segments, string? Problem)
{
    /// <summary>Not a 64-bit little-endian ELF file: nothing to say about it.</summary>
    public static readonly ElfHeaders NotElf = new(null, null);

    /// <summary>An ELF file whose headers cannot be trusted, and why.</summary>
    public static ElfHeaders Unusable(string problem) => new(null, problem);
}

/// <summary>
/// Reads the program headers of a 64-bit little-endian ELF file (the executable or a shared
/// library of the target), which is what tells data from bss: the loader maps p_filesz bytes
/// from the file and zero-fills up to p_memsz. The file belongs to whoever wrote it: every
/// offset and size is checked against the file and against user space, with arithmetic that
/// cannot wrap, before anything is read at it.
/// <code>
/// Elf64_Ehdr: e_ident[16] e_type:u16 e_machine:u16 e_version:u32 e_entry:u64 e_phoff:u64 (0x20)
///             e_shoff:u64 e_flags:u32 e_ehsize:u16 e_phentsize:u16 (0x36) e_phnum:u16 (0x38) …
/// Elf64_Phdr: p_type:u32 p_flags:u32 p_offset:u64 p_vaddr:u64 p_paddr:u64 p_filesz:u64 p_memsz:u64 p_align:u64
/// </code>
/// </summary>
public static class ElfProgramHeaders
{
    private const uint PT_LOAD = 1;
    /// <summary>sizeof(Elf64_Ehdr), and sizeof(Elf64_Phdr).</summary>
    private const int HeaderBytes = 64, ProgramHeaderBytes = 56;
    /// <summary>e_phnum's escape value: the real count is in section header 0 (not supported here).</summary>
    private const int PN_XNUM = 0xffff;
    /// <summary>At most this much of a file is read: program headers lie far below it in any real object.</summary>
    public const int MaxHeaderBytes = 64 * 1024;
    private const int FirstReadBytes = 4096;
    /// <summary>The top of user space with 5-level paging (2^56 bytes); a segment beyond it cannot be loaded.</summary>
    private const ulong UserSpaceLimit = 1UL << 56;

    /// <summary>
    /// The PT_LOAD segments described by <paramref name="image"/>, the first bytes of a file of
    /// <paramref name="fileSize"/> bytes. Never throws and never reads outside <paramref name="image"/>.
    /// </summary>
    public static ElfHeaders Parse(ReadOnlySpan<byte> image, ulong fileSize)
    {
        if (image.Length < 6 || !image.StartsWith("\u007FELF"u8)) return ElfHeaders.NotElf;
        if (image[4] != 2 /* ELFCLASS64 */ || image[5] != 1 /* ELFDATA2LSB */) return ElfHeaders.NotElf;
        if (image.Length < HeaderBytes) return ElfHeaders.Unusable($"the ELF header is cut short: {image.Length} of {HeaderBytes} bytes");
        if (TableOf(image, fileSize, out ulong phoff, out int phentsize, out int phnum) is { } problem) return ElfHeaders.Unusable(problem);
        if (phoff + (ulong)phentsize * (ulong)phnum > (ulong)image.Length)
            return ElfHeaders.Unusable($"the program headers end at 0x{phoff + (ulong)phentsize * (ulong)phnum:x}, beyond the {MaxHeaderBytes / 1024} KiB read");

        var segments = new List<ElfLoadSegment>();
        for (int i = 0; i < phnum; i++)
        {
            var header = image.Slice((int)phoff + i * phentsize, ProgramHeaderBytes);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header) != PT_LOAD) continue;
            var load = new ElfLoadSegment(
                FileOffset: BinaryPrimitives.ReadUInt64LittleEndian(header[8..]),
                VirtualAddress: BinaryPrimitives.ReadUInt64LittleEndian(header[16..]),
                FileSize: BinaryPrimitives.ReadUInt64LittleEndian(header[32..]),
                MemorySize: BinaryPrimitives.ReadUInt64LittleEndian(header[40..]),
                Flags: BinaryPrimitives.ReadUInt32LittleEndian(header[4..]));
            if (Check(load, i, fileSize) is { } wrong) return ElfHeaders.Unusable(wrong);
            segments.Add(load);
        }
        return new ElfHeaders(segments, null);
    }

    /// <summary>
    /// Reads the headers of an open file of <paramref name="fileSize"/> bytes: its first page, and up
    /// to <see cref="MaxHeaderBytes"/> when the program headers lie further in.
    /// </summary>
    public static ElfHeaders Read(SafeFileHandle file, ulong fileSize)
    {
        try
        {
            // Program headers almost always sit in the first page; read more only when they do not.
            Span<byte> page = stackalloc byte[FirstReadBytes];
            int n = RandomAccess.Read(file, page, 0);
            var image = page[..n];
            if (n < 6 || !image.StartsWith("\u007FELF"u8)) return ElfHeaders.NotElf;
            if (n >= HeaderBytes && TableOf(image, fileSize, out ulong phoff, out int phentsize, out int phnum) is null)
            {
                ulong end = phoff + (ulong)phentsize * (ulong)phnum;
                if (end > (ulong)n && end <= MaxHeaderBytes)
                {
                    var larger = new byte[end];
                    n = RandomAccess.Read(file, larger, 0);
                    return Parse(larger.AsSpan(0, n), fileSize);
                }
            }
            return Parse(image, fileSize);
        }
        catch (IOException)
        {
            return ElfHeaders.NotElf;
        }
    }

    /// <summary>The program header table's place and shape, or why it cannot be used.</summary>
    private static string? TableOf(ReadOnlySpan<byte> image, ulong fileSize, out ulong phoff, out int phentsize, out int phnum)
    {
        phoff = BinaryPrimitives.ReadUInt64LittleEndian(image[0x20..]);
        phentsize = BinaryPrimitives.ReadUInt16LittleEndian(image[0x36..]);
        phnum = BinaryPrimitives.ReadUInt16LittleEndian(image[0x38..]);
        if (phnum == PN_XNUM) return "e_phnum is PN_XNUM (65535): extended program header numbering is not supported";
        if (phnum > 0 && phentsize < ProgramHeaderBytes) return $"e_phentsize {phentsize} is smaller than an Elf64_Phdr ({ProgramHeaderBytes} bytes)";
        // Both factors are 16-bit: the product fits in 32 bits, and the sum is compared without wrapping.
        ulong tableBytes = (ulong)phentsize * (ulong)phnum;
        if (phoff > fileSize || tableBytes > fileSize - phoff)
            return $"the program headers (e_phoff 0x{phoff:x}, {phnum} × {phentsize} bytes) lie beyond the end of the file ({fileSize} bytes)";
        if (phoff + tableBytes > MaxHeaderBytes)
            return $"the program headers (e_phoff 0x{phoff:x}, {phnum} × {phentsize} bytes) lie beyond the first {MaxHeaderBytes / 1024} KiB";
        return null;
    }

    /// <summary>Why a PT_LOAD cannot be what the kernel loaded (binfmt_elf refuses p_filesz &gt; p_memsz), or null.</summary>
    private static string? Check(ElfLoadSegment load, int index, ulong fileSize)
    {
        if (load.FileSize > load.MemorySize)
            return $"PT_LOAD {index}: p_filesz 0x{load.FileSize:x} exceeds p_memsz 0x{load.MemorySize:x}";
        if (load.FileOffset > fileSize || load.FileSize > fileSize - load.FileOffset)
            return $"PT_LOAD {index}: file bytes 0x{load.FileOffset:x} + 0x{load.FileSize:x} lie beyond the end of the file ({fileSize} bytes)";
        if (load.VirtualAddress >= UserSpaceLimit || load.MemorySize > UserSpaceLimit - load.VirtualAddress)
            return $"PT_LOAD {index}: p_vaddr 0x{load.VirtualAddress:x} + p_memsz 0x{load.MemorySize:x} lie beyond user space";
        return null;
    }
}
