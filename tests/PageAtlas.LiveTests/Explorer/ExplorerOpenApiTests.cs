using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PageAtlas.LiveTests.Explorer;

/// <summary>
/// The OpenAPI document the server serves (/openapi.json) against the server itself and the docs:
/// every endpoint docs/explorer.md's API table lists is in it, and every JSON endpoint in it answers a
/// real specimen with 200 and the document shape (`schema`) it declares.
/// </summary>
public sealed partial class ExplorerOpenApiTests
{
    [Fact]
    public void EveryDocumentedEndpointIsInItAndEachJsonOneAnswersWithTheSchemaItDeclares()
    {
        using var specimen = Specimen.Start();
        using var server = ServedExplorer.Start();
        var openApi = server.Get("openapi.json");
        Assert.StartsWith("3.1", openApi.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var operations = openApi.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => (Path: p.Name, Method: m.Name.ToUpperInvariant(), Operation: m.Value)))
            .ToList();

        // docs/explorer.md's table rows: "| `GET /api/{source}/census` | …", "| `GET /api/{source}/processes[?fresh=1]` | …"
        string docs = File.ReadAllText(Path.Combine(Specimen.RepoRoot(), "docs", "explorer.md"));
        var documented = DocumentedEndpoint().Matches(docs[docs.IndexOf("\n## API", StringComparison.Ordinal)..]).Select(m => (Method: m.Groups[1].Value, Path: m.Groups[2].Value)).ToList();
        Assert.True(documented.Count >= 20, $"the API table lists {documented.Count} endpoints");
        foreach (var (method, path) in documented)
            Assert.True(operations.Any(o => o.Method == method && Matches(o.Path, path)), $"{method} {path} (docs/explorer.md) is not in /openapi.json");

        string heap = $"0x{specimen["heap"]:x}";
        string page = $"0x{specimen["heap"] & ~0xfffUL:x}";
        string pfn = server.Get($"api/live/processes/{specimen.Pid}/walk?address={heap}").GetProperty("page").GetProperty("pfn").GetString()!;
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["source"] = "live", ["pid"] = specimen.Pid.ToString(CultureInfo.InvariantCulture), ["pfn"] = pfn,
            ["address"] = heap, ["at"] = heap, ["start"] = page, ["count"] = "16",
            ["pids"] = $"{specimen.Pid},{Environment.ProcessId}", ["figure"] = "common",
        };
        int asked = 0;
        foreach (var (path, method, operation) in operations)
        {
            // the POSTs start things, the diff needs two snapshot sources; the rest are read here
            if (method != "GET" || path == "/api/diff") continue;
            if (!operation.GetProperty("responses").GetProperty("200").TryGetProperty("x-pageatlas-schema", out var schema)) continue;
            var query = operation.GetProperty("parameters").EnumerateArray()
                .Where(p => p.GetProperty("in").GetString() == "query" && p.GetProperty("required").GetBoolean())
                .Select(p => p.GetProperty("name").GetString()!)
                .Select(name => $"{name}={values[name]}");
            string filled = Parameter().Replace(path, m => values[m.Groups[1].Value]).TrimStart('/') + (query.Any() ? "?" + string.Join('&', query) : "");
            Assert.Equal(schema.GetString(), server.Get(filled).GetProperty("schema").GetString());
            asked++;
        }
        Assert.True(asked >= 15, $"only {asked} endpoints were asked");
    }

    /// <summary>Whether the OpenAPI path (with {parameters}) names the documented one ({parameters} or a value such as live).</summary>
    private static bool Matches(string openApiPath, string documented) =>
        Regex.IsMatch(documented, "^" + Parameter().Replace(Regex.Escape(openApiPath).Replace("\\{", "{", StringComparison.Ordinal), "[^/]+") + "$");

    [GeneratedRegex(@"^\| `(GET|POST) (/[^ ?[`]*)", RegexOptions.Multiline)]
    private static partial Regex DocumentedEndpoint();

    [GeneratedRegex(@"\{([a-z]+)\}")]
    private static partial Regex Parameter();
}
