namespace PageAtlas.Linux;

/// <summary>
/// A process's memory as /proc/&lt;pid&gt;/smaps_rollup gives it, in bytes: the kernel's own sums over
/// every VMA, taken in one walk of the page tables (fs/proc/task_mmu.c, show_smaps_rollup and
/// __show_smap; defined in Documentation/filesystems/proc.rst). The kernel prints kB, so every figure
/// is a multiple of 1024; PSS and SwapPss are truncated to the kB as the kernel truncates them.
/// </summary>
/// <param name="Rss">Resident (Rss): pages with a frame, the shared zero page and hugetlbfs left out.</param>
/// <param name="Pss">Proportional set size (Pss): each resident page's size divided by the number of processes that map it.</param>
/// <param name="PssAnon">Pss_Anon: the PSS of anonymous pages (Linux 5.9+; null before).</param>
/// <param name="PssFile">Pss_File: the PSS of file pages (Linux 5.9+; null before).</param>
/// <param name="PssShmem">Pss_Shmem: the PSS of shared memory (shmem, System V, memfd; Linux 5.9+; null before).</param>
/// <param name="SharedClean">Shared_Clean: resident, mapped by another process too, clean.</param>
/// <param name="SharedDirty">Shared_Dirty: resident, mapped by another process too, dirty (page or page-table entry).</param>
/// <param name="PrivateClean">Private_Clean: resident, mapped by this process only, clean.</param>
/// <param name="PrivateDirty">Private_Dirty: resident, mapped by this process only, dirty.</param>
/// <param name="Anonymous">Anonymous: resident anonymous pages (private anonymous memory and copy-on-write copies; not shmem).</param>
/// <param name="AnonHugePages">AnonHugePages: anonymous memory mapped by PMD-sized transparent huge pages.</param>
/// <param name="ShmemPmdMapped">ShmemPmdMapped: shared memory mapped by PMD-sized huge pages.</param>
/// <param name="FilePmdMapped">FilePmdMapped: file pages mapped by PMD-sized huge pages (Linux 5.4+; null before).</param>
/// <param name="Swap">Swap: swap entries in the page tables, and what a shared-memory object behind a VMA keeps in swap in its range.</param>
/// <param name="SwapPss">SwapPss: each swap entry divided by the number of page tables that hold it (shared memory's object-held swap adds none).</param>
/// <param name="Ksm">KSM: resident pages that are KSM-merged (Linux 6.7+), or from /proc/&lt;pid&gt;/ksm_merging_pages where only that exists; null when the kernel has neither.</param>
public readonly record struct SmapsRollup(
    ulong Rss, ulong Pss, ulong? PssAnon, ulong? PssFile, ulong? PssShmem,
    ulong SharedClean, ulong SharedDirty, ulong PrivateClean, ulong PrivateDirty,
    ulong Anonymous, ulong AnonHugePages, ulong ShmemPmdMapped, ulong? FilePmdMapped,
    ulong Swap, ulong SwapPss, ulong? Ksm)
{
    /// <summary>Unique set size: pages only this process maps (Private_Clean + Private_Dirty).</summary>
    public ulong Uss => PrivateClean + PrivateDirty;

    /// <summary>Resident page cache (files and shared memory): every resident page that is not anonymous.</summary>
    public ulong FileBacked => Rss - Math.Min(Rss, Anonymous);

    /// <summary>Memory mapped by PMD-sized transparent huge pages, anonymous, shared memory and file together.</summary>
    public ulong ThpMapped => AnonHugePages + ShmemPmdMapped + (FilePmdMapped ?? 0);

    /// <summary>The lines read, in the order of <see cref="Parse"/>'s figures.</summary>
    private static readonly string[] s_names =
        ["Rss", "Pss", "Pss_Anon", "Pss_File", "Pss_Shmem", "Shared_Clean", "Shared_Dirty", "Private_Clean", "Private_Dirty",
         "Anonymous", "AnonHugePages", "ShmemPmdMapped", "FilePmdMapped", "Swap", "SwapPss", "KSM"];

    /// <summary>
    /// Parses the file: the "[rollup]" header line, then "Name:   123 kB" lines. Fields PageAtlas does
    /// not use (Referenced, LazyFree, Locked, *_Hugetlb…) are passed over; so is every field a newer
    /// kernel adds. Reads the bytes where they are: nothing is allocated.
    /// </summary>
    /// <exception cref="KernelDataException">A field PageAtlas needs is missing or is not a number.</exception>
    public static SmapsRollup Parse(ReadOnlySpan<byte> text)
    {
        Span<ulong?> values = stackalloc ulong?[s_names.Length];
        while (!text.IsEmpty)
        {
            int end = text.IndexOf((byte)'\n');
            var line = end < 0 ? text : text[..end];
            text = end < 0 ? default : text[(end + 1)..];
            int colon = line.IndexOf((byte)':');
            if (colon <= 0 || IndexOf(line[..colon]) is not (>= 0 and var field)) continue;
            values[field] = Kilobytes(s_names[field], line[(colon + 1)..]);
        }
        return new SmapsRollup(Required(values, 0), Required(values, 1), values[2], values[3], values[4], Required(values, 5), Required(values, 6),
            Required(values, 7), Required(values, 8), Required(values, 9), Required(values, 10), values[11] ?? 0, values[12],
            Required(values, 13), Required(values, 14), values[15]);
    }

    private static ulong Required(ReadOnlySpan<ulong?> values, int field) =>
        values[field] ?? throw new KernelDataException($"smaps_rollup: no {s_names[field]} line");

    private static int IndexOf(ReadOnlySpan<byte> name)
    {
        for (int i = 0; i < s_names.Length; i++)
            if (System.Text.Ascii.Equals(name, s_names[i])) return i;
        return -1;
    }

    /// <summary>"   123 kB" as bytes.</summary>
    private static ulong Kilobytes(string name, ReadOnlySpan<byte> value)
    {
        value = value.TrimStart((byte)' ');
        int digits = value.IndexOfAnyExceptInRange((byte)'0', (byte)'9');
        var number = digits < 0 ? value : value[..digits];
        return System.Buffers.Text.Utf8Parser.TryParse(number, out ulong kb, out int consumed) && consumed == number.Length && consumed > 0 && kb <= ulong.MaxValue / 1024
            ? kb * 1024
            : throw new KernelDataException($"smaps_rollup: {name} is not a number of kB");
    }
}
