namespace PageAtlas.LiveTests;

/// <summary>
/// The dotnet-tool package still works beside the native program: `dotnet pack` of the built CLI
/// installs as the `pageatlas` command, which names itself pageatlas and answers as the build does.
/// </summary>
public sealed class DotnetToolTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pageatlas-tool").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void ThePackedToolInstallsAndRunsAsPageatlas()
    {
        string packages = Path.Combine(_directory, "packages"), tools = Path.Combine(_directory, "tools");
        var quiet = new Dictionary<string, string?>
        {
            ["DOTNET_CLI_HOME"] = _directory,
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
        };
        string project = Path.Combine(Specimen.RepoRoot(), "src", "PageAtlas.Cli");
        // --no-build: the tests run on the Release build, which pack must not rebuild under them.
        var pack = CliProcess.Run(["dotnet", "pack", project, "-c", "Release", "--no-build", "--nologo", "-v", "quiet", "-o", packages], environment: quiet);
        Assert.True(pack.Code == 0, $"dotnet pack: {pack.Out}{pack.Err}");
        var install = CliProcess.Run(["dotnet", "tool", "install", "PageAtlas.Cli", "--tool-path", tools, "--add-source", packages], environment: quiet);
        Assert.True(install.Code == 0, $"dotnet tool install: {install.Out}{install.Err}");

        string tool = Path.Combine(tools, "pageatlas");
        var help = CliProcess.Run([tool, "--help"], environment: quiet);
        Assert.Equal(0, help.Code);
        Assert.Contains("Usage:\n  pageatlas [command] [options]", help.Out);
        using var specimen = Specimen.Start();
        var maps = CliProcess.Run([tool, "maps", specimen.Pid.ToString(), "--json"], environment: quiet);
        Assert.True(maps.Code == 0, maps.Err);
        Assert.Equal(CliErrorTests.Run("maps", specimen.Pid.ToString(), "--json").Out, maps.Out);
    }
}
