using System.Diagnostics;
using PageAtlas.Labs;
using PageAtlas.Tests;

namespace PageAtlas.LiveTests;

/// <summary>
/// The CLI on snapshot files handed over by someone else: what is not a regular file, impossible
/// values, a chunk claiming millions of pages, and a diff of snapshots that are not two moments of
/// one process. Each is one line naming the file, with its exit code, within time and memory bounds.
/// </summary>
public sealed class SnapshotSafetyTests : IDisposable
{
    private static readonly TimeSpan s_hangBound = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("pageatlas-snapshot-safety").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    private string Take(SpecimenProcess specimen, string name)
    {
        string file = PathOf(name);
        var (code, _, err) = CliErrorTests.Run("snapshot", specimen.Pid.ToString(), "-o", file);
        Assert.True(code == 0, err);
        return file;
    }

    private static void AssertRefused(BoundedRun run, int code, string file, string words)
    {
        Assert.False(run.TimedOut, $"pageatlas on {file} hangs");
        Assert.True(run.Code == code, $"exit {run.Code}: {run.Err}");
        Assert.Single(run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(file, run.Err);
        Assert.Contains(words, run.Err);
    }

    [Fact]
    public void ASnapshotPathThatIsAFifoIsRefusedAtOnce()
    {
        string fifo = PathOf("fifo.db");
        using (var mkfifo = Process.Start("mkfifo", fifo)) mkfifo.WaitForExit();
        AssertRefused(MeasuredCli.Run(s_hangBound, "maps", "--snapshot", fifo), 10, fifo, "is a FIFO, not a regular file");
    }

    [Fact]
    public void ImpossibleValuesAndAChunkClaimingMillionsOfPagesAreRefusedByName()
    {
        using var specimen = Specimen.Start();
        string good = Take(specimen, "good.db");
        foreach (var (name, sql, words) in new[]
        {
            ("page-size.db", "UPDATE meta SET value = 'abc' WHERE key = 'page_size'", "table meta: page_size is 'abc'"),
            ("levels.db", "UPDATE meta SET value = '7' WHERE key = 'paging_levels'", "table meta: paging_levels is '7'"),
            // Every chunk says it holds one page, and its data claims 20,000,000 in 9 bytes.
            ("millions.db", "UPDATE pages SET data = X'040080DAC409008002', hash = fnv1a(X'040080DAC409008002'), count = 1, last_address = first_address;"
                + "UPDATE processes SET populated_pages = (SELECT count(*) FROM pages)", "its runs hold more than its 1 pages"),
            // The shared-memory object of the first VMA said to hold 2^62 pages in swap.
            ("object.db", "INSERT INTO shared_object_pages SELECT pid, 0, start, 4611686018427387904, 'swapped' FROM vmas WHERE idx = 0",
                "4611686018427387904 pages run past the VMA's end"),
        })
        {
            string file = SnapshotCrafting.Forge(good, PathOf(name), sql);
            var run = MeasuredCli.Run(s_hangBound, "maps", "--snapshot", file);
            AssertRefused(run, 10, file, words);
            Assert.True(run.PeakKilobytes is > 0 and < 300 * 1024, $"maps on {name} peaks at {run.PeakKilobytes} kB");
        }
    }

    [Fact]
    public void DiffRefusesSnapshotsOfOtherProcessesOrBootsUnlessForced()
    {
        using var first = Specimen.Start();
        using var second = Specimen.Start();
        string a = Take(first, "a.db"), b = Take(second, "b.db"), later = Take(first, "later.db");
        string otherBoot = SnapshotCrafting.Forge(later, PathOf("other-boot.db"),
            "UPDATE meta SET value = '00000000-0000-4000-8000-000000000000' WHERE key = 'boot_id'");
        foreach (var (other, doubt) in new[] { (b, $"they hold different processes: pid {first.Pid} (layout) and pid {second.Pid} (layout)"), (otherBoot, "they were taken in different boots") })
        {
            var refused = MeasuredCli.Run(s_hangBound, "diff", a, other);
            AssertRefused(refused, 2, a, doubt);
            Assert.Contains("--force compares them anyway", refused.Err);
            var forced = MeasuredCli.Run(s_hangBound, "diff", a, other, "--force");
            Assert.True(forced.Code == 0, forced.Err);
            Assert.Contains($"note: compared with --force although {doubt}", forced.Out);
        }
        var same = MeasuredCli.Run(s_hangBound, "diff", a, later);
        Assert.True(same.Code == 0, same.Err);
        Assert.DoesNotContain("--force", same.Out);
    }
}
