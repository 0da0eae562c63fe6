namespace PageAtlas.LiveTests;

/// <summary>
/// `pageatlas completion bash|zsh|fish` asked in the real shells: bash's function called with
/// COMP_WORDS/COMP_CWORD, zsh's with words/CURRENT (compsys's _describe, compadd and _files replaced
/// by functions that print what they were given: completion widgets need a terminal), fish's rules
/// through `complete -C`. Each offers commands, an option, a fixed value set, and the pid of a
/// running specimen (with its name where the shell shows descriptions).
/// </summary>
public sealed class CompletionTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pageatlas-completion").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Script(string shell)
    {
        var (code, script, stderr) = CliErrorTests.Run("completion", shell);
        Assert.True(code == 0, stderr);
        string path = Path.Combine(_directory, $"pageatlas.{shell}");
        File.WriteAllText(path, script);
        return path;
    }

    /// <summary>Runs <paramref name="script"/> in bash, after sourcing <paramref name="completion"/> and defining ask WORD…, which prints COMPREPLY.</summary>
    internal static string[] AskBash(string completion, params string[][] questions)
    {
        string script = $"source '{completion}'\n"
            + "ask() { COMP_WORDS=(\"$@\"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=(); _pageatlas; echo \"${COMPREPLY[*]}\"; }\n"
            + string.Join("", questions.Select(q => "ask " + string.Join(' ', q.Select(w => $"'{w}'")) + "\n"));
        var (code, stdout, stderr) = CliProcess.Run(["bash", "-c", script]);
        Assert.True(code == 0 && stderr.Length == 0, stderr);
        return stdout.TrimEnd('\n').Split('\n');
    }

    [Fact]
    public void BashOffersCommandsOptionsValuesAndPids()
    {
        using var specimen = Specimen.Start();
        string pid = $"{specimen.Pid}";
        var answers = AskBash(Script("bash"),
            ["pageatlas", "ma"], ["pageatlas", "maps", "--js"], ["pageatlas", "pagetable", "1", "--format", ""],
            ["pageatlas", "maps", pid], ["pageatlas", "peek", "-p", pid], ["pageatlas", "lab", "fork"], ["pageatlas", "ps", "--sort", "u"],
            ["pageatlas", "share", "1", pid]);
        Assert.Equal(["maps maptest", "--json", "dot json svg text", "fork-cow", "uss"], answers.Where((_, i) => i is not (3 or 4 or 7)).Select(a => a.Trim()));
        // A pid is completed as a prefix: another running process whose pid begins with the specimen's
        // (2345 and 23456) is rightly offered too, and may start or end at any moment.
        foreach (var offered in new[] { answers[3], answers[4], answers[7] }.Select(a => a.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
        {
            Assert.Contains(pid, offered);
            Assert.All(offered, p => Assert.StartsWith(pid, p, StringComparison.Ordinal));
        }
    }

    [SkippableFact]
    public void ZshOffersTheSameWithDescriptions()
    {
        Skip.If(!File.Exists("/usr/bin/zsh") && !File.Exists("/bin/zsh"), "zsh is not installed (scripts/install-deps.sh installs it)");
        using var specimen = Specimen.Start();
        string pid = $"{specimen.Pid}";
        string script = "compdef() { : }\n"
            + $"source '{Script("zsh")}'\n"
            + "_describe() { local -a items; items=(\"${(@P)${@[-1]}}\"); print -rl -- \"$3\" \"${items[@]}\" }\n"
            + "compadd() { print -r -- \"compadd $*\" }\n_files() { print -r -- files }\n"
            + "ask() { words=(\"$@\"); CURRENT=${#words}; _pageatlas; print -r -- '--' }\n"
            + $"ask pageatlas ma\nask pageatlas maps --js\nask pageatlas pagetable 1 --format ''\nask pageatlas maps ''\nask pageatlas maps --snapshot ''\n";
        var (code, stdout, stderr) = CliProcess.Run(["zsh", "-f", "-c", script]);
        Assert.True(code == 0, stderr);
        var answers = stdout.Split("--\n");
        Assert.StartsWith("command\n", answers[0]);
        Assert.Contains("\nmaps:Where is this process's memory?\n", answers[0]);
        Assert.Contains("\n--json:", answers[1]);
        Assert.Equal("compadd -- dot json svg text\n", answers[2]);
        Assert.Contains($"\n{pid}:layout\n", answers[3]);
        Assert.Equal("files\n", answers[4]);
    }

    [SkippableFact]
    public void FishOffersTheSameWithDescriptions()
    {
        Skip.If(!File.Exists("/usr/bin/fish"), "fish is not installed (scripts/install-deps.sh installs it)");
        using var specimen = Specimen.Start();
        string pid = $"{specimen.Pid}";
        string script = $"source '{Script("fish")}'\n"
            + string.Join("", new[] { "pageatlas ma", "pageatlas maps --js", "pageatlas pagetable 1 --format ", $"pageatlas maps {pid}", "pageatlas lab fork" }
                .Select(q => $"complete -C'{q}'; echo ==\n"));
        var (code, stdout, stderr) = CliProcess.Run(["fish", "--no-config", "-c", script]);
        Assert.True(code == 0 && stderr.Length == 0, stderr);
        var answers = stdout.Split("==\n");
        Assert.Equal(["maps", "maptest"], Words(answers[0]));
        Assert.StartsWith("maps\tWhere is this process's memory?", answers[0]);
        Assert.Equal(["--json"], Words(answers[1]));
        Assert.Equal(["dot", "json", "svg", "text"], Words(answers[2]).Order());
        Assert.Contains($"{pid}\tlayout\n", answers[3]);
        Assert.Equal(["fork-cow"], Words(answers[4]));
    }

    private static string[] Words(string answer) => [.. answer.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')[0])];
}
