using PageAtlas.Labs;

namespace PageAtlas.Bench;

/// <summary>A specimen to start with some options; what it starts lives until killed or disposed.</summary>
internal sealed record Scenario(string Name, string[] SpecimenArgs, string Program = "layout")
{
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "PageAtlas.slnx"))) return dir.FullName;
        throw new InvalidOperationException("repository root not found");
    }

    /// <summary>Starts the specimen and waits for "ready".</summary>
    public SpecimenProcess Start() => SpecimenProcess.Start(Program, SpecimenArgs);
}
