using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PageAtlas.LiveTests.Explorer;

/// <summary>
/// The labs from the browser: lazy-alloc (one specimen, a few commands: the lab with the fewest moving
/// parts) run from the labs page holds every claim, with the figures `pageatlas lab lazy-alloc --json`
/// gives when run alongside (addresses and frame numbers masked: they differ from run to run, the
/// lab's own tolerance; counts, sizes and page indices must be equal); a second run while one runs is 409
/// (tried a few times: on a loaded machine the first can end before the second is asked for).
/// </summary>
public sealed partial class ExplorerLabTests(ExplorerSession explorer) : IClassFixture<ExplorerSession>
{
    private const string Lab = "lazy-alloc";

    [GeneratedRegex("0x[0-9a-f]+")]
    private static partial Regex HexNumber();

    private static string Masked(string evidence) => HexNumber().Replace(evidence, "0x…");

    private static JsonElement WaitUntilDone(ServedExplorer server)
    {
        // a bound on a hang (a lab takes about a second), not a timing assert
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (true)
        {
            var run = server.Get("/api/labs/run");
            if (run.GetProperty("state").GetString() != "running") return run;
            Assert.True(DateTime.UtcNow < deadline, "the lab still runs after 2 minutes");
            Thread.Sleep(100);
        }
    }

    [SkippableFact]
    public async Task ALabRunFromThePageHoldsWithTheCliFiguresAndASecondRunMeanwhileIs409()
    {
        ExplorerSession.RequireBrowser();
        var server = explorer.Server;
        // The lab has just started a specimen and waits for it: a second run now finds it running. A
        // loaded machine can keep this thread off the CPU for the whole lab (about a second), and the
        // second run then rightly starts; so each attempt waits for its runs to end, and one of a few
        // attempts must meet the first still running.
        JsonElement? refusal = null;
        for (int attempt = 0; attempt < 5 && refusal is null; attempt++)
        {
            var (started, body) = server.Post($"/api/labs/run?name={Lab}");
            Assert.True(started == HttpStatusCode.Accepted, body.GetRawText());
            var (second, answer) = server.Post($"/api/labs/run?name={Lab}");
            if (second == HttpStatusCode.Conflict) refusal = answer;
            else Assert.True(second == HttpStatusCode.Accepted, $"a second run answered {(int)second}: {answer.GetRawText()}");
            Assert.Equal("done", WaitUntilDone(server).GetProperty("state").GetString());
        }
        Assert.True(refusal is not null, "in 5 attempts a second run never met the first still running");
        Assert.Contains("one at a time", refusal.Value.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, server.Post($"/api/labs/run?name={Lab}", origin: "http://evil.example").Status);

        var page = await explorer.SignedInPage();
        await explorer.Open(page, "/labs");
        Assert.Equal(6, await page.Locator("table.labs tbody tr").CountAsync());
        await page.ClickAsync($"button[data-lab={Lab}]");
        // the page shows the API's run (done) until the answer to its own POST says running
        await page.Locator(".lab-result[data-state=running]").WaitForAsync();
        await page.Locator($".lab-result[data-state=done][data-lab={Lab}]").WaitForAsync(new() { Timeout = 120_000 });
        var shown = (await page.Locator("table.verdicts tbody tr").EvaluateAllAsync<JsonElement>(
            "rs => rs.map(r => ({ claim: r.cells[0].innerText, verdict: r.cells[1].innerText, evidence: r.cells[2].innerText }))"))
            .EnumerateArray().Select(v => (v.GetProperty("claim").GetString()!, v.GetProperty("verdict").GetString()!, Masked(v.GetProperty("evidence").GetString()!))).ToList();
        await ExplorerSession.Screenshot(page, "labs-lazy-alloc");

        var (code, stdout, err) = CliErrorTests.Run("lab", Lab, "--json");
        Assert.True(code == 0, err);
        using var cli = JsonDocument.Parse(stdout);
        var expected = cli.RootElement.GetProperty("labs")[0].GetProperty("verdicts").EnumerateArray()
            .Select(v => (v.GetProperty("claim").GetString()!, v.GetProperty("holds").GetBoolean() ? "HOLDS" : "FAILS", Masked(v.GetProperty("evidence").GetString()!))).ToList();
        Assert.NotEmpty(expected);
        Assert.All(shown, v => Assert.Equal("HOLDS", v.Item2));
        Assert.Equal(expected, shown);
    }
}
