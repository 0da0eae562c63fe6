using PageAtlas.Labs;

namespace PageAtlas.Tests;

/// <summary>
/// Where labs find their specimen programs (<see cref="SpecimenProcess.Locate(string)"/>), on a
/// made-up installation in a temporary directory: bin/pageatlas beside lib/pageatlas/specimens.
/// </summary>
public sealed class SpecimenLocationTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("pageatlas-locate-").FullName;
    private readonly string _bin, _installed, _chosen;

    public SpecimenLocationTests()
    {
        _bin = Directory.CreateDirectory(Path.Combine(_root, "bin")).FullName;
        _installed = Directory.CreateDirectory(Path.Combine(_root, "lib", "pageatlas", "specimens")).FullName;
        _chosen = Directory.CreateDirectory(Path.Combine(_root, "mine")).FullName;
        File.WriteAllText(Path.Combine(_installed, "lazy"), "");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void WithoutTheVariableTheInstalledSpecimenIsFound() =>
        Assert.Equal(Path.Combine(_installed, "lazy"), SpecimenProcess.Locate("lazy", null, _bin));

    [Fact]
    public void TheVariablesDirectoryIsUsedWhenItHasTheSpecimen()
    {
        File.WriteAllText(Path.Combine(_chosen, "lazy"), "");
        Assert.Equal(Path.Combine(_chosen, "lazy"), SpecimenProcess.Locate("lazy", _chosen, _bin));
    }

    /// <summary>
    /// Before: the installed specimen ran instead, silently, and had it been missing too the error
    /// named the install's directory, never the one the user set.
    /// </summary>
    [Fact]
    public void ADirectoryTheUserNamedWithoutTheSpecimenIsAnErrorNamingIt()
    {
        var error = Assert.Throws<ExternalToolException>(() => SpecimenProcess.Locate("lazy", _chosen, _bin));
        Assert.Contains($"'lazy' is not in PAGEATLAS_SPECIMENS ({_chosen})", error.Message, StringComparison.Ordinal);
    }
}
