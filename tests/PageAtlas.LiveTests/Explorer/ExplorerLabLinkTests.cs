using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace PageAtlas.LiveTests.Explorer;

/// <summary>
/// A lab run from the browser leaves a snapshot of its processes, taken while they were alive, and its
/// figures link into that snapshot's views: fork-cow's share link opens the sharing view of the pair,
/// whose COW shared and copied pages are the lab's own figures. The snapshot is a private file of the
/// server's (0600 in its 0700 directory) gone once the server stops. Under --no-upload the sources page
/// shows no upload form (the sources document says uploads are off); otherwise it does, with the cap.
/// Each server runs with its own TMPDIR so that its private directory is this test's to look at.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class ExplorerLabLinkTests(ExplorerSession explorer) : IClassFixture<ExplorerSession>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pageatlas-lablink-test-").FullName;
    private string Temp => Path.Combine(_directory, "tmp");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [GeneratedRegex(@"whole process: (\d+) pages still shared copy-on-write, (\d+) copied")]
    private static partial Regex WholeProcess();

    private ServedExplorer Serve(params string[] args)
    {
        Directory.CreateDirectory(Temp);
        return ServedExplorer.StartWith(new Dictionary<string, string> { ["TMPDIR"] = Temp }, args);
    }

    /// <summary>A page of the test's browser signed in to <paramref name="server"/> (not the fixture's own server).</summary>
    private async Task<IPage> SignedIn(ServedExplorer server)
    {
        ExplorerSession.RequireBrowser();
        var context = await explorer.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync(server.Url.ToString());
        return page;
    }

    [SkippableFact]
    public async Task ForkCowsShareLinkOpensThePairInItsSnapshotWithTheLabsFigures()
    {
        ExplorerSession.RequireBrowser();
        using var server = Serve();
        var page = await SignedIn(server);
        await page.GotoAsync(new Uri(server.Root, "/labs").ToString());
        await ExplorerSession.ViewReady(page);
        await page.ClickAsync("button[data-lab=fork-cow]");
        await page.Locator(".lab-result[data-state=done][data-lab=fork-cow]").WaitForAsync(new() { Timeout = 120_000 });

        var run = server.Get("/api/labs/run");
        string source = run.GetProperty("source").GetString()!;
        Assert.True(run.GetProperty("sourceNote").ValueKind == JsonValueKind.Null, run.GetRawText());
        var report = run.GetProperty("report").GetProperty("labs")[0];
        int[] pair = [.. report.GetProperty("subjects").EnumerateArray().Select(p => p.GetInt32())];
        Assert.Equal(source, await page.GetAttributeAsync("p.lab-snapshot", "data-source"));
        var figures = WholeProcess().Match(await page.Locator("ul.observations").InnerTextAsync());
        Assert.True(figures.Success, "fork-cow observes the whole pair's shared and copied pages");
        await ExplorerSession.Screenshot(page, "labs-fork-cow-links");

        // the snapshot: a source of the server's, not an upload, holding the pair; a private file
        var added = server.Get("/api/sources").GetProperty("sources").EnumerateArray().Single(s => s.GetProperty("id").GetString() == source);
        Assert.False(added.GetProperty("uploaded").GetBoolean());
        Assert.Equal(pair, added.GetProperty("processes").EnumerateArray().Select(p => p.GetProperty("pid").GetInt32()));
        var directory = Assert.Single(Directory.GetDirectories(Temp));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Assert.Single(Directory.GetFiles(directory))));

        // the share link of the first claim: the pair in that snapshot, COW shared and copied as the lab measured them
        await page.Locator("table.verdicts a[data-view=share]").First.ClickAsync();
        await ExplorerSession.ViewReady(page);
        Assert.EndsWith($"/{source}/share?pids={pair[0]},{pair[1]}", page.Url, StringComparison.Ordinal);
        var total = page.Locator("[data-total]");
        Assert.Equal(figures.Groups[1].Value, await total.GetAttributeAsync("data-same-frame"));
        Assert.Equal(figures.Groups[2].Value, await total.GetAttributeAsync("data-other-frame"));
        await ExplorerSession.Screenshot(page, "labs-fork-cow-share");

        // a frame link: the frame view of the snapshot finds its owner among the pair
        await page.GoBackAsync();
        await page.Locator(".lab-result[data-state=done]").WaitForAsync();
        var frame = page.Locator("table.verdicts a[data-view=frame]").First;
        string pfnPath = (await frame.GetAttributeAsync("href"))!;
        await frame.ClickAsync();
        await ExplorerSession.ViewReady(page);
        Assert.EndsWith(pfnPath, page.Url, StringComparison.Ordinal);
        var owners = server.Get($"/api{pfnPath}");
        Assert.Contains(owners.GetProperty("mappings").EnumerateArray().First().GetProperty("pid").GetInt32(), pair);

        var (exit, err) = server.Stop();
        Assert.True(exit == 0, err);
        Assert.Empty(Directory.GetFileSystemEntries(Temp));
    }

    [SkippableFact]
    public async Task TheUploadFormShowsOnlyWhenUploadsAreOn()
    {
        ExplorerSession.RequireBrowser();
        using (var off = Serve("--no-upload"))
        {
            Assert.Equal(JsonValueKind.Null, off.Get("/api/sources").GetProperty("maxUploadBytes").ValueKind);
            var page = await SignedIn(off);
            await page.GotoAsync(new Uri(off.Root, "/sources").ToString());
            await ExplorerSession.ViewReady(page);
            Assert.Equal(0, await page.Locator("form.upload-form").CountAsync());
            Assert.Contains("--no-upload", await page.Locator("p.no-upload").InnerTextAsync(), StringComparison.Ordinal);
        }
        using var on = Serve("--max-upload", "64M");
        Assert.Equal(64L << 20, on.Get("/api/sources").GetProperty("maxUploadBytes").GetInt64());
        var shown = await SignedIn(on);
        await shown.GotoAsync(new Uri(on.Root, "/sources").ToString());
        await ExplorerSession.ViewReady(shown);
        Assert.Equal(1, await shown.Locator("form.upload-form").CountAsync());
        Assert.Equal(0, await shown.Locator("p.no-upload").CountAsync());
    }
}
