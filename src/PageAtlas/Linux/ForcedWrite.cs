using PageAtlas.Model;

namespace PageAtlas.Linux;

/// <summary>
/// Whether the kernel lets /proc/&lt;pid&gt;/mem write an area, decided before writing anything.
/// Such a write is forced (FOLL_FORCE): it writes pages the process itself may not (read-only private
/// memory gets a copy of its own), but mm/gup.c check_vma_flags still refuses VM_IO and VM_PFNMAP
/// areas (device memory, [vvar]) and, where the area is not writable (or is a shadow stack), hugetlb
/// pages and every mapping that is not copy-on-write: shared, or without VM_MAYWRITE (a file mapped
/// shared from a read-only descriptor). smaps' VmFlags show each of those bits.
/// </summary>
public static class ForcedWrite
{
    /// <summary>Why the kernel would refuse to write an area with these VmFlags, or null when it would not.</summary>
    public static string? Refusal(IReadOnlySet<string> vmFlags)
    {
        if (vmFlags.Contains("io") || vmFlags.Contains("pf")) return "it maps device memory (VM_IO or VM_PFNMAP), which no write through /proc reaches";
        if (vmFlags.Contains("wr") && !vmFlags.Contains("ss")) return null;
        if (vmFlags.Contains("ht")) return "it is read-only hugetlb memory, which a forced write cannot copy";
        if (!vmFlags.Contains("mw") || vmFlags.Contains("sh"))
            return "it is read-only and not copy-on-write (shared, or mapped from a file opened read-only)";
        return null;
    }

    /// <summary>
    /// The first address of <paramref name="range"/> the kernel would refuse to write in process
    /// <paramref name="pid"/>, and why; null when it would write every byte.
    /// </summary>
    /// <exception cref="TargetUnavailableException">The process has gone.</exception>
    public static (ulong Address, string Reason)? FirstRefused(int pid, AddressRange range)
    {
        foreach (var (start, end, flags) in ProcSmaps.VmFlags(ProcFs.ReadText(pid, "smaps")))
        {
            if (end <= range.Start || start >= range.End) continue;
            if (Refusal(flags) is { } reason) return (Math.Max(start, range.Start), reason);
        }
        return null;
    }
}
