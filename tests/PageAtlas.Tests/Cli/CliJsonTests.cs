using System.Runtime.InteropServices;
using System.Text.Json;
using PageAtlas.Tests.Golden;
using static PageAtlas.Tests.Cli.CliSnapshotFixture;

namespace PageAtlas.Tests.Cli;

/// <summary>
/// Every command that prints a report takes --json and writes its schema's document (or JSON lines),
/// run in-process as a user would type it: on the crafted snapshots, or on this very process where a
/// command needs a live one. Every key it holds, at any depth, is one docs/json.md gives that schema.
/// </summary>
public class CliJsonTests(CliSnapshotFixture snapshots) : IClassFixture<CliSnapshotFixture>
{
    private static readonly JsonDocumentation Doc = JsonDocumentation.Read();

    /// <summary>The commands that read a snapshot, as a user types them ({before}, {after}, {two}: the fixture's files).</summary>
    public static TheoryData<string, string> SnapshotCommands => new()
    {
        { "maps", "maps --snapshot {before} --json" },
        { "translate", $"translate --snapshot {{before}} 0x{Heap:x}+8K 0x{Swap:x} --json" },
        { "walk", $"walk --snapshot {{before}} 0x{Heap:x} --json" },
        { "pages", "pages --snapshot {before} --json" },
        { "pagetable", "pagetable --snapshot {before} --json" },
        { "pagetable", "pagetable --snapshot {before} --format json" },
        { "composition", "composition --snapshot {before} --json" },
        { "share", "share --snapshot {two} --json" },
        { "frame", "frame 0x77 --snapshot {after} --json" },
        { "frames", "frames --snapshot {after} --json" },
        { "physmap", "physmap --snapshot {after} --json" },
        { "diff", "diff {before} {after} --json" },
        { "labs", "lab --json" },
        { "ps", "ps --name no-such-command-here --json" },
    };

    [Theory]
    [MemberData(nameof(SnapshotCommands))]
    public void EveryReportIsItsSchemasJson(string schema, string line)
    {
        string[] args = line.Replace("{before}", snapshots.Before, StringComparison.Ordinal).Replace("{after}", snapshots.After, StringComparison.Ordinal)
            .Replace("{two}", snapshots.Two, StringComparison.Ordinal).Split(' ');
        var run = InProcessCli.Run(args);
        Assert.True(run.Code == 0, run.Err);
        var documents = run.Lines.Length > 1 && run.Lines[0].StartsWith('{') && run.Lines[0].EndsWith('}') ? run.Lines : [run.Out];
        AssertDocumented(schema, documents);
    }

    [Fact]
    public void PeekOfThisProcessGivesTheBytesItHolds()
    {
        nint buffer = Marshal.AllocHGlobal(16);
        try
        {
            for (int i = 0; i < 16; i++) Marshal.WriteByte(buffer, i, (byte)(0xa0 + i));
            var run = InProcessCli.Run("peek", "-p", $"{Environment.ProcessId}", $"0x{buffer:x}", "4", "--json");
            AssertDocumented("peek", run.Out);
            var json = run.Json();
            Assert.Equal(Environment.ProcessId, json.GetProperty("pid").GetInt32());
            Assert.Equal("a0a1a2a3", json.GetProperty("bytes").GetString());
            // The page the bytes lie in, as pagemap showed it: present (they were just written).
            Assert.Equal("present", json.GetProperty("translations")[0].GetProperty("state").GetString());
        }
        finally
        {
            Marshal.FreeHGlobal(buffer);
        }
    }

    [Fact]
    public void MtestAnswersEachRequestAsAJsonLine()
    {
        nint buffer = Marshal.AllocHGlobal(1);
        try
        {
            Marshal.WriteByte(buffer, 0x5a);
            string read = $"r {Environment.ProcessId} {buffer:x}";
            var run = InProcessCli.RunWithInput($"{read}\n# a comment\nq 1 2\n", "mtest", "--json");
            // The malformed request is exit 2, the first failure's code, and the input goes on.
            Assert.Equal(2, run.Code);
            Assert.Equal("", run.Err);
            AssertDocumented("mtest", run.Lines);
            var lines = run.JsonLines();
            Assert.Equal(2, lines.Length);
            Assert.Equal(read, lines[0].GetProperty("input").GetString());
            Assert.Equal("5a", lines[0].GetProperty("bytes").GetString());
            Assert.Equal($"0x{buffer:x}", lines[0].GetProperty("address").GetString());
            Assert.Equal("q 1 2", lines[1].GetProperty("input").GetString());
            Assert.Equal(2, lines[1].GetProperty("exitCode").GetInt32());
            Assert.StartsWith("expected 'r <pid> <addr>'", lines[1].GetProperty("error").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            Marshal.FreeHGlobal(buffer);
        }
    }

    [Fact]
    public void SnapshotTakesJsonAsAnOptionNotAPid()
    {
        // Before: "'--json' is not a process id". Without a process it is now the usage's own complaint.
        var run = InProcessCli.Run("snapshot", "--json", "-o", snapshots.PathOf("never.db"));
        Assert.Equal(2, run.Code);
        Assert.StartsWith("pageatlas: missing <pid> (usage: pageatlas snapshot <pid>... -o <file>", run.Err);
        Assert.False(File.Exists(snapshots.PathOf("never.db")));
    }

    /// <summary>The schema name and version, and every key (at any depth) documented for that schema or the header.</summary>
    private static void AssertDocumented(string schema, params string[] documents)
    {
        var documented = Doc.KeysOf(schema);
        foreach (var text in documents)
        {
            var root = JsonDocument.Parse(text).RootElement;
            if (!root.TryGetProperty("schema", out var name)) continue; // a JSON-lines stream names its schema on its header line (translate, pages)
            Assert.Equal($"pageatlas/{schema}", name.GetString());
            Assert.Equal(4, root.GetProperty("version").GetInt32());
        }
        Assert.True(JsonDocument.Parse(documents[0]).RootElement.TryGetProperty("schema", out _), "the first line names the schema");
        var undocumented = JsonKeys.Of(documents, new HashSet<string> { "framesByKind" }).Keys.Select(JsonKeys.Name)
            .Where(k => !documented.Contains(k) && !Doc.HeaderKeys.Contains(k)).Distinct().ToList();
        Assert.True(undocumented.Count == 0, $"pageatlas/{schema}: keys not in docs/json.md: {string.Join(", ", undocumented)}");
    }
}
