using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text.Json;
using PageAtlas.Labs;

namespace PageAtlas.LiveTests.Explorer;

/// <summary>
/// The explorer's API against independent sources: the CLI's own --json of the same process (the
/// API must give the same document, and its answers about one VMA or some VMAs the same rows), the
/// target's pagemap read by the test, smaps_rollup, and for a frame both processes of a forked pair.
/// </summary>
public sealed class ExplorerApiTests
{
    [Fact]
    public void MapsWholeAndInPartsAndWalkAreTheDocumentsTheCliWrites()
    {
        using var specimen = Specimen.Start("--small-maps", "40");
        using var server = ServedExplorer.Start();
        var api = server.Get($"api/live/processes/{specimen.Pid}/maps");
        var cli = CliJson("maps", specimen.Pid.ToString(CultureInfo.InvariantCulture), "--json");
        Assert.True(JsonElement.DeepEquals(cli.GetProperty("vmas"), api.GetProperty("vmas")), "maps differ from the CLI's");
        Assert.Equal(File.ReadAllLines($"/proc/{specimen.Pid}/maps").Length, api.GetProperty("vmas").GetArrayLength());
        // the answers about part of the process (vmas?at=, maps?start=&limit=) are rows of the whole document
        string process = $"api/live/processes/{specimen.Pid}";
        var whole = api.GetProperty("vmas").EnumerateArray().ToList();
        var ranges = MapsRanges(specimen.Pid);
        Assert.Equal(ranges.Select(r => $"0x{r.Start:x}"), whole.Select(v => v.GetProperty("start").GetString()));
        VmaAtIsItsRow(server, process, whole, ranges);
        PartsAreTheWhole(server, process, whole, ranges);

        string heap = "0x" + specimen["heap"].ToString("x", CultureInfo.InvariantCulture);
        var walk = server.Get($"api/live/processes/{specimen.Pid}/walk?address={heap}");
        var cliWalk = CliJson("walk", specimen.Pid.ToString(CultureInfo.InvariantCulture), heap, "--json", "--user-space-only");
        Assert.True(JsonElement.DeepEquals(cliWalk.GetProperty("levels"), walk.GetProperty("levels")), "walk differs from the CLI's");
        Assert.Equal("present", walk.GetProperty("state").GetString());
    }

    [SkippableFact]
    public void ThePageGridOfAnAreaWithEveryOtherPageWrittenIsWhatItsPagemapSays()
    {
        using var specimen = Specimen.Start("--alternate-mib", "4");
        ulong area = specimen["alternate"];
        const int Pages = 4 * 256;
        using var server = ServedExplorer.Start();
        var grid = server.Get($"api/live/processes/{specimen.Pid}/pages?start=0x{area:x}&count={Pages}");
        Assert.Equal("pageatlas/page-grid", grid.GetProperty("schema").GetString());
        Assert.Equal(Pages, grid.GetProperty("spanPages").GetInt32());
        var states = grid.GetProperty("states").EnumerateArray().Select(s => s.GetString()).ToList();
        byte[] cells = grid.GetProperty("cells").GetBytesFromBase64();
        Assert.Equal(Pages * 2, cells.Length);
        ulong[] pagemap = PagemapFile.Entries(specimen.Pid, area, Pages);
        int anonymousBit = grid.GetProperty("bits").GetProperty("anonymous").GetInt32();
        for (int i = 0; i < Pages; i++)
        {
            ushort cell = BinaryPrimitives.ReadUInt16LittleEndian(cells.AsSpan(i * 2));
            bool present = (pagemap[i] >> 63 & 1) != 0;
            Assert.True((present ? "present" : "not-populated") == states[cell & 7], $"page {i}: pagemap {pagemap[i]:x16}, cell {cell:x4}");
            Assert.Equal(present, (cell >> anonymousBit & 1) != 0);
            Assert.Equal(i % 2 == 0, present);
        }
        // Bounds: too many pages and an unaligned start are the client's mistakes.
        server.Get($"api/live/processes/{specimen.Pid}/pages?start=0x{area:x}&count={(1 << 20) + 1}", HttpStatusCode.BadRequest);
        server.Get($"api/live/processes/{specimen.Pid}/pages?start=0x{area + 1:x}&count=1", HttpStatusCode.BadRequest);
    }

    [Fact]
    public void TheProcessListHasTheSpecimenWithItsSmapsRollupRss()
    {
        using var specimen = Specimen.Start("--touch-mib", "8");
        using var server = ServedExplorer.Start();
        for (int attempt = 1; ; attempt++)
        {
            ulong before = Smaps.Rollup(specimen.Pid)["Rss"];
            var listed = server.Get("api/live/processes?fresh=1").GetProperty("processes").EnumerateArray()
                .Single(p => p.GetProperty("pid").GetInt32() == specimen.Pid);
            ulong after = Smaps.Rollup(specimen.Pid)["Rss"];
            if (before != after && attempt < 10) continue;
            Assert.Equal(before * 1024, listed.GetProperty("rssBytes").GetUInt64());
            Assert.Equal("layout", listed.GetProperty("command").GetString());
            return;
        }
    }

