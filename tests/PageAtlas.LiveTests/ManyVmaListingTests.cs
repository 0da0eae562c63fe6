using System.Globalization;
using System.Text.Json;

namespace PageAtlas.LiveTests;

/// <summary>
/// `maps` (text and JSON) and `pages` of a process with 20,000 VMAs (plus a THP area, threads and
/// shared memory, so class names, "thp" cells and file paths appear), row by row against the
/// kernel's own files read here: every VMA's start, end, permissions, offset, device, inode and
/// path as /proc/&lt;pid&gt;/maps spells them, its size and resident pages as smaps counts them. These
/// listings are formatted into reused buffers (issue 13), so this pins every cell, not only the totals.
/// </summary>
public sealed class ManyVmaListingTests
{
    private const int ManyVmas = 20_000;
    private static readonly TimeSpan s_bound = TimeSpan.FromMinutes(2);

    /// <summary>One line of /proc/&lt;pid&gt;/maps, split as the kernel prints it (show_map_vma).</summary>
    private sealed record MapsLine(string Start, string End, string Perms, string Offset, string Device, string Inode, string Path)
    {
        public static MapsLine Parse(string line)
        {
            var f = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            var range = f[0].Split('-');
            // Hex fields without leading zeros, as PageAtlas prints them.
            static string Trim(string hex) => ulong.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture).ToString("x", CultureInfo.InvariantCulture);
            return new MapsLine(Trim(range[0]), Trim(range[1]), f[1], Trim(f[2]), f[3], f[4], f.Length > 5 ? f[5].Trim() : "");
        }
    }

    [Fact]
    public void MapsTextListsEveryVmaAsTheKernelDoes()
    {
        using var specimen = Specimen.Start("--small-maps", ManyVmas.ToString(CultureInfo.InvariantCulture), "--thp", "--threads", "2", "--shared");
        var run = MeasuredCli.Run(s_bound, "maps", specimen.Pid.ToString(CultureInfo.InvariantCulture));
        Assert.True(run.Code == 0, run.Err);
        var kernel = File.ReadAllLines($"/proc/{specimen.Pid}/maps").Select(MapsLine.Parse).ToList();
        var smaps = Smaps.Read(specimen.Pid);
        Assert.True(kernel.Count > ManyVmas);

        var lines = run.Out.Split('\n');
        int rule = Array.FindIndex(lines, l => l.StartsWith('─'));
        // The rule under the heading marks each column's extent: runs of '─' two spaces apart.
        var columns = new List<(int Start, int Width)>();
        for (int i = 0; i < lines[rule].Length;)
        {
            int end = lines[rule].IndexOf(' ', i);
            if (end < 0) end = lines[rule].Length;
            columns.Add((i, end - i));
            i = end + 2;
        }
        var names = columns.Select(c => lines[rule - 1].Substring(c.Start, Math.Min(c.Width, lines[rule - 1].Length - c.Start)).Trim()).ToList();
        int Column(string name) => names.IndexOf(name);
        for (int v = 0; v < kernel.Count; v++)
        {
            string line = lines[rule + 1 + v];
            string Cell(string name)
            {
                var (start, width) = columns[Column(name)];
                return name == "Path" ? line.Length > start ? line[start..] : "" : line.Substring(start, width).Trim();
            }
            var k = kernel[v];
            var facts = smaps[ulong.Parse(k.Start, NumberStyles.HexNumber, CultureInfo.InvariantCulture)];
            string where = $"row {v}: {line}";
            Assert.True(k.Start == Cell("Start") && k.End == Cell("End") && k.Perms == Cell("Perms") && k.Offset == Cell("Offset"), where);
            Assert.True(k.Device == Cell("Dev") && k.Inode == Cell("Inode") && k.Path == Cell("Path"), where);
            Assert.True(Bytes(facts["Size"] * 1024) == Cell("Size"), where);
            string present = Cell("Present");
            ulong thp = facts["AnonHugePages"] / 4;
            Assert.True((thp == 0 ? $"{facts["Rss"] / 4}" : $"{facts["Rss"] / 4} ({thp} thp)") == present, $"{where}: smaps Rss {facts["Rss"]} kB");
            Assert.True($"{facts["Size"] / 4 - facts["Rss"] / 4 - facts["Swap"] / 4}" == Cell("Not populated"), where);
        }
        Assert.Equal("", lines[rule + 1 + kernel.Count]);
        Assert.StartsWith($"total", lines[rule + 2 + kernel.Count]);
    }

    [Fact]
    public void MapsJsonListsEveryVmaAsTheKernelDoes()
    {
        using var specimen = Specimen.Start("--small-maps", ManyVmas.ToString(CultureInfo.InvariantCulture), "--thp", "--shared");
        var run = MeasuredCli.Run(s_bound, "maps", specimen.Pid.ToString(CultureInfo.InvariantCulture), "--json");
        Assert.True(run.Code == 0, run.Err);
        var kernel = File.ReadAllLines($"/proc/{specimen.Pid}/maps").Select(MapsLine.Parse).ToList();
        var smaps = Smaps.Read(specimen.Pid);
        using var json = JsonDocument.Parse(run.Out);
        var vmas = json.RootElement.GetProperty("vmas").EnumerateArray().ToList();
        Assert.Equal(kernel.Count, vmas.Count);
        ulong present = 0;
        for (int v = 0; v < kernel.Count; v++)
        {
            var k = kernel[v];
            var row = vmas[v];
            var facts = smaps[ulong.Parse(k.Start, NumberStyles.HexNumber, CultureInfo.InvariantCulture)];
            string where = $"row {v}: {row}";
            Assert.True("0x" + k.Start == row.GetProperty("start").GetString() && "0x" + k.End == row.GetProperty("end").GetString(), where);
            Assert.True(k.Perms == row.GetProperty("perms").GetString() && "0x" + k.Offset == row.GetProperty("offset").GetString(), where);
            Assert.True(k.Device == row.GetProperty("device").GetString() && k.Inode == row.GetProperty("inode").GetUInt64().ToString(CultureInfo.InvariantCulture), where);
            string path = row.GetProperty("path").GetString()! + (row.GetProperty("deleted").GetBoolean() ? " (deleted)" : "");
            Assert.True(k.Path == path, where);
            Assert.True(facts["Size"] * 1024 == row.GetProperty("sizeBytes").GetUInt64(), where);
            Assert.True(facts["Rss"] / 4 == row.GetProperty("presentPages").GetUInt64(), $"{where}: smaps Rss {facts["Rss"]} kB");
            Assert.True(facts["AnonHugePages"] / 4 == row.GetProperty("hugeLeafPages").GetUInt64(), where);
            present += row.GetProperty("presentPages").GetUInt64();
        }
        Assert.Equal(present, json.RootElement.GetProperty("totals").GetProperty("presentPages").GetUInt64());
    }

    [Fact]
    public void PagesListsEveryPresentPageOfEveryVma()
    {
        using var specimen = Specimen.Start("--small-maps", ManyVmas.ToString(CultureInfo.InvariantCulture), "--thp");
        var run = MeasuredCli.Run(s_bound, "pages", specimen.Pid.ToString(CultureInfo.InvariantCulture));
        Assert.True(run.Code == 0, run.Err);
        var smaps = Smaps.Read(specimen.Pid);
        var kernel = File.ReadAllLines($"/proc/{specimen.Pid}/maps").Select(MapsLine.Parse).ToList();
        // Each VMA with a populated page is a "# class start-end ..." heading followed by its pages' lines.
        var perVma = new Dictionary<string, int>();
        string? current = null;
        foreach (var line in run.Out.Split('\n'))
        {
            if (line.StartsWith("# ", StringComparison.Ordinal) && line.Contains('-', StringComparison.Ordinal) && !line.Contains("pages listed", StringComparison.Ordinal))
            {
                current = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).First(f => f.Contains('-', StringComparison.Ordinal) && f.Split('-').All(h => h.Length >= 8 && h.All(Uri.IsHexDigit)));
                current = current.Split('-')[0];
                perVma[current] = 0;
            }
            else if (line.StartsWith("VA 0x", StringComparison.Ordinal))
            {
                Assert.NotNull(current);
                Assert.Contains(" present ", line, StringComparison.Ordinal);
                perVma[current!]++;
            }
        }
        foreach (var k in kernel)
        {
            ulong rss = smaps[ulong.Parse(k.Start, NumberStyles.HexNumber, CultureInfo.InvariantCulture)]["Rss"] / 4;
            string key = ulong.Parse(k.Start, NumberStyles.HexNumber, CultureInfo.InvariantCulture).ToString("x8", CultureInfo.InvariantCulture);
            Assert.True(rss == (ulong)perVma.GetValueOrDefault(key), $"{k}: smaps Rss {rss} pages, pages listed {perVma.GetValueOrDefault(key)}");
        }
        Assert.Contains($"# {perVma.Values.Sum()} pages listed, {perVma.Values.Sum()} present", run.Out, StringComparison.Ordinal);
    }

    /// <summary>"8.0K", "2.0M", "132K", as the listing prints a size: below 1000 of the largest unit, one decimal below 100.</summary>
    private static string Bytes(ulong bytes)
    {
        const string Units = "KMGTPE";
        int unit = 0;
        while (unit < Units.Length - 1 && bytes >= 1000UL << (10 * (unit + 1))) unit++;
        double value = bytes / Math.Pow(1024, unit + 1);
        return value.ToString(value < 99.95 ? "0.0" : "0", CultureInfo.InvariantCulture) + Units[unit];
    }
}
