using PageAtlas.Linux.Interop;
using PageAtlas.Paging;

namespace PageAtlas.Linux;

/// <summary>
/// Finds out whether the machine runs 4- or 5-level paging, from user space and without assuming.
/// A 5-level kernel honours an mmap hint above 47 bits (arch/x86/mm/mmap.c); a 4-level one cannot
/// place anything there. The CPU flag la57 alone says only that the hardware could.
/// </summary>
public static class PagingModeProbe
{
    private static PagingMode? s_detected;

    /// <summary>The mode of this machine, probed once.</summary>
    public static PagingMode Detect() => s_detected ??= Probe();

    private static PagingMode Probe()
    {
        const ulong hint = 1UL << 52;
        const nuint length = 4096;
        nint mapped = LibC.mmap(unchecked((nint)hint), length, LibC.PROT_NONE,
            LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS | LibC.MAP_NORESERVE, -1, 0);
        if (mapped == LibC.MAP_FAILED) return PagingMode.FourLevel;
        LibC.munmap(mapped, length);
        return (ulong)mapped >= 1UL << 47 ? PagingMode.FiveLevel : PagingMode.FourLevel;
    }
}
