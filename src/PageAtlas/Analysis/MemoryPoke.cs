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
    /// <summary>
    /// Writes <paramref name="bytes"/> at <paramref name="address"/> after checking the whole range is
    /// mapped (nothing is written otherwise), and reads back what the process now holds.
    /// </summary>
    /// <exception cref="InvalidRequestException">The range is empty, too long, or not wholly inside VMAs.</exception>
    /// <exception cref="MemoryAccessException">The kernel refused part of the write; <see cref="MemoryAccessException.Done"/> bytes were written.</exception>
    public static PokeReport Write(IMemoryTarget target, ProcessMemory memory, ulong address, byte[] bytes)
    {
        var before = MemoryPeek.Read(target, memory, address, bytes.Length);
        int written = memory.Write(address, bytes);
        if (written < bytes.Length)
            throw new MemoryAccessException(address, written, bytes.Length,
                $"wrote {written} of {bytes.Length} bytes: the kernel refused the page at 0x{(address + (ulong)written) & ~4095UL:x}");
        var after = new byte[bytes.Length];
        memory.Read(address, after);
        var pagesAfter = AddressTranslation.Translate(target, new AddressRange(address, address + (ulong)bytes.Length)).ToList();
        return new PokeReport(target.Pid, address, before.Bytes, bytes, after, before.Pages, pagesAfter);
    }
}
