using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Server.Measurement;
using PageAtlas.Rendering;

namespace PageAtlas.Server.Metrics;

/// <summary>
/// The per-process metrics (docs/metrics.md): every process's memory as smaps_rollup sums it,
/// labelled pid, comm and cgroup, and with --per-class each segment kind's RSS, PSS and swap.
/// </summary>
internal static class ProcessFamilies
{
    private static readonly (string Name, string Help, Func<ProcessReading, double?> Value)[] s_gauges =
    [
        ("rss", "Resident bytes (smaps_rollup Rss: no zero page, no hugetlbfs)", p => p.Memory.Rss),
        ("pss", "Proportional set size in bytes (smaps_rollup Pss): each page's size divided by the processes that map it", p => p.Memory.Pss),
        ("uss", "Unique set size in bytes: pages only this process maps (Private_Clean + Private_Dirty)", p => p.Memory.Uss),
        ("swap", "Swapped-out bytes (smaps_rollup Swap: page-table swap entries and shared memory's object-held swap)", p => p.Memory.Swap),
        ("swap_pss", "Proportional swap in bytes (smaps_rollup SwapPss): each swap entry divided by the page tables that hold it", p => p.Memory.SwapPss),
        ("anonymous", "Resident anonymous bytes (smaps_rollup Anonymous)", p => p.Memory.Anonymous),
        ("file", "Resident page-cache bytes: files and shared memory (Rss - Anonymous)", p => p.Memory.FileBacked),
        ("thp", "Bytes mapped by PMD-sized transparent huge pages (smaps_rollup AnonHugePages + ShmemPmdMapped + FilePmdMapped)", p => p.Memory.ThpMapped),
        ("ksm", "Bytes of pages merged by KSM (smaps_rollup KSM, or ksm_merging_pages)", p => p.Memory.Ksm),
        ("page_table", "Page-table bytes the kernel accounts to the process (status VmPTE)", p => p.PageTableBytes),
    ];

    /// <summary>The families for <paramref name="processes"/> (and their kinds, where measured).</summary>
    public static IEnumerable<MetricFamily> Build(IReadOnlyList<ProcessReading> processes, IReadOnlyDictionary<int, IReadOnlyList<KindReading>>? kinds)
    {
        // Each process's labels once, shared by its 18 series: escaping them for every series was most of what a scrape of 1,000 processes allocated.
        var labelled = processes.Select(p => (Process: p, Labels: Labels(p))).ToArray();
        foreach (var (name, help, value) in s_gauges)
            yield return Bytes($"pageatlas_process_{name}_bytes", help, labelled.Where(l => value(l.Process) is not null).Select(l => new MetricSample(l.Labels, value(l.Process)!.Value)));
        yield return Bytes("pageatlas_process_pss_backing_bytes", "PSS by what backs it (smaps_rollup Pss_Anon, Pss_File, Pss_Shmem); their sum is pss",
            labelled.SelectMany(l => Backings(l.Process.Memory, l.Labels)));
        yield return Bytes("pageatlas_process_shared_bytes", "Resident bytes other processes map too (Shared_Clean, Shared_Dirty), by state",
            labelled.SelectMany(l => Split(l.Labels, l.Process.Memory.SharedClean, l.Process.Memory.SharedDirty)));
        yield return Bytes("pageatlas_process_private_bytes", "Resident bytes only this process maps (Private_Clean, Private_Dirty), by state; their sum is uss",
            labelled.SelectMany(l => Split(l.Labels, l.Process.Memory.PrivateClean, l.Process.Memory.PrivateDirty)));
        yield return new MetricFamily("pageatlas_process_vmas", MetricType.Gauge, "Virtual memory areas (lines of /proc/PID/maps)", null,
            labelled.Select(l => new MetricSample(l.Labels, l.Process.Vmas)).ToArray());
        if (kinds is null) yield break;
        var byKind = processes.Where(p => kinds.ContainsKey(p.Pid))
            .SelectMany(p => kinds[p.Pid].Select(k => (Labels: Labels(p).Append(new("class", k.Kind)).ToArray(), k.Counts, k.PageSize))).ToArray();
        yield return Bytes("pageatlas_process_class_rss_bytes", "Resident bytes of one segment kind of a process (--per-class)",
            byKind.Select(k => new MetricSample(k.Labels, k.Counts.Resident * k.PageSize)));
        yield return Bytes("pageatlas_process_class_pss_bytes", "Proportional set size in bytes of one segment kind of a process (--per-class)",
            byKind.Select(k => new MetricSample(k.Labels, k.Counts.PssBytes)));
        yield return Bytes("pageatlas_process_class_swap_bytes", "Swapped-out bytes of one segment kind of a process (--per-class)",
            byKind.Select(k => new MetricSample(k.Labels, k.Counts.AllSwapped * k.PageSize)));
    }

    /// <summary>
    /// pid, comm and cgroup. Names are the process's own bytes: shown as the CLI shows them (control
    /// characters and bytes that are not UTF-8 as visible escapes), so a label is always valid UTF-8
    /// text a terminal can print; the writer then escapes it for the format.
    /// </summary>
    public static KeyValuePair<string, string>[] Labels(ProcessReading p) =>
    [
        new("pid", p.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("comm", TerminalText.Escape(p.Command)),
        new("cgroup", TerminalText.Escape(p.Cgroup ?? "")),
    ];

    private static IEnumerable<MetricSample> Split(KeyValuePair<string, string>[] labels, ulong clean, ulong dirty) =>
    [
        new([.. labels, new("state", "clean")], clean),
        new([.. labels, new("state", "dirty")], dirty),
    ];

    /// <summary>Pss_Anon, Pss_File and Pss_Shmem, label backing=anon/file/shmem; none on a kernel before 5.9, which has no such lines.</summary>
    private static IEnumerable<MetricSample> Backings(SmapsRollup memory, KeyValuePair<string, string>[] labels) =>
        new[] { ("anon", memory.PssAnon), ("file", memory.PssFile), ("shmem", memory.PssShmem) }
            .Where(b => b.Item2 is not null)
            .Select(b => new MetricSample([.. labels, new("backing", b.Item1)], b.Item2!.Value));

    private static MetricFamily Bytes(string name, string help, IEnumerable<MetricSample> samples) =>
        new(name, MetricType.Gauge, help, "bytes", samples.ToArray());
}
