using System.Globalization;
using System.Security.Cryptography;
using PageAtlas.Labs;
using PageAtlas.Linux;
using PageAtlas.Rendering;

namespace PageAtlas.LiveTests.Metrics;

/// <summary>
/// One `pageatlas exporter` (token from a file, --min-interval 1s), a quiet specimen, and a real
/// Prometheus scraping the exporter every second with the same token file: what the tests ask
/// Prometheus must be what the kernel says.
/// </summary>
public sealed class ScrapedExporter : IDisposable
{
    internal static readonly TimeSpan Bound = TimeSpan.FromMinutes(3);
    private readonly string _directory = Directory.CreateTempSubdirectory("pageatlas-exporter").FullName;

    public ScrapedExporter()
    {
        Quiet = Specimen.Start("--touch-mib", "64");
        try
        {
            string token = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
            string tokenFile = Path.Combine(_directory, "token");
            File.WriteAllText(tokenFile, token + "\n");
            Exporter = RunningExporter.Start("--token-file", tokenFile, "--min-interval", "1s");
            Assert.Equal(token, Exporter.Token);
            Prometheus = PrometheusServer.Start(Exporter.Url.Authority, token);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>A layout specimen with 64 MiB of private memory written: its figures stay put.</summary>
    internal SpecimenProcess Quiet { get; }

    internal RunningExporter Exporter { get; } = null!;

    internal PrometheusServer Prometheus { get; } = null!;

    public void Dispose()
    {
        Prometheus?.Dispose();
        Exporter?.Dispose();
        Quiet.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}

public sealed class PrometheusScrapeTests(ScrapedExporter scraped) : IClassFixture<ScrapedExporter>
{
    private PrometheusServer Prometheus => scraped.Prometheus;

    private double One(string series, string what) =>
        Prometheus.QueryUntil(series, answer => answer.Count == 1, ScrapedExporter.Bound, what)[0].Value;

    /// <summary>
    /// RSS is exact: the specimen maps nothing new once ready, so every collection counts the same
    /// pages as smaps_rollup. PSS moves with other processes: a page the specimen shares contributes
    /// its size divided by its map count, so another process mapping or unmapping libc between the
    /// two readings (the exporter's own mappings are subtracted; the test's and others' are not)
    /// moves each page shared in either reading by at most half its size. The bound is therefore half
    /// the shared bytes of both readings, plus the kilobyte smaps_rollup truncates to; against 64 MiB
    /// of private memory it still pins PSS down.
    /// </summary>
    [Fact]
    public void AQuietSpecimensPssIsSmapsRollupsWithinSharingDriftItsRssAndVmasExactly()
    {
        int pid = scraped.Quiet.Pid;
        double rss = One($"pageatlas_process_rss_bytes{{pid=\"{pid}\"}}", "the quiet specimen's rss series");
        double pss = One($"pageatlas_process_pss_bytes{{pid=\"{pid}\"}}", "its pss series");
        double exportedShared = One($"sum(pageatlas_process_shared_bytes{{pid=\"{pid}\"}})", "its shared series");
        var rollup = Smaps.Rollup(pid);
        Assert.Equal(rollup["Rss"] * 1024.0, rss);
        Assert.Equal(File.ReadLines($"/proc/{pid}/maps").Count(), One($"pageatlas_process_vmas{{pid=\"{pid}\"}}", "its vmas series"));
        double rollupShared = (rollup["Shared_Clean"] + rollup["Shared_Dirty"]) * 1024.0;
        double bound = (rollupShared + exportedShared) / 2 + 1024;
        Assert.True(Math.Abs(pss - rollup["Pss"] * 1024.0) <= bound,
            $"exported PSS {pss} B, smaps_rollup {rollup["Pss"]} kB: more apart than {bound} B (half of the shared bytes {rollupShared} and {exportedShared})");
        Assert.True(pss >= 64 << 20 && bound < pss / 8, $"PSS {pss} B against a bound of {bound} B says nothing");
    }

    /// <summary>
    /// The census covers every frame to max_pfn: its total is the end of the highest zone in
    /// /proc/zoneinfo (start_pfn + spanned, read here), which PageAtlas does not read for it (it
    /// probes kpageflags' length). Within one scrape the free rows add up: the census's free pages
    /// are buddyinfo's free blocks (exported per node, zone and order) plus memory not yet
    /// initialised. The kinds overlap by design (LRU active and inactive are both LRU), so their
    /// sums are checked where one contains the others.
    /// </summary>
    [Fact]
    public void TheCensusSeriesAddUpToTheFramesItCovers()
    {
        double total = One("pageatlas_frames{kind=\"pfn_range\"}", "the census total");
        Assert.Equal(ZoneinfoMaxPfn(), total);
        double freeGap = One("pageatlas_frames{kind=\"free\"} - ignoring(kind, meminfo) pageatlas_frames{kind=\"uninitialised\"}" +
            " - ignoring(kind, meminfo) sum without(node, zone, order) (pageatlas_buddy_free_pages)", "free pages against buddyinfo");
        Assert.Equal(0, freeGap);
        Assert.Equal(0, One("count(pageatlas_frames > ignoring(kind, meminfo) group_left pageatlas_frames{kind=\"pfn_range\"}) or vector(0)", "kinds above the total"));
        double lruParts = One("sum without(kind, meminfo) (pageatlas_frames{kind=~\"lru_active|lru_inactive\"}) - ignoring(kind, meminfo) pageatlas_frames{kind=\"lru\"}", "LRU parts");
        Assert.True(lruParts <= 0, $"active and inactive LRU frames exceed the LRU frames by {lruParts}");
        double anonymousMapped = One("pageatlas_frames{kind=\"anonymous_mapped\"} - ignoring(kind, meminfo) pageatlas_frames{kind=\"anonymous\"}", "mapped anonymous");
        Assert.True(anonymousMapped <= 0, $"mapped anonymous frames exceed anonymous frames by {anonymousMapped}");
        var meminfo = Prometheus.Query("pageatlas_frames{kind=\"page_tables\"}");
        Assert.Equal("PageTables", Assert.Single(meminfo).Labels["meminfo"]);
    }

    /// <summary>A process started while Prometheus scrapes gets series; once it exits, the next collections leave it out and Prometheus marks its series stale.</summary>
    [Fact]
    public void AProcessStartedMidTestAppearsAndDisappearsWhenItExits()
    {
        string series;
        using (var late = Specimen.Start())
        {
            series = $"pageatlas_process_rss_bytes{{pid=\"{late.Pid}\"}}";
            var found = Prometheus.QueryUntil(series, answer => answer.Count == 1, ScrapedExporter.Bound, "the late process's series");
            Assert.Equal(Smaps.Rollup(late.Pid)["Rss"] * 1024.0, found[0].Value);
        }
        Prometheus.QueryUntil(series, answer => answer.Count == 0, ScrapedExporter.Bound, "the exited process's series going stale");
    }

    /// <summary>
    /// A process named with terminal escapes, CR and LF reaches Prometheus as one series whose comm
    /// label is the name as the CLI shows it (escapes visible), read from /proc here.
    /// </summary>
    [Fact]
    public void AHostileProcessNameArrivesAsOneEscapedLabel()
    {
        using var hostile = new HostileProcess();
        var answer = Prometheus.QueryUntil($"pageatlas_process_vmas{{pid=\"{hostile.Pid}\"}}", a => a.Count == 1, ScrapedExporter.Bound, "the hostile process's series");
        byte[] comm = File.ReadAllBytes($"/proc/{hostile.Pid}/comm");
        string expected = TerminalText.Escape(KernelText.Decode(comm.AsSpan(0, comm.Length - 1)));
        Assert.Equal(expected, answer[0].Labels["comm"]);
        Assert.DoesNotContain(answer[0].Labels["comm"], c => TerminalText.IsUnsafe(c));
    }

    /// <summary>Every scrape Prometheus made of the exporter succeeded once the first collection was in (up is 1), and the exporter counts no errors as root.</summary>
    [Fact]
    public void TheExporterIsUpWithoutErrors()
    {
        Prometheus.QueryUntil("up{job=\"pageatlas\"} == 1", a => a.Count == 1, ScrapedExporter.Bound, "the exporter up");
        Assert.Equal(0, One("pageatlas_exporter_errors_total", "the error counter"));
        double measured = One("pageatlas_exporter_processes", "the measured count");
        Assert.True(measured >= 2, $"{measured} processes measured");
    }

    /// <summary>The end of the highest zone: each zone's "spanned" line comes before its "start_pfn:" line.</summary>
    private static double ZoneinfoMaxPfn()
    {
        ulong end = 0, spanned = 0;
        foreach (var line in File.ReadLines("/proc/zoneinfo"))
        {
            var fields = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields is ["spanned", var pages]) spanned = ulong.Parse(pages, CultureInfo.InvariantCulture);
            if (fields is ["start_pfn:", var first] && spanned > 0) end = Math.Max(end, ulong.Parse(first, CultureInfo.InvariantCulture) + spanned);
        }
        return end;
    }
}
