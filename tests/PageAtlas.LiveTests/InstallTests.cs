namespace PageAtlas.LiveTests;

/// <summary>
/// scripts/install.sh into a temporary prefix installs, beside the native program, the man page and
/// the bash, zsh and fish completions the program writes; the man page renders without a warning and
/// names every command and every option the program's help lists; the installed bash completion works.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class InstallTests : IDisposable
{
    private readonly string _prefix = Directory.CreateTempSubdirectory("pageatlas-install").FullName;

    public void Dispose() => Directory.Delete(_prefix, recursive: true);

    [Fact]
    public void InstallPutsTheManPageAndCompletionsWhereTheirToolsLook()
    {
        _ = NativeBinaryTests.Published;
        foreach (string specimen in new[] { "layout", "forkpair", "sharer", "lazy" }) Specimen.BinaryPath(specimen);
        string bin = Directory.CreateDirectory(Path.Combine(_prefix, "bin")).FullName;
        var install = CliProcess.Run([Path.Combine(Specimen.RepoRoot(), "scripts", "install.sh"), "--no-build", bin]);
        Assert.True(install.Code == 0, install.Err);
        string share = Path.Combine(_prefix, "share");
        string man = Path.Combine(share, "man", "man1", "pageatlas.1");
        foreach (string file in new[] { man, Path.Combine(share, "bash-completion", "completions", "pageatlas"),
                     Path.Combine(share, "zsh", "site-functions", "_pageatlas"), Path.Combine(share, "fish", "vendor_completions.d", "pageatlas.fish") })
        {
            Assert.True(File.Exists(file), $"{file} was not installed");
            Assert.True(new FileInfo(file).Length > 0, $"{file} is empty");
        }

        // -P-cbou: plain text, no overstruck bold or underline, so that words can be searched.
        var rendered = CliProcess.Run(["groff", "-man", "-ww", "-Tutf8", "-P-cbou", man]);
        Assert.True(rendered.Code == 0, rendered.Err);
        Assert.Equal("", rendered.Err);
        string page = rendered.Out;
        foreach (string section in new[] { "NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES", "SEE ALSO" })
            Assert.Contains($"\n{section}\n", page);
        string flat = string.Join(' ', page.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries));
        foreach (string command in HelpExamplesTests.Commands())
        {
            Assert.Contains($"pageatlas {command}", flat);
            foreach (string option in OptionsOf(command)) Assert.Contains(option, flat);
        }

        var answers = CompletionTests.AskBash(Path.Combine(share, "bash-completion", "completions", "pageatlas"), ["pageatlas", "ma"]);
        Assert.Equal(["maps maptest"], answers);
    }

    /// <summary>The long option names the command's help lists.</summary>
    private static IEnumerable<string> OptionsOf(string command)
    {
        var (code, help, _) = CliErrorTests.Run(command, "--help");
        Assert.Equal(0, code);
        string options = help[help.IndexOf("\nOptions:\n", StringComparison.Ordinal)..];
        return options.Split([' ', '\n', ','], StringSplitOptions.RemoveEmptyEntries).Where(w => w.StartsWith("--", StringComparison.Ordinal) && w.Length > 2);
    }
}
