using Microsoft.Playwright;

namespace PageAtlas.LiveTests.Explorer;

/// <summary>
/// `pageatlas serve` (the JIT build, as the other live tests run it) and a headless Debian chromium
/// driven by Playwright, for the explorer's browser tests: one server and one browser per test class.
/// The URL the server prints (token included) opens the first page; the browser keeps the cookie.
/// Screenshots go to TestResults/explorer beside the test project (PAGEATLAS_SCREENSHOTS names another).
/// </summary>
public sealed class ExplorerSession : IAsyncLifetime
{
    private ServedExplorer? _server;
    private IPlaywright? _playwright;
    private string[] _serveArgs = [];

    /// <summary>A session whose server was started with serve's <paramref name="args"/> (--snapshot files, upload limits), started now.</summary>
    public static async Task<ExplorerSession> StartWith(params string[] args)
    {
        var session = new ExplorerSession { _serveArgs = args };
        await session.InitializeAsync();
        return session;
    }

    /// <summary>The server, for API requests beside the browser's.</summary>
    internal ServedExplorer Server => _server ?? throw new InvalidOperationException("no server: no /usr/bin/chromium");

    /// <summary>The server's root, without the token.</summary>
    public Uri Root { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The URL it printed, with ?token=.</summary>
    public string TokenUrl { get; private set; } = "";

    public IBrowser Browser { get; private set; } = null!;

    public static string ScreenshotDirectory => Environment.GetEnvironmentVariable("PAGEATLAS_SCREENSHOTS")
        ?? Path.Combine(Specimen.RepoRoot(), "tests", "PageAtlas.LiveTests", "TestResults", "explorer");

    public async Task InitializeAsync()
    {
        if (!File.Exists("/usr/bin/chromium")) return; // each test skips with the reason (RequireBrowser)
        _server = ServedExplorer.Start(_serveArgs);
        TokenUrl = _server.Url.ToString();
        Root = _server.Root;
        _playwright = await Playwright.CreateAsync();
        Browser = await Chromium(_playwright);
    }

    /// <summary>Debian's chromium, headless, as every explorer test drives it.</summary>
    public static Task<IBrowser> Chromium(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = "/usr/bin/chromium",
        Headless = true,
        // root's chromium runs only without its sandbox; the pages it opens are the explorer's own
        Args = ["--no-sandbox", "--disable-gpu"],
        Timeout = 60_000,
    });

    /// <summary>A new page at <paramref name="width"/>×<paramref name="height"/>, signed in through the printed URL (which sets the cookie and redirects to the process list).</summary>
    public async Task<IPage> SignedInPage(int width = 1280, int height = 800)
    {
        RequireBrowser();
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();
        await page.GotoAsync(TokenUrl);
        Assert.DoesNotContain("token=", page.Url, StringComparison.Ordinal);
        return page;
    }

    /// <summary>
    /// As <see cref="SignedInPage"/>, and from then on every answer of 400 or more the page receives
    /// ("STATUS URL") and every resource the browser reports it could not load ("console: …"): the tab's
    /// icon is fetched by the browser itself, outside the page's requests, and only its console tells of a 404.
    /// </summary>
    public async Task<(IPage Page, List<string> Failed)> SignedInPageWatchingAnswers(int width = 1280, int height = 800)
    {
        RequireBrowser();
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();
        var failed = new List<string>();
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
                lock (failed) failed.Add($"{response.Status} {response.Url}");
        };
        page.Console += (_, message) =>
        {
            if (message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
                lock (failed) failed.Add($"console: {message.Text} {message.Location}");
        };
        await page.GotoAsync(TokenUrl);
        Assert.DoesNotContain("token=", page.Url, StringComparison.Ordinal);
        return (page, failed);
    }

    /// <summary>The tab's icon the page names (link rel=icon), fetched with the page's cookie: it must be an SVG the server has.</summary>
    public static async Task AssertIconServed(IPage page)
    {
        string? href = await page.EvaluateAsync<string?>("() => document.querySelector('link[rel=icon]')?.getAttribute('href') ?? null");
        Assert.True(href is not null, "the page names no icon (link rel=icon): the browser asks for /favicon.ico");
        var icon = await page.APIRequest.GetAsync(new Uri(new Uri(page.Url), href).ToString());
        Assert.Equal(200, icon.Status);
        Assert.Equal("image/svg+xml", icon.Headers["content-type"]);
        Assert.StartsWith("<svg", await icon.TextAsync(), StringComparison.Ordinal);
    }

    /// <summary>Goes to one of the explorer's paths and waits until its view has drawn (or failed: the test then fails with its message).</summary>
    public async Task Open(IPage page, string path)
    {
        await page.GotoAsync(new Uri(Root, path).ToString());
        await ViewReady(page);
    }

    /// <summary>Waits for the current view to be drawn; a view that ended in an error fails with the error it shows.</summary>
    public static async Task ViewReady(IPage page)
    {
        var view = page.Locator("section.view:not([data-state=loading])");
        await view.WaitForAsync();
        if (await view.GetAttributeAsync("data-state") == "error")
            Assert.Fail($"the view at {page.Url} shows an error: {await view.InnerTextAsync()}");
    }

    /// <summary>Saves the page as TestResults/explorer/<paramref name="name"/>.png.</summary>
    public static async Task Screenshot(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png") });
    }

    public static void RequireBrowser()
    {
        if (!File.Exists("/usr/bin/chromium")) throw new SkipException("no /usr/bin/chromium: scripts/install-deps.sh installs it");
    }

    public async Task DisposeAsync()
    {
        if (_playwright is not null)
        {
            await Browser.CloseAsync();
            _playwright.Dispose();
        }
        _server?.Dispose();
    }
}
