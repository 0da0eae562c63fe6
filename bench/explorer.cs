// PageAtlas Explorer's timings: API latency of each endpoint, each view's time to drawn in a real
// chromium (headless, Playwright), and the server's memory, at the specimens bench/explorer.sh starts.
// Run as a .NET file-based app: dotnet run --file bench/explorer.cs -- URL SERVER-PID NAME=PID…
// (Playwright's version comes from Directory.Packages.props: the repository manages versions centrally)
#:package Microsoft.Playwright
// A file-based app publishes with NativeAOT by default, which turns off the reflection-based JSON that
// Playwright's transport uses: this is a JIT app.
#:property PublishAot=false
#:property JsonSerializerIsReflectionEnabledByDefault=true
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

// The first answer (cold: the first time this server is asked this question), then the median of 5
// more (warm), in milliseconds, and the answer's size.
const int WarmRuns = 5;
async Task<(double Cold, double Ms, long Bytes, JsonDocument Doc)> Time(string path)
{
    var times = new List<double>();
    byte[] body = [];
    for (int i = 0; i < 1 + WarmRuns; i++)
    {
        var clock = Stopwatch.StartNew();
        var response = await http.GetAsync(path);
        body = await response.Content.ReadAsByteArrayAsync();
        times.Add(clock.Elapsed.TotalMilliseconds);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{path}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}");
    }
    double cold = times[0];
    var warm = times.Skip(1).Order().ToList();
    return (cold, warm[warm.Count / 2], body.Length, JsonDocument.Parse(body));
}

var rows = new List<string[]>();
var views = new List<(string Name, string Path)>();
void Row(string specimen, string endpoint, (double Cold, double Ms, long Bytes, JsonDocument Doc) t) =>
    rows.Add([specimen, endpoint, $"{t.Cold:F0}", $"{t.Ms:F0}", $"{t.Bytes}"]);
