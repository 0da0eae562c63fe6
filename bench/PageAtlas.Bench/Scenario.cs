using System.Diagnostics;

namespace PageAtlas.Bench;

/// <summary>A specimen started with some options, alive until disposed.</summary>
internal sealed record Scenario(string Name, string[] SpecimenArgs, string Program = "layout")
{
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "PageAtlas.slnx"))) return dir.FullName;
        throw new InvalidOperationException("repository root not found");
    }

    public Process Start(string root) => Start(root, out _);

    /// <summary>Starts the specimen and waits for "ready"; <paramref name="lines"/> are what it printed before.</summary>
    public Process Start(string root, out List<string> lines)
    {
        var info = new ProcessStartInfo(Path.Combine(root, "specimens", "out", Program))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        };
        foreach (var a in SpecimenArgs) info.ArgumentList.Add(a);
        var process = Process.Start(info)!;
        lines = [];
        while (process.StandardOutput.ReadLine() is { } line && line != "ready") lines.Add(line);
        return process;
    }
}
