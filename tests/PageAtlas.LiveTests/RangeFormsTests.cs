using System.Globalization;
using System.Text.RegularExpressions;

namespace PageAtlas.LiveTests;

/// <summary>A range as `maps` and /proc print it goes back into `pages --range` and means the same VMA.</summary>
public partial class RangeFormsTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public void TheRangeMapsPrintsListsThatVmasPagesInEveryForm()
    {
        using var specimen = Specimen.Start("--touch-mib", "2");
        ulong touched = specimen["touched"];
        string pid = specimen.Pid.ToString(CultureInfo.InvariantCulture);

        var (mapsCode, maps, mapsErr) = RunningCli.Run(Bound, ["maps", pid]);
        Assert.True(mapsCode == 0, mapsErr);
        var (start, end) = maps.Split('\n')
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length > 2 && IsHex(f[0]) && IsHex(f[1]))
            .Select(f => (Start: f[0], End: f[1]))
            .Single(r => Hex(r.Start) <= touched && touched < Hex(r.End));
        // The independent count: smaps' Rss of the VMA that starts where maps says it does.
        ulong rssPages = Smaps.Read(specimen.Pid)[Hex(start)]["Rss"] / 4;
        Assert.True(rssPages >= 512, $"the specimen touched 2 MiB, smaps has {rssPages} pages");

        var listings = new List<string>();
        foreach (string range in new[] { $"{start}-{end}", $"0x{start}\u20130x{end}", $"{start}..{end}" })
        {
            var (code, pages, err) = RunningCli.Run(Bound, ["pages", pid, "--range", range]);
            Assert.True(code == 0, $"{range}: {err}");
            Assert.Equal("", err);
            var summary = Summary().Match(pages);
            Assert.True(summary.Success, pages);
            Assert.Equal(rssPages, ulong.Parse(summary.Groups[1].Value, CultureInfo.InvariantCulture));
            listings.Add(PageListing.WithoutFlags(pages));
        }
        Assert.All(listings, listing => Assert.Equal(listings[0], listing));
    }

    [Fact]
    public void ABadRangeIsOneLineListingTheFormsAndExitTwo()
    {
        using var specimen = Specimen.Start();
        var (code, output, err) = RunningCli.Run(Bound, ["pages", specimen.Pid.ToString(CultureInfo.InvariantCulture), "--range", "0x2000:0x1000"]);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        string line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("ADDR..END, ADDR-END (as /proc/<pid>/maps prints), ADDR\u2013END (as PageAtlas prints), ADDR+LEN", line);
    }

    private static bool IsHex(string s) => ulong.TryParse(s, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out _);

    private static ulong Hex(string s) => ulong.Parse(s, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\d+ pages listed, (\d+) present")]
    private static partial Regex Summary();
}
