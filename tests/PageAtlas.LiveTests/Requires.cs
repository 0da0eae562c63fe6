using PageAtlas.Linux;

namespace PageAtlas.LiveTests;

/// <summary>
/// What a live test needs from the machine it runs on, checked before the test relies on it. When
/// the machine lacks it the test is reported skipped with the reason (scripts/test.sh lists every
/// skip at the end), never silently passed: machines of the same kind differ (an AMD EPYC without
/// 1 GiB pages, THP set to never, a kernel before PAGEMAP_SCAN).
/// </summary>
internal static class Requires
{
    /// <summary>The kernel offers hugetlbfs pages of <paramref name="sizeKb"/> (a directory in /sys/kernel/mm/hugepages).</summary>
    public static void HugePageSize(int sizeKb)
    {
        if (Directory.Exists(HugePagePool.Directory(sizeKb))) return;
        string cpu = sizeKb == 1024 * 1024 && !CpuFlag("pdpe1gb") ? " (the CPU has no pdpe1gb flag in /proc/cpuinfo)" : "";
        throw new SkipException($"this machine offers no {sizeKb / 1024} MiB hugetlb pages{cpu}; the 1 GiB PUD leaf is tested in the QEMU guest (kmod/test.sh)");
    }

    /// <summary>Transparent huge pages can be had with MADV_HUGEPAGE: THP compiled in, not set to never, PMD size 2 MiB.</summary>
    public static void Thp()
    {
        const string enabled = "/sys/kernel/mm/transparent_hugepage/enabled";
        if (!File.Exists(enabled)) throw new SkipException("the kernel has no transparent huge pages (no " + enabled + ")");
        string mode = File.ReadAllText(enabled);
        if (mode.Contains("[never]", StringComparison.Ordinal)) throw new SkipException($"transparent huge pages are off ({enabled}: {mode.Trim()})");
        string pmdSize = File.ReadAllText("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size").Trim();
        if (pmdSize != "2097152") throw new SkipException($"the THP size is {pmdSize} bytes, not 2 MiB (the tests' specimen aligns to 2 MiB)");
    }

    /// <summary>The kernel has the PAGEMAP_SCAN ioctl (Linux 6.7 and later), which tells huge leaves apart.</summary>
    public static void PagemapScan()
    {
        using var self = new Pagemap(Environment.ProcessId, 1UL << 47);
        // One page nothing maps: the kernel answers 0 regions, or refuses the ioctl (ENOTTY) before 6.7.
        if (!self.TryScanPopulated(0x1000, 0x2000, [])) throw new SkipException($"this kernel ({Environment.OSVersion.Version}) has no PAGEMAP_SCAN ioctl (Linux 6.7 and later)");
    }

    private static bool CpuFlag(string flag) =>
        File.ReadLines("/proc/cpuinfo").Any(l => l.StartsWith("flags", StringComparison.Ordinal) && l.Split(' ').Contains(flag));
}
