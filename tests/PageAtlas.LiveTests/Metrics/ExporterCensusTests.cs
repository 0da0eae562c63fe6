using PageAtlas.LiveTests.Explorer;

namespace PageAtlas.LiveTests.Metrics;

/// <summary>
/// The frame census is taken on its own interval, apart from scrapes: scrapes that each read every
/// process anew (--min-interval 0) are all served the same census, whose age grows, until the
/// interval has passed.
/// </summary>
public sealed class ExporterCensusTests
{
    [Fact]
    public void UncachedScrapesReadProcessesAnewAndServeTheLastCensusWithItsAge()
    {
        using var exporter = RunningExporter.Start("--min-interval", "0", "--census-interval", "1h", "--name", "nothing-is-named-this");
        var first = exporter.Scrape().Body;
        var second = exporter.Scrape().Body;
        // Each scrape waited for a process reading of its own…
        Assert.True(ExplorerProcessListTests.Counter(second, "pageatlas_exporter_collections_total") > ExplorerProcessListTests.Counter(first, "pageatlas_exporter_collections_total"));
        // …and both were served the one census taken at start: the same duration, an age that only grew.
        Assert.Equal(ExplorerProcessListTests.Sample(first, "pageatlas_census_duration_seconds"), ExplorerProcessListTests.Sample(second, "pageatlas_census_duration_seconds"));
        double ageBefore = ExplorerProcessListTests.Sample(first, "pageatlas_census_age_seconds"), ageAfter = ExplorerProcessListTests.Sample(second, "pageatlas_census_age_seconds");
        Assert.True(ageAfter > ageBefore, $"census age {ageBefore} then {ageAfter}");
        Assert.Contains("pageatlas_frames{kind=\"pfn_range\"", second, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutACensusIntervalEveryScrapeTakesItsOwnCensus()
    {
        using var exporter = RunningExporter.Start("--census-interval", "0", "--name", "nothing-is-named-this");
        var first = exporter.Scrape().Body;
        var second = exporter.Scrape().Body;
        double age = ExplorerProcessListTests.Sample(second, "pageatlas_census_age_seconds");
        double duration = ExplorerProcessListTests.Sample(second, "pageatlas_census_duration_seconds");
        // Taken for this scrape: no older than the census itself took, give or take the scrape's own
        // few milliseconds (a bound a loaded machine can stretch: 5 s).
        Assert.InRange(age, duration, duration + 5);
        Assert.Contains("pageatlas_frames{kind=\"pfn_range\"", first, StringComparison.Ordinal);
    }
}