    [SkippableFact]
    public void AFrameBothHalvesOfAForkedPairMapListsBothProcesses()
    {
        using var pair = SpecimenProcess.Start("forkpair");
        int parent = pair.Pid, child = (int)pair.Value("child");
        ulong heap = pair["heap"] & ~4095UL;
        ulong pfn = PagemapFile.Entries(parent, heap, 1)[0] & ((1UL << 55) - 1);
        Skip.If(pfn == 0, "no PFN in the parent's pagemap");
        Assert.Equal(pfn, PagemapFile.Entries(child, heap, 1)[0] & ((1UL << 55) - 1));
        using var server = ServedExplorer.Start();
        var frame = server.Get($"api/live/frames/{pfn:x}");
        var owners = frame.GetProperty("mappings").EnumerateArray()
            .Select(m => (m.GetProperty("pid").GetInt32(), m.GetProperty("address").GetString())).ToHashSet();
        Assert.Contains((parent, $"0x{heap:x}"), owners);
        Assert.Contains((child, $"0x{heap:x}"), owners);
        Assert.Equal(2, frame.GetProperty("mapCount").GetInt32());
    }

    [Fact]
    public void MistakesAreOneJsonErrorWithTheirStatus()
    {
        using var server = ServedExplorer.Start();
        Assert.Contains("no process", server.Get("api/live/processes/999999999/maps", HttpStatusCode.NotFound).GetProperty("error").GetString());
        Assert.Contains("positive decimal", server.Get("api/live/processes/abc/maps", HttpStatusCode.BadRequest).GetProperty("error").GetString());
        Assert.Contains("no source", server.Get("api/nope/processes", HttpStatusCode.NotFound).GetProperty("error").GetString());
        Assert.Contains("no such API endpoint", server.Get("api/live/nothing/here", HttpStatusCode.NotFound).GetProperty("error").GetString());
        Assert.Contains("required", server.Get($"api/live/processes/{Environment.ProcessId}/walk", HttpStatusCode.BadRequest).GetProperty("error").GetString());
    }

