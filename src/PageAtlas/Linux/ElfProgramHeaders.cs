using System.Buffers.Binary;

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

/// <summary>
/// Reads the program headers of a 64-bit little-endian ELF file (the executable or a shared
/// library of the target), which is what tells data from bss: the loader maps p_filesz bytes
/// from the file and zero-fills up to p_memsz.
/// <code>
/// Elf64_Ehdr: e_ident[16] e_type:u16 e_machine:u16 e_version:u32 e_entry:u64 e_phoff:u64 (0x20)
///             e_shoff:u64 e_flags:u32 e_ehsize:u16 e_phentsize:u16 (0x36) e_phnum:u16 (0x38) …
/// Elf64_Phdr: p_type:u32 p_flags:u32 p_offset:u64 p_vaddr:u64 p_paddr:u64 p_filesz:u64 p_memsz:u64 p_align:u64
/// </code>
/// </summary>
public static class ElfProgramHeaders
{
    private const uint PT_LOAD = 1;
    private const int MaxHeaderBytes = 64 * 1024;
    private const int FirstReadBytes = 4096;

    /// <summary>The PT_LOAD segments of the file's image in <paramref name="image"/> (its first bytes), or null when it is not a 64-bit ELF.</summary>
    public static IReadOnlyList<ElfLoadSegment>? Parse(ReadOnlySpan<byte> image)
    {
        if (image.Length < 64 || image[0] != 0x7f || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F')
            return null;
        if (image[4] != 2 /* ELFCLASS64 */ || image[5] != 1 /* ELFDATA2LSB */) return null;
        ulong phoff = BinaryPrimitives.ReadUInt64LittleEndian(image[0x20..]);
        int phentsize = BinaryPrimitives.ReadUInt16LittleEndian(image[0x36..]);
        int phnum = BinaryPrimitives.ReadUInt16LittleEndian(image[0x38..]);
        if (phentsize < 56 || phoff + (ulong)(phentsize * phnum) > (ulong)image.Length) return null;
        var segments = new List<ElfLoadSegment>();
        for (int i = 0; i < phnum; i++)
        {
            var header = image[(int)(phoff + (ulong)(i * phentsize))..];
            if (BinaryPrimitives.ReadUInt32LittleEndian(header) != PT_LOAD) continue;
            segments.Add(new ElfLoadSegment(
                FileOffset: BinaryPrimitives.ReadUInt64LittleEndian(header[8..]),
                VirtualAddress: BinaryPrimitives.ReadUInt64LittleEndian(header[16..]),
                FileSize: BinaryPrimitives.ReadUInt64LittleEndian(header[32..]),
                MemorySize: BinaryPrimitives.ReadUInt64LittleEndian(header[40..]),
                Flags: BinaryPrimitives.ReadUInt32LittleEndian(header[4..])));
        }
        return segments;
    }

    /// <summary>Reads the headers of a file, or null when it cannot be read or is not ELF.</summary>
    public static IReadOnlyList<ElfLoadSegment>? ReadFile(string path)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            // Program headers almost always sit in the first page; read more only when they do not.
            Span<byte> page = stackalloc byte[FirstReadBytes];
            int n = RandomAccess.Read(handle, page, 0);
            if (n < 4 || !page.StartsWith("\u007FELF"u8)) return null;
            if (Parse(page[..n]) is { } segments) return segments;
            if (n < FirstReadBytes) return null;
            var buffer = new byte[MaxHeaderBytes];
            n = RandomAccess.Read(handle, buffer, 0);
            return Parse(buffer.AsSpan(0, n));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
