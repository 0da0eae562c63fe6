using System.Text.Json;
using static PageAtlas.Tests.Cli.CliSnapshotFixture;

namespace PageAtlas.Tests.Cli;

/// <summary>
/// The CLI run in-process on crafted snapshots: exit codes, error lines, JSON shapes and text,
/// checked against what the snapshots were made to hold. No root, no process spawned.
/// </summary>
public class CliInProcessTests(CliSnapshotFixture snapshots) : IClassFixture<CliSnapshotFixture>
{
    [Fact]
    public void MapsCountsThePagesTheSnapshotHolds()
    {
        var run = InProcessCli.Run("maps", "--snapshot", snapshots.Before);
        Assert.True(run.Code == 0, run.Err);
        Assert.Equal("", run.Err);
        Assert.StartsWith($"pid {CliSnapshotFixture.Pid} (fake) — 2 VMAs, page size 4096, ", run.Lines[0]);
        string heap = Assert.Single(run.Lines, l => l.StartsWith($"{Heap:x} ", StringComparison.Ordinal));
        Assert.Contains($" {HeapPages + 1} ", heap);
        string total = Assert.Single(run.Lines, l => l.StartsWith("total", StringComparison.Ordinal));
        Assert.Contains("2 VMAs", total);

        var vmas = InProcessCli.Run("maps", "--snapshot", snapshots.Before, "--json").Json().GetProperty("vmas").EnumerateArray().ToList();
        Assert.Equal(2, vmas.Count);
        Assert.Equal(HeapPages + 1, vmas[0].GetProperty("presentPages").GetInt32());
        Assert.Equal(2, vmas[1].GetProperty("swappedPages").GetInt32());
    }

    [Fact]
    public void ThePositionalPidAndDashPChooseTheSameSavedProcess()
    {
        var positional = InProcessCli.Run("maps", "777", "--snapshot", snapshots.Two, "--json");
        var option = InProcessCli.Run("maps", "-p", "777", "--snapshot", snapshots.Two, "--json");
        Assert.Equal(777, positional.Json().GetProperty("pid").GetInt32());
        Assert.Equal(positional.Out, option.Out);
    }

