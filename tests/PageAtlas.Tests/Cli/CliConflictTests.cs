namespace PageAtlas.Tests.Cli;

/// <summary>
/// Options that cannot go together are refused before any work: exit 2, nothing on stdout, no file
/// written, and one line naming both options and why. Run in-process on the crafted snapshots.
/// </summary>
public class CliConflictTests(CliSnapshotFixture snapshots) : IClassFixture<CliSnapshotFixture>
{
    /// <summary>Each pair, as a user would type it ({after}: a snapshot with the machine's frames; {out}: a file that must not appear).</summary>
    public static TheoryData<string, string> Conflicts => new()
    {
        // Before: JSON written silently into x.svg.
        { "--json and --format", "pagetable --snapshot {after} --json --format svg -o {out}" },
        { "--json and --format", "pagetable --snapshot {after} --format dot --json" },
        { "--json and --top", "watch 1 --top --json" },
        { "--json and --as", "peek 1 0x1000 --as u32 --json" },
        { "--json and --output", "snapshot 1 --json -o -" },
        { "--phys and the pfn argument", "frame 0x77 --phys 0x77000 --snapshot {after}" },
        { "--phys and --snapshot", "frames --snapshot {after} --phys 0x0..0x100000" },
        // Before: --cells ignored, the saved grid drawn.
        { "--cells and --snapshot", "physmap --snapshot {after} --cells 100" },
        // Before: --max-upload silently ignored.
        { "--max-upload and --no-upload", "serve --no-upload --max-upload 1M" },
        // Before: "contradict each other", in words of its own, and only once the port was checked.
        { "--no-auth and --token-file", "exporter --no-auth --token-file {out} --port 99999" },
        // One file holds one lab's processes at one moment.
        { "the name argument and --save", "lab all --save {out}" },
    };

    [Theory]
    [MemberData(nameof(Conflicts))]
    public void ConflictingOptionsAreOneLineAndExit2(string both, string line)
    {
        string output = snapshots.PathOf($"conflict-{Guid.NewGuid():n}.out");
        var run = InProcessCli.Run(line.Replace("{after}", snapshots.After, StringComparison.Ordinal).Replace("{out}", output, StringComparison.Ordinal).Split(' '));
        Assert.Equal(2, run.Code);
        Assert.Equal("", run.Out);
        Assert.StartsWith($"pageatlas: {both} cannot be used together: ", Assert.Single(run.Err.TrimEnd('\n').Split('\n')));
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void JsonWithFormatJsonIsOneRequest()
    {
        var both = InProcessCli.Run("pagetable", "--snapshot", snapshots.Before, "--format", "json", "--json");
        Assert.True(both.Code == 0, both.Err);
        Assert.Equal(InProcessCli.Run("pagetable", "--snapshot", snapshots.Before, "--json").Out, both.Out);
    }

    [Fact]
    public void PhysTakesAPhysicalAddressOnFrameAsOnFrames()
    {
        // frame --phys ADDR is the frame holding ADDR; --phys is never a switch that changes what the argument means.
        var byAddress = InProcessCli.Run("frame", "--phys", "0x77abc", "--snapshot", snapshots.After, "--json").Json();
        Assert.Equal("0x77", byAddress.GetProperty("pfn").GetString());
        var switchAfter = InProcessCli.Run("frame", "0x77abc", "--phys", "--snapshot", snapshots.After);
        Assert.Equal(2, switchAfter.Code);
        Assert.Equal("", switchAfter.Out);
        var neither = InProcessCli.Run("frame", "--snapshot", snapshots.After);
        Assert.Equal(2, neither.Code);
        Assert.StartsWith("pageatlas: missing <pfn> (usage: pageatlas frame <pfn>", neither.Err);
    }
}

/// <summary>
/// The options #16's text tables bring (--wide, --bytes, --pages) are refused with --json, and --bytes
/// with --pages, by name, on whichever command has them: a command made here with them stands for it.
/// </summary>
public class TextOptionConflictTests
{
    [Theory]
    [InlineData("--json and --wide", "--json", "--wide")]
    [InlineData("--json and --bytes", "--json", "--bytes")]
    [InlineData("--json and --pages", "--pages", "--json")]
    [InlineData("--bytes and --pages", "--bytes", "--pages")]
    public void TextOptionsConflictByName(string both, params string[] args)
    {
        var command = new System.CommandLine.Command("table")
        {
            new System.CommandLine.Option<bool>("--json"), new System.CommandLine.Option<bool>("--wide"),
            new System.CommandLine.Option<bool>("--bytes"), new System.CommandLine.Option<bool>("--pages"),
        };
        var refused = Assert.Throws<InvalidRequestException>(() => PageAtlas.Cli.OptionConflicts.Check(command.Parse(args)));
        Assert.StartsWith($"{both} cannot be used together: ", refused.Message);
        PageAtlas.Cli.OptionConflicts.Check(command.Parse(["--wide", "--pages"])); // together, for text, they are one request
    }
}
