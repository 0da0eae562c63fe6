namespace PageAtlas.Server.Measurement;

/// <summary>
/// One reading of every process a server shows: the figures, each kept process's per-kind figures
/// where asked (--per-class), and what was skipped, by reason.
/// </summary>
/// <param name="Processes">The processes measured, after the name, cgroup and top selections.</param>
/// <param name="Kinds">Each process's memory per segment kind, or null when not asked.</param>
/// <param name="Vanished">Processes that exited while they were read.</param>
/// <param name="Refused">Processes whose files were refused (permission denied).</param>
/// <param name="Failed">Processes whose files did not parse.</param>
/// <param name="AllocatedBytes">Bytes the reading allocated on the managed heap (it runs on one thread: that thread's count), what the garbage collector has to reclaim between readings.</param>
internal sealed record ProcessMeasurement(
    IReadOnlyList<ProcessReading> Processes, IReadOnlyDictionary<int, IReadOnlyList<KindReading>>? Kinds, int Vanished, int Refused, int Failed, long AllocatedBytes);