    [Fact]
    public void CompositionTotalsResidentPagesInTheUnitAsked()
    {
        // 25 present pages of 4 KiB: Rss 100K by default, 102400 with --bytes, 25 with --pages.
        foreach (var (unit, rss) in new[] { ((string?)null, "100K"), ("--bytes", $"{(HeapPages + 1) * 4096}"), ("--pages", $"{HeapPages + 1}") })
        {
            var run = InProcessCli.Run(["composition", "--snapshot", snapshots.Before, .. unit is null ? Array.Empty<string>() : [unit]]);
            Assert.True(run.Code == 0, run.Err);
            string total = Assert.Single(run.Lines, l => l.StartsWith("total", StringComparison.Ordinal));
            Assert.Equal(["total", "2", rss], total.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..3]);
        }
        var json = InProcessCli.Run("composition", "--snapshot", snapshots.Before, "--json").Json();
        Assert.Equal(JsonValueKind.Object, json.GetProperty("total").ValueKind);
        var both = InProcessCli.Run("composition", "--snapshot", snapshots.Before, "--bytes", "--pages");
        Assert.Equal((2, ""), (both.Code, both.Out));
        Assert.Equal("pageatlas: --bytes and --pages cannot be used together: each chooses the unit of sizes\n", both.Err);
    }

    [Fact]
    public void PagesListsEveryPopulatedPageAndCountsThem()
    {
        var run = InProcessCli.Run("pages", "--snapshot", snapshots.Before);
        Assert.True(run.Code == 0, run.Err);
        Assert.Equal($"# {HeapPages + 3} pages listed, {HeapPages + 1} present", run.Lines[^1]);
        Assert.Contains(run.Lines, l => l.StartsWith($"VA 0x{Heap:x12} -> PFN 0x1000 (PA 0x1000000)", StringComparison.Ordinal));

        var json = InProcessCli.Run("pages", "--snapshot", snapshots.Before, "--json");
        string[] lines = json.Lines;
        Assert.Equal("pageatlas/pages", JsonDocument.Parse(lines[0]).RootElement.GetProperty("schema").GetString());
        Assert.Equal(HeapPages + 3, lines.Length - 1);
        Assert.Equal($"0x{Heap:x}", JsonDocument.Parse(lines[1]).RootElement.GetProperty("address").GetString());
    }

    [Fact]
    public void WalkWithASnapshotTakesItsPositionalAsTheAddress()
    {
        string address = $"0x{Heap + 0x1000:x}";
        var run = InProcessCli.Run("walk", "--snapshot", snapshots.Before, address);
        Assert.True(run.Code == 0, run.Err);
        Assert.StartsWith($"pid {CliSnapshotFixture.Pid} (fake), address {address}, ", run.Lines[0]);
        Assert.Contains(run.Lines, l => l.Contains("PFN 0x1001 (PA 0x1001000)", StringComparison.Ordinal));
        Assert.Equal(run.Out, InProcessCli.Run("walk", "--snapshot", snapshots.Before, "-p", $"{CliSnapshotFixture.Pid}", address).Out);
        Assert.Equal("0x1001", InProcessCli.Run("walk", "--snapshot", snapshots.Before, address, "--json").Json().GetProperty("page").GetProperty("pfn").GetString());
    }

    [Fact]
    public void WalkTextFitsTheWidthItIsGiven()
    {
        string address = $"0x{Heap:x}";
        var wide = InProcessCli.RunAt(400, "walk", "--snapshot", snapshots.Before, address);
        var narrow = InProcessCli.RunAt(100, "walk", "--snapshot", snapshots.Before, address);
        Assert.True(narrow.Code == 0, narrow.Err);
        // The table is laid out for the width; the lines around it are not tables and keep their length.
        Assert.Contains(wide.Lines, l => l.Length > 100);
        Assert.All(narrow.Lines.Where(l => l.StartsWith(' ')), l => Assert.True(l.Length <= 100, l));
        Assert.True(narrow.Lines.Length > wide.Lines.Length);
    }

    [Fact]
    public void TranslateListsARangePageByPageInOrder()
    {
        var run = InProcessCli.Run("translate", "--snapshot", snapshots.Before, $"0x{Heap:x}+8K", $"0x{Swap:x}");
        Assert.True(run.Code == 0, run.Err);
        Assert.Equal(3, run.Lines.Length);
        Assert.StartsWith($"VA 0x{Heap:x12} -> PFN 0x1000 ", run.Lines[0]);
        Assert.StartsWith($"VA 0x{Heap + 0x1000:x12} -> PFN 0x1001 ", run.Lines[1]);
        Assert.StartsWith($"VA 0x{Swap:x12} -> swap type ", run.Lines[2]);
    }

    [Fact]
    public void FramesAndPhysmapReadTheSavedMachine()
    {
        var frames = InProcessCli.Run("frames", "--snapshot", snapshots.After, "--json").Json();
        Assert.Equal(Frames, frames.GetProperty("matchedFrames").GetInt32());
        var text = InProcessCli.Run("frames", "--snapshot", snapshots.After);
        Assert.True(text.Code == 0, text.Err);
        Assert.StartsWith($"frames 0x0–0x{Frames:x} ({Frames} frames of 4096 bytes, 32.0M)", text.Lines[0]);
        var byFlags = InProcessCli.Run("frames", "--snapshot", snapshots.After, "--by-flags");
        Assert.Contains(byFlags.Lines, l => l.StartsWith($"0x{(ulong)Anonymous:x16}  ", StringComparison.Ordinal) && l.Contains(" 256 ", StringComparison.Ordinal));

        var physmap = InProcessCli.Run("physmap", "--snapshot", snapshots.After);
        Assert.True(physmap.Code == 0, physmap.Err);
        Assert.Equal(JsonValueKind.Object, InProcessCli.Run("physmap", "--snapshot", snapshots.After, "--json").Json().ValueKind);
    }

    [Fact]
    public void FramesOfASnapshotWithoutThemIsRefused()
    {
        var run = InProcessCli.Run("frames", "--snapshot", snapshots.Before);
        Assert.Equal(10, run.Code);
        Assert.Equal("", run.Out);
        Assert.StartsWith("pageatlas: ", Assert.Single(run.Err.TrimEnd('\n').Split('\n')));
    }

    [Fact]
    public void DiffFindsThePagesThatBecamePresent()
    {
        var run = InProcessCli.Run("diff", snapshots.Before, snapshots.After);
        Assert.True(run.Code == 0, run.Err);
        Assert.Equal("VMAs: unchanged", run.Lines[1]);
        // The run's row: what changed, its first address, its length in pages.
        Assert.Contains(run.Lines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, var start, "4", ..] && start == $"0x{Heap + HeapPages * 4096UL:x}");
        var json = InProcessCli.Run("diff", snapshots.Before, snapshots.After, "--json").Json();
        Assert.Equal(JsonValueKind.Array, json.GetProperty("pages").ValueKind);
    }

    [Theory]
    [InlineData("'0' is not a process id", "maps", "0")]
    [InlineData("'0' is not a process id", "walk", "0", "0x1000")]
    [InlineData("'00' is not a process id", "maps", "-p", "00")]
    [InlineData("'abc' is not a process id", "diff", "a.db", "b.db", "--pid", "abc")]
    public void AMalformedPidIsAUsageError(string message, params string[] args)
    {
        var run = InProcessCli.Run(args);
        Assert.Equal(2, run.Code);
        Assert.Equal("", run.Out);
        Assert.StartsWith($"pageatlas: {message}", run.Err);
        Assert.DoesNotContain("   at ", run.Err);
    }

    [Fact]
    public void ASavedProcessIsChosenByPidNotByName()
    {
        var run = InProcessCli.Run("maps", "fake", "--snapshot", snapshots.Before);
        Assert.Equal(2, run.Code);
        Assert.Equal("pageatlas: 'fake' is not a process id (a positive decimal number)\n", run.Err);
    }

    [Fact]
    public void ANameNoProcessHasIsExit3ThroughThePositionalAndDashP()
    {
        foreach (string[] args in new[] { new[] { "maps", "no-such-name-42" }, ["maps", "-p", "no-such-name-42"], ["walk", "-p", "no-such-name-42", "0x1000"] })
        {
            var run = InProcessCli.Run(args);
            Assert.Equal(3, run.Code);
            Assert.Equal("", run.Out);
            Assert.Contains("no-such-name-42", run.Err);
        }
    }

    [Fact]
    public void APidGivenTwiceIsAUsageError()
    {
        var run = InProcessCli.Run("maps", "4242", "-p", "4242", "--snapshot", snapshots.Before);
        Assert.Equal(2, run.Code);
        Assert.Equal("", run.Out);
        Assert.Equal("pageatlas: the process is named twice: give its pid as an argument or with -p/--pid, not both\n", run.Err);
        Assert.Equal(2, InProcessCli.Run("share", "1", "2", "-p", "3", "--snapshot", snapshots.Two).Code);
    }

    [Fact]
    public void WalkWithoutAnAddressIsAUsageError()
    {
        var run = InProcessCli.Run("walk", "--snapshot", snapshots.Before);
        Assert.Equal(2, run.Code);
        Assert.StartsWith("pageatlas: missing <address> (usage: pageatlas walk --snapshot <file> [<pid>] <address> [options])\n", run.Err);
    }

    [Fact]
    public void AMissingSnapshotFileIsExit10InOneLine()
    {
        string missing = snapshots.PathOf("missing.db");
        var run = InProcessCli.Run("maps", "--snapshot", missing);
        Assert.Equal(10, run.Code);
        Assert.Equal("", run.Out);
        string line = Assert.Single(run.Err.TrimEnd('\n').Split('\n'));
        Assert.StartsWith("pageatlas: ", line);
        Assert.Contains(missing, line);
    }

    [Fact]
    public void ASavedProcessThatIsNotThereIsExit3()
    {
        var run = InProcessCli.Run("maps", "999", "--snapshot", snapshots.Two);
        Assert.Equal(3, run.Code);
        Assert.Contains("holds no process 999", run.Err);
    }
}