var list = await Time("/api/live/processes");
Row("-", "processes", list);
views.Add(("processes", "/live/processes"));
views.Add(("sources", "/sources"));
views.Add(("labs", "/labs"));
foreach (var (name, pid) in targets)
{
    string p = $"/api/live/processes/{pid}";
    var maps = await Time(p + "/maps");
    Row(name, "maps (whole)", maps);
    Row(name, "maps?limit=1000", await Time(p + "/maps?start=0x0&limit=1000"));
    Row(name, "maps/compact", await Time(p + "/maps/compact"));
    var composition = await Time(p + "/composition");
    Row(name, "composition", composition);
    Row(name, "composition?vmas=0", await Time(p + "/composition?vmas=0"));
    // the biggest VMA: its first part of the grid (65,536 pages, as the front end asks), its first page's walk and frame
    var big = maps.Doc.RootElement.GetProperty("vmas").EnumerateArray().MaxBy(v => v.GetProperty("sizePages").GetInt64());
    string start = big.GetProperty("start").GetString()!;
    long pages = Math.Min(65536, big.GetProperty("sizePages").GetInt64());
    Row(name, "vmas?at= (its VMA)", await Time($"{p}/vmas?at={start}"));
    var grid = await Time($"{p}/pages?start={start}&count={pages}");
    Row(name, $"pages ({pages} pages)", grid);
    var walk = await Time($"{p}/walk?address={start}");
    Row(name, "walk", walk);
    var walked = walk.Doc.RootElement.GetProperty("page");
    string? pfn = walked.ValueKind != JsonValueKind.Object || !walked.TryGetProperty("pfn", out var f) ? null
        : f.ValueKind == JsonValueKind.String ? f.GetString()
        : f.ValueKind == JsonValueKind.Number ? $"0x{f.GetUInt64():x}" : null;
    if (pfn is not null)
    {
        var frame = await Time($"/api/live/frames/{pfn}");
        Row(name, "frame owners", frame);
    }
    views.Add(($"address space {name}", $"/live/processes/{pid}"));
    views.Add(($"pages {name}", $"/live/processes/{pid}/vma/{start}"));
    views.Add(($"page {name}", $"/live/processes/{pid}/page/{start}"));
    var tree = await Time(p + "/pagetable");
    Row(name, "pagetable", tree);
    views.Add(($"page tables {name}", $"/live/processes/{pid}/pagetables"));
}
var physmap = await Time("/api/live/physmap?cells=5120");
Row("-", "physmap (5,120 cells)", physmap);
Row("-", "census", await Time("/api/live/census"));
views.Add(("physical memory", "/live/physical"));
// sharing between the two specimens (every page of both read, frames compared) and the live view of each
var pidsOf = string.Join(",", targets.Select(t => t.Pid));
var share = await Time($"/api/live/share?pids={pidsOf}");
Row("both", "share", share);
views.Add(("sharing both", $"/live/share?pids={pidsOf}"));
foreach (var (name, pid) in targets) views.Add(($"live {name}", $"/live/processes/{pid}/live"));
Console.WriteLine($"server while serving: VmRSS {Memory("VmRSS")}, VmHWM {Memory("VmHWM")}");
Console.WriteLine();
Console.WriteLine($"| {"specimen",-8} | {"endpoint",-24} | {"cold ms",8} | {"warm median ms",14} | {"bytes",10} |");
Console.WriteLine($"|{new string('-', 10)}|{new string('-', 26)}|{new string('-', 10)}|{new string('-', 16)}|{new string('-', 12)}|");
foreach (var r in rows) Console.WriteLine($"| {r[0],-8} | {r[1],-24} | {r[2],8} | {r[3],14} | {r[4],10} |");

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ["--no-sandbox", "--disable-gpu"] });
var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } });
context.SetDefaultTimeout(300_000);
var page = await context.NewPageAsync();
await page.GotoAsync(tokenUrl);
// Each view loaded 3 times (a new document each time, so each load's marks start at 0); the median
// of: view-painted (the front end's mark, a frame after its view is drawn: main.ts) and complete
// (every part drawn: the page grid's visible cells, the frame's owners, the composition table, the
// live view's first sample on screen).
Console.WriteLine();
Console.WriteLine($"| {"view",-28} | {"painted ms",10} | {"complete ms",11} |");
Console.WriteLine($"|{new string('-', 30)}|{new string('-', 12)}|{new string('-', 13)}|");
var firstSamples = new List<string>();
foreach (var (name, path) in views)
{
    var painted = new List<double>();
    var complete = new List<double>();
    for (int run = 0; run < 3; run++)
    {
        await page.GotoAsync(new Uri(root, path).ToString());
        await page.Locator("section.view:not([data-state=loading])").WaitForAsync();
        await page.WaitForFunctionAsync("() => performance.getEntriesByName('view-painted').length > 0");
        string last = Complete(path);
        await page.Locator(last).First.WaitForAsync();
        var t = await page.EvaluateAsync<double[]>("() => [performance.getEntriesByName('view-painted')[0].startTime, performance.now()]");
        painted.Add(t[0]);
        complete.Add(t[1]);
        // the live view's first sample (the whole map): its size, and the JSON parse against the drawing
        if (path.EndsWith("/live", StringComparison.Ordinal))
            firstSamples.Add($"{name} run {run + 1}: " + await page.EvaluateAsync<string>("() => { const d = document.querySelector('table.live-vmas').dataset; return `${d.firstSampleChars} chars, parse ${d.firstParseMs} ms, draw ${d.firstDrawMs} ms, on screen at ${d.firstDrawnMs} ms`; }"));
    }
    Console.WriteLine($"| {name,-28} | {painted.Order().ElementAt(1),10:F0} | {complete.Order().ElementAt(1),11:F0} |");
}
foreach (var line in firstSamples) Console.WriteLine($"first live sample, {line}");
Console.WriteLine($"server after the views: VmRSS {Memory("VmRSS")}, VmHWM {Memory("VmHWM")}");

// What shows that a view is wholly drawn (its slowest part): the grid's visible cells, the frame's
// owners, the composition table, the census beside the physical map, a first live sample…
static string Complete(string path) =>
    path.Contains("/vma/", StringComparison.Ordinal) ? "canvas.page-grid[data-drawn=complete]"
    : path.Contains("/page/", StringComparison.Ordinal) ? "section.frame:not([data-state=loading])"
    : path.EndsWith("/processes", StringComparison.Ordinal) ? "table.processes tbody tr"
    : path.EndsWith("/pagetables", StringComparison.Ordinal) ? "table.pt-levels"
    : path.EndsWith("/physical", StringComparison.Ordinal) ? "table.pm-rows tbody tr"
    : path.Contains("/share?", StringComparison.Ordinal) ? "table.share-groups"
    : path.EndsWith("/live", StringComparison.Ordinal) ? "table.live-vmas[data-first-sample=drawn]"
    : path == "/sources" ? "table.sources tbody tr"
    : path == "/labs" ? "table.labs tbody tr"
    : ".composition-box table";
