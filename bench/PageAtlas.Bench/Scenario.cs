using System.Diagnostics;

namespace PageAtlas.Bench;

/// <summary>A specimen started with some options, alive until disposed.</summary>
internal sealed record Scenario(string Name, string[] SpecimenArgs)
{
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "PageAtlas.slnx"))) return dir.FullName;
        throw new InvalidOperationException("repository root not found");
    }

    public Process Start(string root)
    {
        var info = new ProcessStartInfo(Path.Combine(root, "specimens", "out", "layout"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        };
        foreach (var a in SpecimenArgs) info.ArgumentList.Add(a);
        var process = Process.Start(info)!;
        while (process.StandardOutput.ReadLine() is { } line && line != "ready") { }
        return process;
    }
}
