using System.Diagnostics;
using System.Xml.Linq;

namespace PageAtlas.LiveTests;

/// <summary>
/// A machine without 1 GiB pages or THP, made from this one in a private mount namespace: a tmpfs
/// over /sys/kernel/mm/hugepages keeps only the real 2 MiB pool, /proc/cpuinfo loses its pdpe1gb
/// flag and the THP mode reads [never]. There the tests that need what is gone must be reported
/// skipped with the reason, the others still pass, and walk, translate and pagetable still work.
/// </summary>
public class LesserMachineTests
{
    /// <summary>Runs the rest of its arguments ("$@") as they would run on the lesser machine.</summary>
    private const string LesserMachine = """
        set -e
        keep=$(mktemp -d) && fake=$(mktemp -d)
        mount --bind /sys/kernel/mm/hugepages/hugepages-2048kB "$keep"
        mount -t tmpfs lesser /sys/kernel/mm/hugepages
        mkdir /sys/kernel/mm/hugepages/hugepages-2048kB
        mount --bind "$keep" /sys/kernel/mm/hugepages/hugepages-2048kB
        sed 's/ pdpe1gb//' /proc/cpuinfo > "$fake/cpuinfo" && mount --bind "$fake/cpuinfo" /proc/cpuinfo
        echo 'always madvise [never]' > "$fake/thp" && mount --bind "$fake/thp" /sys/kernel/mm/transparent_hugepage/enabled
        exec "$@"
        """;

    private static readonly string[] Prefix = ["unshare", "--mount", "--propagation", "private", "sh", "-c", LesserMachine, "lesser"];

    [SkippableFact]
    public void TestsNeedingWhatIsMissingAreSkippedWithTheirReason()
    {
        Requires.HugePageSize(2048);
        string results = Directory.CreateTempSubdirectory("pageatlas-lesser").FullName;
        try
        {
            var info = new ProcessStartInfo(Prefix[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in Prefix.Skip(1)) info.ArgumentList.Add(a);
            foreach (var a in new[] { "dotnet", "test", typeof(LesserMachineTests).Assembly.Location, "--nologo",
                         "--filter", "FullyQualifiedName~HugetlbTests|FullyQualifiedName~WalkTests",
                         "--results-directory", results, "--logger", "trx;LogFileName=lesser.trx" })
                info.ArgumentList.Add(a);
            info.Environment["DOTNET_CLI_HOME"] = Path.GetTempPath();
            using var run = Process.Start(info)!;
            var output = run.StandardOutput.ReadToEndAsync();
            string errors = run.StandardError.ReadToEnd();
            Assert.True(run.WaitForExit(TimeSpan.FromMinutes(3)), "the nested test run did not finish in 3 minutes");
            Assert.True(run.ExitCode == 0, $"nested run failed: {output.Result}\n{errors}");

            XNamespace ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
            var outcomes = XDocument.Load(Path.Combine(results, "lesser.trx")).Descendants(ns + "UnitTestResult").ToDictionary(
                r => (string)r.Attribute("testName")!,
                r => ((string)r.Attribute("outcome")!, r.Descendants(ns + "Message").FirstOrDefault()?.Value ?? ""));
            var gigabyte = outcomes.Single(o => o.Key.Contains("HugetlbPageIsALeaf") && o.Key.Contains("1024")).Value;
            Assert.Equal("NotExecuted", gigabyte.Item1);
            Assert.Contains("no 1024 MiB hugetlb pages (the CPU has no pdpe1gb flag", gigabyte.Item2);
            var thp = outcomes.Single(o => o.Key.EndsWith("WalkOfAThpEndsAtAPmdLeaf", StringComparison.Ordinal)).Value;
            Assert.Equal("NotExecuted", thp.Item1);
            Assert.Contains("transparent huge pages are off", thp.Item2);
            // What the lesser machine still has is still tested there.
            Assert.Equal("Passed", outcomes.Single(o => o.Key.Contains("HugetlbPageIsALeaf") && o.Key.Contains("mib: 2,")).Value.Item1);
            Assert.True(outcomes.Count(o => o.Value.Item1 == "Passed") >= 4, string.Join("\n", outcomes));
        }
        finally
        {
            Directory.Delete(results, recursive: true);
        }
    }

    [SkippableFact]
    public void WalkTranslateAndPagetableStillWork()
    {
        using var specimen = Specimen.Start("--pattern", "3", "1");
        string heap = $"0x{specimen["heap"]:x}";
        foreach (var args in new[] { ["walk", specimen.Pid.ToString(), heap], ["translate", specimen.Pid.ToString(), heap + "+8K"],
                     ["pagetable", specimen.Pid.ToString()], new[] { "pagetable", specimen.Pid.ToString(), "--format", "json" } })
        {
            var (code, stdout, stderr) = CliErrorTests.RunAs(Prefix, args);
            Assert.True(code == 0, $"{string.Join(' ', args)} exited {code} on the lesser machine: {stderr}");
            Assert.NotEmpty(stdout);
        }
    }
}
