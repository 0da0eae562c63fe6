namespace PageAtlas.Server.Measurement;

/// <summary>What a /metrics collection covers and how often each part may be read.</summary>
/// <param name="PerClass">Also export each process's memory per segment kind (heap, lib-code, thread-stack…).</param>
/// <param name="Top">Keep only the processes of largest PSS, this many; null for all.</param>
/// <param name="NamePattern">Only processes whose command name matches (a glob with * and ?, else a substring), or null.</param>
/// <param name="CgroupPrefix">Only processes whose unified-hierarchy cgroup path starts with this, or null.</param>
/// <param name="MinInterval">A process reading younger than this is served again instead of reading every process anew.</param>
/// <param name="CensusInterval">A frame census younger than this is served again; an older one is served while its successor is taken.</param>
public sealed record MetricsOptions(bool PerClass, int? Top, string? NamePattern, string? CgroupPrefix, TimeSpan MinInterval, TimeSpan CensusInterval)
{
    /// <summary>
    /// 5 s: a scrape reads every process's pagemap (hundreds of milliseconds to seconds on a large
    /// machine); Prometheus scrapes every 15 s by default, so 5 s never serves it a stale answer, while
    /// several scrapers (or a browser refreshing) within 5 s share one reading instead of keeping a
    /// processor busy.
    /// </summary>
    public static readonly TimeSpan DefaultMinInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// 60 s: the census reads kpageflags and kpagecount for every frame of the machine, about 0.9 s of
    /// kernel time on 24 GiB, while the share of frames of each kind (anonymous, page cache, slab,
    /// THP…) moves over minutes, not seconds. Taking it at every 15 s scrape would spend a processor's
    /// 6 % on a figure that barely changed; once a minute spends 1.5 %.
    /// </summary>
    public static readonly TimeSpan DefaultCensusInterval = TimeSpan.FromSeconds(60);

    /// <summary>Every process, no per-class series, the default intervals: what `pageatlas serve` exports.</summary>
    public static readonly MetricsOptions Default = new(false, null, null, null, DefaultMinInterval, DefaultCensusInterval);
}
