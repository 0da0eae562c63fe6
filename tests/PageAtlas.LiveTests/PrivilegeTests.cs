using System.Diagnostics;
using System.Text.Json;

namespace PageAtlas.LiveTests;

/// <summary>
/// Without CAP_SYS_ADMIN the kernel reports PFNs as 0 and refuses kpageflags: PageAtlas must say so
/// and still show presence. Runs the CLI and a specimen as user nobody (setpriv), so ptrace access holds.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class PrivilegeTests
{
    [SkippableFact]
    public void UnprivilegedRunSaysPfnsAreHiddenAndStillCountsPresentPages()
    {
        Assert.True(Environment.UserName == "root", "the live tests run as root (they need real PFNs)");
        string specimenCopy = Path.Combine(Path.GetTempPath(), $"pageatlas-layout-{Environment.ProcessId}");
        File.Copy(Specimen.BinaryPath("layout"), specimenCopy, overwrite: true);
        File.SetUnixFileMode(specimenCopy, (UnixFileMode)0b111_101_101);
        var info = new ProcessStartInfo(AsNobody.Prefix[0]) { RedirectStandardInput = true, RedirectStandardOutput = true };
        foreach (var a in AsNobody.Prefix.Skip(1)) info.ArgumentList.Add(a);
        info.ArgumentList.Add(specimenCopy);
        using var specimen = Process.Start(info)!;
        try
        {
            string? line;
            string sparse = "";
            while ((line = specimen.StandardOutput.ReadLine()) is not null && line != "ready")
                if (line.StartsWith("sparse ", StringComparison.Ordinal)) sparse = line.Split(' ')[1];

            var (code, stdout, stderr) = CliErrorTests.RunAs(AsNobody.Prefix, "translate", specimen.Id.ToString(), sparse + "+12K", "--json");
            Assert.True(code == 0, stderr);
            var rows = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            var visibility = rows[0].GetProperty("visibility");
            Assert.False(visibility.GetProperty("pfns").GetBoolean());
            Assert.Contains("CAP_SYS_ADMIN", visibility.GetProperty("reason").GetString());
            Assert.Equal("present", rows[1].GetProperty("state").GetString());
            Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("pfn").ValueKind);
            Assert.Equal("not-populated", rows[2].GetProperty("state").GetString());

            var (textCode, text, warning) = CliErrorTests.RunAs(AsNobody.Prefix, "translate", specimen.Id.ToString(), sparse);
            Assert.Equal(0, textCode);
            Assert.Contains("CAP_SYS_ADMIN", warning);
            Assert.Contains("PFN hidden", text);

            // The page-table tree needs only presence: the same tables as root sees, without frames.
            var (treeCode, tree, treeWarning) = CliErrorTests.RunAs(AsNobody.Prefix, "pagetable", specimen.Id.ToString());
            Assert.True(treeCode == 0, treeWarning);
            Assert.Contains("CAP_SYS_ADMIN", treeWarning);
            Assert.Contains("(PFN hidden)", tree);
            var (_, rootTree, _) = CliErrorTests.Run("pagetable", specimen.Id.ToString());
            string Counts(string listing) => listing[listing.IndexOf("level  tables", StringComparison.Ordinal)..listing.IndexOf("PUD + PMD", StringComparison.Ordinal)];
            Assert.Equal(Counts(rootTree), Counts(tree));

            // composition keeps RSS and the shared/private split (pagemap's exclusive bit) and says PSS is unavailable.
            var (compositionCode, composition, compositionWarning) = CliErrorTests.RunAs(AsNobody.Prefix, "composition", specimen.Id.ToString(), "--json");
            Assert.True(compositionCode == 0, compositionWarning);
            using var unprivileged = JsonDocument.Parse(composition);
            var (_, rootComposition, _) = CliErrorTests.Run("composition", specimen.Id.ToString(), "--json");
            using var privileged = JsonDocument.Parse(rootComposition);
            long Figure(JsonDocument d, string name) => d.RootElement.GetProperty("total").GetProperty(name).GetInt64();
            Assert.Equal(Figure(privileged, "rssBytes"), Figure(unprivileged, "rssBytes"));
            Assert.Equal(Figure(privileged, "ussBytes"), Figure(unprivileged, "ussBytes"));
            Assert.Contains(unprivileged.RootElement.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("PSS is unavailable", StringComparison.Ordinal));
        }
        finally
        {
            specimen.Kill();
            specimen.WaitForExit();
            File.Delete(specimenCopy);
        }
    }
}
