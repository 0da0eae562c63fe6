// PageAtlas Explorer's timings: API latency of each endpoint, each view's time to drawn in a real
// chromium (headless, Playwright), and the server's memory, at the specimens bench/explorer.sh starts.
// Run as a .NET file-based app: dotnet run --file bench/explorer.cs -- URL SERVER-PID NAME=PID…
// (Playwright's version comes from Directory.Packages.props: the repository manages versions centrally)
#:package Microsoft.Playwright
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Playwright;

string tokenUrl = args[0];
int serverPid = int.Parse(args[1], CultureInfo.InvariantCulture);
var targets = args.Skip(2).Select(a => a.Split('=')).Select(p => (Name: p[0], Pid: int.Parse(p[1], CultureInfo.InvariantCulture))).ToList();
var root = new Uri(new Uri(tokenUrl), "/");
string token = tokenUrl[(tokenUrl.IndexOf("token=", StringComparison.Ordinal) + 6)..];
using var http = new HttpClient { BaseAddress = root, Timeout = TimeSpan.FromMinutes(5) };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

string Memory(string field) => File.ReadLines($"/proc/{serverPid}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal)).Split(':')[1].Trim();
Console.WriteLine($"server idle: VmRSS {Memory("VmRSS")}, VmHWM {Memory("VmHWM")}");

// median of 3 answers, in milliseconds, and the answer's size
async Task<(double Ms, long Bytes, JsonDocument Doc)> Time(string path)
{
    var times = new List<double>();
    byte[] body = [];
    for (int i = 0; i < 3; i++)
    {
        var clock = Stopwatch.StartNew();
        var response = await http.GetAsync(path);
        body = await response.Content.ReadAsByteArrayAsync();
        times.Add(clock.Elapsed.TotalMilliseconds);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}");
    }
    times.Sort();
    return (times[1], body.Length, JsonDocument.Parse(body));
}

var rows = new List<string[]>();
var views = new List<(string Name, string Path)>();
var list = await Time("/api/live/processes");
rows.Add(["-", "processes", $"{list.Ms:F0}", $"{list.Bytes}"]);
views.Add(("processes", "/live/processes"));
views.Add(("sources", "/sources"));
views.Add(("labs", "/labs"));
foreach (var (name, pid) in targets)
{
    string p = $"/api/live/processes/{pid}";
    var maps = await Time(p + "/maps");
    rows.Add([name, "maps", $"{maps.Ms:F0}", $"{maps.Bytes}"]);
    var composition = await Time(p + "/composition");
    rows.Add([name, "composition", $"{composition.Ms:F0}", $"{composition.Bytes}"]);
    // the biggest VMA: its first part of the grid (65,536 pages, as the front end asks), its first page's walk and frame
    var big = maps.Doc.RootElement.GetProperty("vmas").EnumerateArray().MaxBy(v => v.GetProperty("pages").GetInt64());
    string start = big.GetProperty("start").GetString()!;
    long pages = Math.Min(65536, big.GetProperty("pages").GetInt64());
    var grid = await Time($"{p}/pages?start={start}&count={pages}");
    rows.Add([name, $"pages ({pages} pages)", $"{grid.Ms:F0}", $"{grid.Bytes}"]);
    var walk = await Time($"{p}/walk?address={start}");
    rows.Add([name, "walk", $"{walk.Ms:F0}", $"{walk.Bytes}"]);
    string? pfn = walk.Doc.RootElement.GetProperty("page").TryGetProperty("pfn", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
    if (pfn is not null)
    {
        var frame = await Time($"/api/live/frames/{pfn}");
        rows.Add([name, "frame owners", $"{frame.Ms:F0}", $"{frame.Bytes}"]);
    }
    views.Add(($"address space {name}", $"/live/processes/{pid}"));
    views.Add(($"pages {name}", $"/live/processes/{pid}/vma/{start}"));
    views.Add(($"page {name}", $"/live/processes/{pid}/page/{start}"));
}
Console.WriteLine($"server while serving: VmRSS {Memory("VmRSS")}, VmHWM {Memory("VmHWM")}");
Console.WriteLine();
Console.WriteLine($"{"specimen",-10} {"endpoint",-24} {"median ms",10} {"bytes",10}");
foreach (var r in rows) Console.WriteLine($"{r[0],-10} {r[1],-24} {r[2],10} {r[3],10}");

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ["--no-sandbox", "--disable-gpu"] });
var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } });
context.SetDefaultTimeout(300_000);
var page = await context.NewPageAsync();
await page.GotoAsync(tokenUrl);
Console.WriteLine();
Console.WriteLine($"{"view",-28} {"first paint ms",15} {"view drawn ms",14} {"grid drawn ms",14}");
foreach (var (name, path) in views)
{
    await page.GotoAsync(new Uri(root, path).ToString());
    await page.Locator("section.view:not([data-state=loading])").WaitForAsync();
    if (path.Contains("/vma/", StringComparison.Ordinal)) await page.Locator("canvas.page-grid[data-drawn=complete]").WaitForAsync();
    var t = await page.EvaluateAsync<double[]>(@"() => [
        (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || -1,
        (performance.getEntriesByName('view-ready')[0] || {}).startTime || -1,
        (performance.getEntriesByName('grid-complete')[0] || {}).startTime || -1]");
    Console.WriteLine($"{name,-28} {t[0],15:F0} {t[1],14:F0} {(t[2] < 0 ? "" : t[2].ToString("F0", CultureInfo.InvariantCulture)),14}");
}
Console.WriteLine($"server after the views: VmRSS {Memory("VmRSS")}, VmHWM {Memory("VmHWM")}");
