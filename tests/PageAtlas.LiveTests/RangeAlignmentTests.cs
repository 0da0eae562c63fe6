using PageAtlas.Linux;

namespace PageAtlas.LiveTests;

/// <summary>
/// A --range that starts or ends inside a page covers that whole page: the answer is the one for the
/// page-aligned range, said once on stderr, and it comes back (it used to loop forever on large VMAs).
/// </summary>
public class RangeAlignmentTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public void AnUnalignedRangeInALargeVmaEndsAndListsTheWholePages()
    {
        using var specimen = Specimen.Start("--touch-mib", "8");
        ulong touched = specimen["touched"];
        string pid = specimen.Pid.ToString();

        var (code, unaligned, err) = RunningCli.Run(Bound, ["pages", pid, "--range", $"0x{touched + 0x800:x}+18K"]);
        var (alignedCode, aligned, alignedErr) = RunningCli.Run(Bound, ["pages", pid, "--range", $"0x{touched:x}..0x{touched + 0x5000:x}"]);

        Assert.True(code == 0, err);
        Assert.True(alignedCode == 0, alignedErr);
        Assert.Equal(PageListing.WithoutFlags(aligned), PageListing.WithoutFlags(unaligned));
        Assert.Contains("5 pages listed, 5 present", unaligned);
        Assert.Equal($"pageatlas: note: --range 0x{touched + 0x800:x}+18K covers whole pages: 0x{touched:x}..0x{touched + 0x5000:x}",
            err.Trim());
        Assert.Equal("", alignedErr);

        foreach (var command in new[] { "pagetable", "pages" })
        {
            var (oneByte, _, oneByteErr) = RunningCli.Run(Bound, [command, pid, "--range", $"0x{touched + 0x7ff801:x}"]);
            Assert.True(oneByte == 0, oneByteErr);
        }
    }

    [Fact]
    public void AnUnalignedRangeAcrossSmallVmasShowsEachPageWithItsOwnFrame()
    {
        using var specimen = Specimen.Start();
        using var target = LiveProcess.Open(specimen.Pid);
        // The executable's data and the VMA right after it: small areas read together in one group.
        int data = target.Vmas.ToList().FindIndex(v => v.Vma.Contains(specimen["data"]));
        var first = target.Vmas[data].Vma;
        var next = target.Vmas[data + 1].Vma;
        Assert.Equal(first.End, next.Start);
        string pid = specimen.Pid.ToString();

        var (code, unaligned, err) = RunningCli.Run(Bound, ["pages", pid, "--range", $"0x{first.Start + 0x800:x}..0x{next.Start + 0x1000:x}"]);
        var (_, aligned, _) = RunningCli.Run(Bound, ["pages", pid, "--range", $"0x{first.Start:x}..0x{next.Start + 0x1000:x}"]);

        Assert.True(code == 0, err);
        Assert.Contains("covers whole pages", err);
        Assert.Equal(PageListing.WithoutFlags(aligned), PageListing.WithoutFlags(unaligned));

        // The library reads whole pages too, live and from a snapshot: each page with its own entry,
        // not its neighbour's, and the first page not left out.
        string file = Path.Combine(Path.GetTempPath(), $"pageatlas-range-{Guid.NewGuid():N}.db");
        try
        {
            Snapshots.SnapshotWriter.Write(file, [target], target.Machine, null);
            using var saved = Snapshots.Snapshot.OpenTarget(file, specimen.Pid);
            foreach (var source in new IMemoryTarget[] { target, saved })
            {
                (ulong, ulong)[] Read(ulong start) => source.ReadPages(start, next.Start + 0x1000, Model.PageReadOptions.PopulatedWithFrames)
                    .SelectMany(b => b.Pages.ToArray()).Select(p => (p.Address, p.Entry.Pfn)).ToArray();
                Assert.Equal(Read(first.Start), Read(first.Start + 0x800));
            }
        }
        finally
        {
            File.Delete(file);
        }
    }
}
