namespace PageAtlas.Server.Metrics;

/// <summary>What a /metrics collection covers and how often it may run.</summary>
/// <param name="PerClass">Also export each process's memory per segment kind (heap, lib-code, thread-stack…).</param>
/// <param name="Top">Keep only the processes of largest PSS, this many; null for all.</param>
/// <param name="NamePattern">Only processes whose command name matches (a glob with * and ?, else a substring), or null.</param>
/// <param name="CgroupPrefix">Only processes whose unified-hierarchy cgroup path starts with this, or null.</param>
/// <param name="MinInterval">A collection younger than this is served again instead of reading every process anew.</param>
public sealed record MetricsOptions(bool PerClass, int? Top, string? NamePattern, string? CgroupPrefix, TimeSpan MinInterval)
{
    /// <summary>
    /// 5 s: a scrape reads every process's pagemap and the whole machine's kpageflags and kpagecount
    /// (hundreds of milliseconds to seconds on a large machine); Prometheus scrapes every 15 s by
    /// default, so 5 s never serves it a stale answer, while several scrapers (or a browser refreshing)
    /// within 5 s share one reading instead of keeping a processor busy.
    /// </summary>
    public static readonly TimeSpan DefaultMinInterval = TimeSpan.FromSeconds(5);

    /// <summary>Every process, no per-class series, the default interval: what `pageatlas serve` exports.</summary>
    public static readonly MetricsOptions Default = new(false, null, null, null, DefaultMinInterval);
}
