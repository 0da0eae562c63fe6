using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using PageAtlas.Analysis;
using PageAtlas.Labs;
using PageAtlas.Linux;
using PageAtlas.Snapshots;

namespace PageAtlas.LiveTests;

/// <summary>
/// A lab hands its processes to its caller while they are alive (<see cref="LabCapture"/>), and its
/// claims' links name what a snapshot taken then holds: every lab's page links lie in a saved VMA of
/// their pid, every frame link is mapped by a saved process, every share link names saved processes.
/// `lab fork-cow --save F` leaves a snapshot whose `share --snapshot F` gives the lab's own figures.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class LabSnapshotTests
{
    public static TheoryData<string> Names() => new(LabCatalog.All.Select(l => l.Name));

    [GeneratedRegex(@"whole process: (\d+) pages still shared copy-on-write, (\d+) copied")]
    private static partial Regex WholeProcess();

    [SkippableTheory]
    [MemberData(nameof(Names))]
    public void EveryLinkNamesWhatTheSnapshotTakenWhileTheProcessesLivedHolds(string name)
    {
        string file = Path.Combine(Path.GetTempPath(), $"pageatlas-lab-{name}-{Guid.NewGuid():N}.db");
        try
        {
            var handed = new List<IReadOnlyList<int>>();
            var report = LabCatalog.Find(name)!.Run(pids =>
            {
                handed.Add(pids);
                // alive now: their /proc entries exist while the lab waits for this call
                Assert.All(pids, pid => Assert.True(Directory.Exists($"/proc/{pid}/task"), $"{name}: pid {pid} is gone when handed over"));
                SnapshotWriter.WriteLive(file, pids);
            });
            Assert.True(report.AllHold, $"{name}: a claim fails: {string.Join("; ", report.Verdicts.Where(v => !v.Holds).Select(v => v.Evidence))}");
            var pids = Assert.Single(handed);
            Assert.Equal(report.Subjects, pids);
            Assert.All(report.Verdicts, v => Assert.NotEmpty(v.Links));

            using var snapshot = Snapshot.Open(file);
            Assert.Equal(pids.Order(), snapshot.Processes.Select(p => p.Pid).Order());
            foreach (var link in report.Verdicts.SelectMany(v => v.Links))
            {
                Assert.Subset(pids.ToHashSet(), link.Pids.ToHashSet());
                switch (link.View)
                {
                    case LabView.Share:
                        Assert.True(link.Pids.Count >= 2, link.Label);
                        break;
                    case LabView.AddressSpace:
                        Assert.Single(link.Pids);
                        break;
                    case LabView.Page:
                        using (var target = snapshot.OpenProcess(Assert.Single(link.Pids)))
                            Assert.True(target.Vmas.Any(v => v.Vma.Contains(link.Address!.Value)), $"{name}: '{link.Label}' at 0x{link.Address:x} is in no saved VMA");
                        break;
                    case LabView.Frame:
                        using (var machine = FrameMachine.Open(file))
                        {
                            var owners = FrameOwners.Find(link.Frame!.Value, machine.Frames, machine.Pids(), machine.OpenProcess, null, null);
                            Assert.True(owners.Mappings.Count > 0, $"{name}: '{link.Label}': frame 0x{link.Frame:x} is mapped by no saved process");
                        }
                        break;
                }
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [SkippableFact]
    public void ForkCowsSnapshotSharesAsTheLabMeasured()
    {
        string file = Path.Combine(Path.GetTempPath(), $"pageatlas-cow-{Guid.NewGuid():N}.db");
        try
        {
            var (code, stdout, err) = CliErrorTests.Run("lab", "fork-cow", "--save", file, "--json");
            Assert.True(code == 0, err);
            using var lab = JsonDocument.Parse(stdout);
            var report = lab.RootElement.GetProperty("labs")[0];
            int[] subjects = [.. report.GetProperty("subjects").EnumerateArray().Select(p => p.GetInt32())];
            Assert.Equal(2, subjects.Length);
            var figures = report.GetProperty("observations").EnumerateArray().Select(o => WholeProcess().Match(o.GetString()!)).Single(m => m.Success);
            var share = report.GetProperty("verdicts").EnumerateArray().SelectMany(v => v.GetProperty("links").EnumerateArray())
                .First(l => l.GetProperty("view").GetString() == "share");
            Assert.Equal(subjects, share.GetProperty("pids").EnumerateArray().Select(p => p.GetInt32()));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));

            var (shareCode, shareOut, shareErr) = CliErrorTests.Run(["share", "--snapshot", file, .. subjects.Select(p => p.ToString(CultureInfo.InvariantCulture)), "--json"]);
            Assert.True(shareCode == 0, shareErr);
            using var saved = JsonDocument.Parse(shareOut);
            var total = saved.RootElement.GetProperty("total");
            Assert.Equal(long.Parse(figures.Groups[1].Value, CultureInfo.InvariantCulture), total.GetProperty("sameAddressSameFramePages").GetInt64());
            Assert.Equal(long.Parse(figures.Groups[2].Value, CultureInfo.InvariantCulture), total.GetProperty("sameAddressOtherFramePages").GetInt64());
            Assert.Equal(subjects[0], saved.RootElement.GetProperty("forkedFrom").GetInt32());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [SkippableFact]
    public void ASnapshotPathThatIsASymbolicLinkIsRefusedAndLeftAlone()
    {
        string target = Path.Combine(Path.GetTempPath(), $"pageatlas-lab-target-{Guid.NewGuid():N}");
        string link = target + ".link";
        File.WriteAllText(target, "keep");
        File.CreateSymbolicLink(link, target);
        try
        {
            var (code, stdout, err) = CliErrorTests.Run("lab", "lazy-alloc", "--save", link);
            Assert.Equal(11, code);
            Assert.Contains("symbolic link", Assert.Single(err.TrimEnd('\n').Split('\n')), StringComparison.Ordinal);
            Assert.Equal("keep", File.ReadAllText(target));
            Assert.Equal("", stdout);
        }
        finally
        {
            File.Delete(link);
            File.Delete(target);
        }
    }
}
