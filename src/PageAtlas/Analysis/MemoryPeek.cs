using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.Analysis;

/// <summary>Bytes read from another process, with the pages they came from.</summary>
/// <param name="Pid">The process.</param>
/// <param name="Address">First byte read.</param>
/// <param name="Bytes">What was read.</param>
/// <param name="Pages">Each page the bytes span, as pagemap showed it just before the read.</param>
public sealed record PeekReport(int Pid, ulong Address, byte[] Bytes, IReadOnlyList<PageTranslation> Pages);

/// <summary>Reads bytes of another process (seed 002's "r"), through /proc/&lt;pid&gt;/mem.</summary>
public static class MemoryPeek
{
    /// <summary>The most one peek reads.</summary>
    public const int MaxLength = 1 << 20;

    /// <summary>
    /// Reads <paramref name="length"/> bytes at <paramref name="address"/>. Pages are translated first:
    /// reading a page that is not populated makes the kernel populate it (with the shared zero page
    /// for anonymous memory), so the translation shows the page as it was before.
    /// </summary>
    /// <exception cref="InvalidRequestException">The range is empty, too long, or not wholly inside VMAs.</exception>
    /// <exception cref="MemoryAccessException">The kernel refused part of the read.</exception>
    public static PeekReport Read(IMemoryTarget target, ProcessMemory memory, ulong address, int length)
    {
        if (length is <= 0 or > MaxLength)
            throw new InvalidRequestException($"length must be 1 to {MaxLength} bytes, not {length}");
        var range = new AddressRange(address, address + (ulong)length);
        RequireMapped(target, range);
        var pages = AddressTranslation.Translate(target, range).ToList();
        var bytes = new byte[length];
        int read = memory.Read(address, bytes);
        if (read < length)
            throw new MemoryAccessException(address, read, length,
                $"read {read} of {length} bytes: the kernel refused the page at 0x{(address + (ulong)read) & ~4095UL:x}");
        return new PeekReport(target.Pid, address, bytes, pages);
    }

    /// <summary>Throws unless every byte of <paramref name="range"/> lies in some VMA.</summary>
    public static void RequireMapped(IMemoryTarget target, AddressRange range)
    {
        AddressTranslation.ValidateUserRange(target, range);
        ulong cursor = range.Start;
        foreach (var vma in target.Vmas)
        {
            if (vma.Vma.End <= cursor) continue;
            if (vma.Vma.Start > cursor) break;
            cursor = vma.Vma.End;
            if (cursor >= range.End) return;
        }
        throw new InvalidRequestException(cursor == range.Start
            ? $"0x{cursor:x} is outside every VMA of process {target.Pid}"
            : $"the range 0x{range.Start:x}..0x{range.End:x} crosses into unmapped memory at 0x{cursor:x}");
    }
}
