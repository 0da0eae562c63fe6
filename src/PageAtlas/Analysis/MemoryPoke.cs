using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.Analysis;

/// <summary>A write into another process: the bytes and the frames before and after.</summary>
/// <param name="Pid">The process.</param>
/// <param name="Address">First byte written.</param>
/// <param name="Before">The bytes before the write.</param>
/// <param name="Written">The bytes asked to be written.</param>
/// <param name="After">The bytes read back after the write.</param>
/// <param name="PagesBefore">Each page as pagemap showed it before anything was touched.</param>
/// <param name="PagesAfter">Each page after the write.</param>
public sealed record PokeReport(int Pid, ulong Address, byte[] Before, byte[] Written, byte[] After,
    IReadOnlyList<PageTranslation> PagesBefore, IReadOnlyList<PageTranslation> PagesAfter)
{
    /// <summary>Pages whose frame changed: the write gave the process its own copy (copy-on-write).</summary>
    public IEnumerable<(PageTranslation Before, PageTranslation After)> CopiedPages =>
        PagesBefore.Zip(PagesAfter).Where(p => p.First.Page.Entry.Pfn != 0 && p.First.Page.Entry.Pfn != p.Second.Page.Entry.Pfn);
}

/// <summary>Writes bytes into another process (seed 002's "w"), through /proc/&lt;pid&gt;/mem.</summary>
public static class MemoryPoke
{
    /// <summary>Writes bytes at an address and returns how many were written before a refusal.</summary>
    internal delegate int MemoryWriter(ulong address, ReadOnlySpan<byte> bytes);

    /// <summary>
    /// Writes <paramref name="bytes"/> at <paramref name="address"/> after checking that the whole range
    /// is mapped, readable, and writable as the kernel decides (<see cref="ForcedWrite"/>): a refused
    /// write changes nothing. Should the kernel still refuse a page midway (the process changed its
    /// mappings meanwhile), the bytes already written are put back. Reads back what the process now holds.
    /// </summary>
    /// <exception cref="InvalidRequestException">The range is empty, too long, or not wholly inside VMAs.</exception>
    /// <exception cref="MemoryAccessException">The kernel refuses part of the write; <see cref="MemoryAccessException.Done"/> bytes stay written (0 when nothing changed).</exception>
    public static PokeReport Write(IMemoryTarget target, ProcessMemory memory, ulong address, byte[] bytes)
    {
        var before = MemoryPeek.Read(target, memory, address, bytes.Length);
        var range = new AddressRange(address, address + (ulong)bytes.Length);
        if (ForcedWrite.FirstRefused(target.Pid, range) is { } refused)
            throw new MemoryAccessException(address, 0, bytes.Length,
                $"nothing was written: the kernel would refuse to write at 0x{refused.Address:x}, {refused.Reason}");
        WriteAllOrRestore(memory.Write, address, bytes, before.Bytes);
        var after = new byte[bytes.Length];
        memory.Read(address, after);
        var pagesAfter = AddressTranslation.Translate(target, range).ToList();
        return new PokeReport(target.Pid, address, before.Bytes, bytes, after, before.Pages, pagesAfter);
    }

    /// <summary>Writes <paramref name="bytes"/>; if the kernel refuses part, writes <paramref name="before"/> back over what got through.</summary>
    /// <exception cref="MemoryAccessException">Part was refused.</exception>
    internal static void WriteAllOrRestore(MemoryWriter write, ulong address, byte[] bytes, byte[] before)
    {
        int written = write(address, bytes);
        if (written == bytes.Length) return;
        ulong refusedPage = (address + (ulong)written) & ~4095UL;
        int restored = write(address, before.AsSpan(0, written));
        throw restored == written
            ? new MemoryAccessException(address, 0, bytes.Length,
                $"nothing was written: the kernel refused the page at 0x{refusedPage:x}, and the {written} bytes written before it were put back")
            : new MemoryAccessException(address, written, bytes.Length,
                $"wrote {written} of {bytes.Length} bytes: the kernel refused the page at 0x{refusedPage:x}, and putting the first bytes back failed too");
    }
}
