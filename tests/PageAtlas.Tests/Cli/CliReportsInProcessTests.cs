using System.Text.Json;
using static PageAtlas.Tests.Cli.CliSnapshotFixture;

namespace PageAtlas.Tests.Cli;

/// <summary>
/// share, frame and pagetable run in-process on the crafted snapshots: every figure checked is one the
/// fakes were made to hold (see <see cref="CliSnapshotFixture"/>). No root, no process spawned.
/// </summary>
public class CliReportsInProcessTests(CliSnapshotFixture snapshots) : IClassFixture<CliSnapshotFixture>
{
    private const int OtherPid = 777;

    [Fact]
    public void ShareCountsTheFramesTwoSavedProcessesHaveInCommon()
    {
        // 4242: 25 present heap pages (frames 0x1000–0x1017 and 0x77). 777: frames 0x1000–0x1003 at the
        // same addresses, and 0x5000–0x5001 where 4242 has 0x1004–0x1005.
        var json = InProcessCli.Run("share", $"{Pid}", $"{OtherPid}", "--snapshot", snapshots.Two, "--json").Json();
        Assert.Equal([Pid, OtherPid], json.GetProperty("processes").EnumerateArray().Select(p => p.GetProperty("pid").GetInt32()));
        var total = json.GetProperty("total");
        // Each process's figures are keyed by its pid, not by its place in a list.
        var perProcess = total.GetProperty("perProcess").EnumerateArray().ToDictionary(p => p.GetProperty("pid").GetInt32());
        Assert.Equal([Pid, OtherPid], perProcess.Keys);
        Assert.Equal(HeapPages + 1, perProcess[Pid].GetProperty("residentPages").GetInt32());
        Assert.Equal(6, perProcess[OtherPid].GetProperty("residentPages").GetInt32());
        Assert.Equal(4, total.GetProperty("commonFrames").GetInt32());
        Assert.Equal(HeapPages + 1 - 4, perProcess[Pid].GetProperty("privatePages").GetInt32());
        Assert.Equal(2, perProcess[OtherPid].GetProperty("privatePages").GetInt32());
        Assert.Equal(6, total.GetProperty("sameAddressPages").GetInt32());
        Assert.Equal(4, total.GetProperty("sameAddressSameFramePages").GetInt32());
        Assert.Equal(2, total.GetProperty("sameAddressOtherFramePages").GetInt32());
        // The heap's class is the class object every document writes, and its VMA group names each process's VMA by pid.
        // 4242's second anonymous VMA (the swap one) is rank 2, which 777 has not: its VMA there is null.
        var groups = json.GetProperty("vmas").EnumerateArray().ToDictionary(g => g.GetProperty("rank").GetInt32());
        Assert.Equal([1, 2], groups.Keys.Order());
        Assert.All(groups.Values, g => Assert.Equal("anon", g.GetProperty("class").GetProperty("kind").GetString()));
        Assert.All(groups[1].GetProperty("perProcess").EnumerateArray(), p => Assert.Equal($"0x{Heap:x}", p.GetProperty("vma").GetProperty("start").GetString()));
        var second = groups[2].GetProperty("perProcess").EnumerateArray().ToDictionary(p => p.GetProperty("pid").GetInt32(), p => p.GetProperty("vma"));
        Assert.Equal($"0x{Swap:x}", second[Pid].GetProperty("start").GetString());
        Assert.Equal(JsonValueKind.Null, second[OtherPid].ValueKind);

        // With no pid named, every saved process is compared (in the snapshot's order, pid order).
        Assert.Equal([OtherPid, Pid], InProcessCli.Run("share", "--snapshot", snapshots.Two, "--json").Json().GetProperty("processes").EnumerateArray().Select(p => p.GetProperty("pid").GetInt32()));

        var text = InProcessCli.Run("share", $"{Pid}", $"{OtherPid}", "--snapshot", snapshots.Two);
        Assert.True(text.Code == 0, text.Err);
        Assert.Equal($"processes: {Pid} (fake, parent 1), {OtherPid} (fake, parent 1)", text.Lines[0]);
        string row = Assert.Single(text.Lines, l => l.TrimStart().StartsWith("total", StringComparison.Ordinal));
        // total, Rss 4242, Rss 777, Frames in all, Own 4242, Own 777, same VA same frame, same VA other frames.
        Assert.Equal(["total", $"{HeapPages + 1}", "6", "4", $"{HeapPages + 1 - 4}", "2", "4", "2"], row.Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void ShareOfOneSavedProcessIsAUsageError()
    {
        var run = InProcessCli.Run("share", $"{Pid}", "--snapshot", snapshots.Two);
        Assert.Equal(2, run.Code);
        Assert.Equal("", run.Out);
        Assert.Equal("pageatlas: share needs at least two processes\n", run.Err);
    }

    [Fact]
    public void FrameFindsTheSavedProcessAndAddressThatMapIt()
    {
        // Frame 0x77 is the heap's last page, past the gap: an anonymous frame mapped once.
        const ulong LastHeapPage = Heap + HeapPages * 4096UL + 0x10000;
        var json = InProcessCli.Run("frame", "0x77", "--snapshot", snapshots.After, "--json").Json();
        Assert.Equal(1, json.GetProperty("mapCount").GetInt32());
        var mapping = Assert.Single(json.GetProperty("mappings").EnumerateArray());
        Assert.Equal(Pid, mapping.GetProperty("pid").GetInt32());
        Assert.Equal("fake", mapping.GetProperty("command").GetString());
        Assert.Equal($"0x{LastHeapPage:x}", mapping.GetProperty("address").GetString());

        var text = InProcessCli.Run("frame", "77", "--snapshot", snapshots.After);
        Assert.True(text.Code == 0, text.Err);
        Assert.Equal("PFN 0x77: physical 0x77000–0x77fff", text.Lines[0]);
        Assert.Equal("map count (kpagecount): 1", text.Lines[2]);
        Assert.Contains(text.Lines, l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var pid, "fake", var address, ..] && pid == $"{Pid}" && address == $"0x{LastHeapPage:x}");
        // --phys takes a physical address inside the frame.
        Assert.Equal(text.Lines[..3], InProcessCli.Run("frame", "--phys", "0x77abc", "--snapshot", snapshots.After).Lines[..3]);
    }

    [Fact]
    public void AFrameNoSavedProcessMapsHasNoOwner()
    {
        var run = InProcessCli.Run("frame", "0x200", "--snapshot", snapshots.After);
        Assert.True(run.Code == 0, run.Err);
        Assert.Contains("mapped by: no process", run.Lines);
        Assert.Empty(InProcessCli.Run("frame", "0x200", "--snapshot", snapshots.After, "--json").Json().GetProperty("mappings").EnumerateArray());
    }

    [Fact]
    public void PagetableCountsTheTablesTheSavedPagesNeed()
    {
        // Heap and the swap VMA share the PGD, PUD and PMD tables; they are 256 MiB apart, so each has
        // its own PTE table: 25 present entries in the heap's, 2 swap entries in the other.
        var levels = InProcessCli.Run("pagetable", "--snapshot", snapshots.Before, "--json").Json().GetProperty("levels")
            .EnumerateArray().ToDictionary(l => l.GetProperty("level").GetString()!);
        Assert.Equal(["PGD", "PUD", "PMD", "PTE"], levels.Keys);
        Assert.Equal([1, 1, 1, 2], levels.Values.Select(l => l.GetProperty("tableCount").GetInt32()));
        Assert.Equal([1, 1, 2, 0], levels.Values.Select(l => l.GetProperty("pointerEntries").GetInt32()));
        Assert.Equal(HeapPages + 1, levels["PTE"].GetProperty("leafEntries").GetInt32());
        Assert.Equal(2, levels["PTE"].GetProperty("swapEntries").GetInt32());

        var text = InProcessCli.Run("pagetable", "--snapshot", snapshots.Before);
        Assert.True(text.Code == 0, text.Err);
        Assert.Equal("", text.Err);
        Assert.Equal(text.Out, InProcessCli.Run("pagetable", "--snapshot", snapshots.Before, "--format", "text").Out);
        // The heap starts 16 pages into its PTE table (0x...10000): its 24 contiguous frames, the gap,
        // then frame 0x77 at entry 56; the swap VMA's table holds entries 0 and 3.
        string[] lines = [.. text.Lines.Select(l => l.Trim())];
        Assert.Contains($"entries 16–{16 + HeapPages - 1}: {HeapPages} present, PFN 0x1000–0x{0x1000 + HeapPages - 1:x} contiguous  [anon]", lines);
        Assert.Contains("entry 56: present, PFN 0x77  [anon]", lines);
        Assert.Contains("entry 0: 1 swapped  [anon]", lines);
        Assert.Contains("entry 3: 1 swapped  [anon]", lines);
        Assert.Equal(["PTE", "2", "0", $"{HeapPages + 1}", "4", "KiB", "2", "0"], Assert.Single(lines, l => l.StartsWith("PTE ", StringComparison.Ordinal) && !l.Contains("pgd", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}
