using PageAtlas.Paging;

namespace PageAtlas.Snapshots;

/// <summary>
/// What an x86-64 Linux machine can have, as the kernel bounds it. A snapshot holding more was not
/// written by PageAtlas from a real machine, and is refused before anything is sized by it.
/// </summary>
internal static class MachineLimits
{
    /// <summary>The base page size PageAtlas models: x86-64's 4 KiB (<see cref="PagingMode.PageShift"/>).</summary>
    public const int PageSize = 1 << PagingMode.PageShift;

    /// <summary>Pids and tids lie below PID_MAX_LIMIT, 4 Mi on 64-bit (include/linux/threads.h).</summary>
    public const long PidLimit = 4 * 1024 * 1024;

    /// <summary>MAX_PHYSMEM_BITS with 5-level paging (arch/x86/include/asm/sparsemem.h): no frame lies at or above 2^52 bytes.</summary>
    public const int PhysicalAddressBits = 52;

    /// <summary>One past the highest page frame number a machine can have.</summary>
    public const ulong FrameLimit = 1UL << (PhysicalAddressBits - PagingMode.PageShift);

    /// <summary>Huge page sizes x86-64 maps with one entry: a PMD (2 MiB) and a PUD (1 GiB) leaf.</summary>
    public const ulong PmdPageSize = 1UL << 21, PudPageSize = 1UL << 30;

    /// <summary>The [vsyscall] page, the one VMA above user space (VSYSCALL_ADDR, arch/x86/include/uapi/asm/vsyscall.h).</summary>
    public const ulong VsyscallStart = 0xffffffffff600000;

    /// <summary>Device numbers: 12 bits of major and 20 of minor (MINORBITS, include/linux/kdev_t.h).</summary>
    public const long DeviceMajorLimit = 1 << 12, DeviceMinorLimit = 1 << 20;

    /// <summary>__NEW_UTS_LEN (include/uapi/linux/utsname.h): a host name and a kernel release have at most 64 characters.</summary>
    public const int UtsLength = 64;
}
