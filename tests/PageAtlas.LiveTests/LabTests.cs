using PageAtlas.Labs;

namespace PageAtlas.LiveTests;

/// <summary>Every lab runs on this machine and every claim it checks holds.</summary>
public class LabTests
{
    public static TheoryData<string> Names() => new(LabCatalog.All.Select(l => l.Name));

    [SkippableTheory]
    [MemberData(nameof(Names))]
    public void EveryClaimHolds(string name)
    {
        var report = LabCatalog.Find(name)!.Run();
        Assert.True(report.Verdicts.Count >= 2, $"{name} checks only {report.Verdicts.Count} claim(s)");
        foreach (var verdict in report.Verdicts) Assert.True(verdict.Holds, $"{name}: '{verdict.Claim}' does not hold: {verdict.Evidence}");
    }

    [SkippableFact]
    public void LabCommandListsRunsAndReportsInJson()
    {
        var (listCode, list, _) = CliErrorTests.Run("lab");
        Assert.Equal(0, listCode);
        Assert.All(LabCatalog.All, lab => Assert.Contains(lab.Name, list));
        var (code, stdout, err) = CliErrorTests.Run("lab", "shm", "--json");
        Assert.True(code == 0, err);
        using var doc = System.Text.Json.JsonDocument.Parse(stdout);
        var lab = Assert.Single(doc.RootElement.GetProperty("labs").EnumerateArray());
        Assert.True(lab.GetProperty("allHold").GetBoolean());
        Assert.Equal(3, lab.GetProperty("verdicts").GetArrayLength());
        var (unknown, _, unknownErr) = CliErrorTests.Run("lab", "no-such-lab");
        Assert.Equal(2, unknown);
        Assert.Contains("fork-cow", unknownErr);
    }
}