    [Fact]
    public void ASnapshotIsASourceAnsweredAsTheCliAnswersIt()
    {
        using var specimen = Specimen.Start();
        string file = Path.Combine(Path.GetTempPath(), "pageatlas-explorer-" + Guid.NewGuid().ToString("N") + ".snapshot");
        try
        {
            var (code, _, err) = RunningCli.Run(TimeSpan.FromSeconds(120), ["snapshot", specimen.Pid.ToString(CultureInfo.InvariantCulture), "-o", file]);
            Assert.True(code == 0, err);
            using var server = ServedExplorer.Start("--snapshot", file);
            var sources = server.Get("api/sources").GetProperty("sources").EnumerateArray().ToList();
            Assert.Equal(["live", "s1"], sources.Select(s => s.GetProperty("id").GetString()));
            Assert.Equal(Path.GetFileName(file), sources[1].GetProperty("file").GetString());
            var listed = Assert.Single(server.Get("api/s1/processes").GetProperty("processes").EnumerateArray());
            Assert.Equal(specimen.Pid, listed.GetProperty("pid").GetInt32());
            var cli = CliJson("composition", "--snapshot", file, "--json");
            Assert.Equal(cli.GetProperty("total").GetProperty("pssBytes").GetUInt64(), listed.GetProperty("pssBytes").GetUInt64());
            var maps = server.Get($"api/s1/processes/{specimen.Pid}/maps");
            var cliMaps = CliJson("maps", "--snapshot", file, "--json");
            Assert.True(JsonElement.DeepEquals(cliMaps.GetProperty("vmas"), maps.GetProperty("vmas")), "maps of the snapshot differ from the CLI's");
            // the address view's answers: the same VMAs as rows of values, the composition without a row per VMA
            CompactIsTheMaps(cliMaps, server.Get($"api/s1/processes/{specimen.Pid}/maps/compact"));
            var classesOnly = server.Get($"api/s1/processes/{specimen.Pid}/composition?vmas=0");
            Assert.False(classesOnly.TryGetProperty("vmas", out _), "composition?vmas=0 has a row per VMA");
            Assert.True(JsonElement.DeepEquals(cli.GetProperty("classes"), classesOnly.GetProperty("classes")), "the composition's classes differ from the CLI's");
            Assert.True(JsonElement.DeepEquals(cli.GetProperty("total"), classesOnly.GetProperty("total")), "the composition's total differs from the CLI's");
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// pageatlas/maps-compact holds the maps document's VMAs: each row's values are the maps row's values
    /// of the keys its fields name (a class as its index into classes), sizeBytes is sizePages × the page
    /// size, and the totals and notes are the same.
    /// </summary>
    private static void CompactIsTheMaps(JsonElement maps, JsonElement compact)
    {
        Assert.Equal("pageatlas/maps-compact", compact.GetProperty("schema").GetString());
        var fields = compact.GetProperty("fields").EnumerateArray().Select(f => f.GetString()!).ToList();
        var classes = compact.GetProperty("classes").EnumerateArray().ToList();
        var rows = compact.GetProperty("vmas").EnumerateArray().ToList();
        var objects = maps.GetProperty("vmas").EnumerateArray().ToList();
        Assert.Equal(objects.Count, rows.Count);
        ulong pageSize = maps.GetProperty("machine").GetProperty("pageSize").GetUInt64();
        foreach (var (row, vma) in rows.Zip(objects))
        {
            Assert.Equal(vma.EnumerateObject().Select(p => p.Name).Where(n => n != "sizeBytes"), fields);
            for (int i = 0; i < fields.Count; i++)
            {
                var value = fields[i] == "class" ? classes[row[i].GetInt32()] : row[i];
                Assert.True(JsonElement.DeepEquals(vma.GetProperty(fields[i]), value), $"{fields[i]} of {vma.GetProperty("start")}: {vma.GetProperty(fields[i])} in maps, {value} compact");
            }
            Assert.Equal(vma.GetProperty("sizeBytes").GetUInt64(), row[fields.IndexOf("sizePages")].GetUInt64() * pageSize);
        }
        Assert.True(JsonElement.DeepEquals(maps.GetProperty("totals"), compact.GetProperty("totals")), "totals differ");
        Assert.True(JsonElement.DeepEquals(maps.GetProperty("notes"), compact.GetProperty("notes")), "notes differ");
    }

    [Fact]
    public void AStartWithABadSnapshotIsRefusedWithItsOwnExitCode()
    {
        string file = Path.Combine(Path.GetTempPath(), "pageatlas-explorer-" + Guid.NewGuid().ToString("N") + ".snapshot");
        File.WriteAllText(file, "not a snapshot");
        try
        {
            var (code, _, err) = RunningCli.Run(TimeSpan.FromSeconds(60), ["serve", "--snapshot", file]);
            Assert.Equal(10, code);
            Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static void VmaAtIsItsRow(ServedExplorer server, string process, List<JsonElement> whole, List<(ulong Start, ulong End)> ranges)
    {
        // the first, the last, and every 7th VMA, each asked by an address in its last page
        foreach (int i in Enumerable.Range(0, ranges.Count).Where(i => i % 7 == 0 || i == ranges.Count - 1))
        {
            var answer = server.Get($"{process}/vmas?at=0x{ranges[i].End - 1:x}");
            Assert.Equal("pageatlas/maps", answer.GetProperty("schema").GetString());
            var row = Assert.Single(answer.GetProperty("vmas").EnumerateArray());
            Assert.True(JsonElement.DeepEquals(whole[i], row), $"VMA {i}: {row} is not the whole document's {whole[i]}");
            Assert.Equal(1, answer.GetProperty("totals").GetProperty("vmaCount").GetInt32());
            Assert.Equal(row.GetProperty("presentPages").GetUInt64(), answer.GetProperty("totals").GetProperty("presentPages").GetUInt64());
        }
        // an address in no VMA (the page below the lowest one) and a missing address are the client's mistakes
        Assert.Contains("outside every VMA", server.Get($"{process}/vmas?at=0x{ranges[0].Start - 4096:x}", HttpStatusCode.BadRequest).GetProperty("error").GetString());
        Assert.Contains("required", server.Get($"{process}/vmas", HttpStatusCode.BadRequest).GetProperty("error").GetString());
    }

    private static void PartsAreTheWhole(ServedExplorer server, string process, List<JsonElement> whole, List<(ulong Start, ulong End)> ranges)
    {
        const int Limit = 7;
        var joined = new List<JsonElement>();
        string start = "0x0";
        for (int part = 0; ; part++)
        {
            Assert.True(part <= whole.Count / Limit + 1, "the parts never end");
            var rows = server.Get($"{process}/maps?start={start}&limit={Limit}").GetProperty("vmas").EnumerateArray().ToList();
            joined.AddRange(rows);
            if (rows.Count < Limit) break;
            start = rows[^1].GetProperty("end").GetString()!;
        }
        Assert.Equal(whole.Count, joined.Count);
        for (int i = 0; i < whole.Count; i++) Assert.True(JsonElement.DeepEquals(whole[i], joined[i]), $"row {i} differs: {joined[i]}");
        // a start inside a VMA begins with that VMA; a limit of 0 is refused
        var second = server.Get($"{process}/maps?start=0x{ranges[1].Start + 1:x}&limit=1").GetProperty("vmas")[0];
        Assert.True(JsonElement.DeepEquals(whole[1], second));
        Assert.Contains("at least 1", server.Get($"{process}/maps?limit=0", HttpStatusCode.BadRequest).GetProperty("error").GetString());
    }

    private static List<(ulong Start, ulong End)> MapsRanges(int pid) =>
        File.ReadAllLines($"/proc/{pid}/maps").Select(line => line[..line.IndexOf(' ', StringComparison.Ordinal)].Split('-'))
            .Select(p => (ulong.Parse(p[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture), ulong.Parse(p[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture))).ToList();

    private static JsonElement CliJson(params string[] args)
    {
        var (code, output, err) = RunningCli.Run(TimeSpan.FromSeconds(120), args);
        Assert.True(code == 0, err);
        using var document = JsonDocument.Parse(output);
        return document.RootElement.Clone();
    }
}
