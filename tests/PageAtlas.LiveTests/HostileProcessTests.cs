using System.Globalization;
using System.Text.Json;
using PageAtlas.Labs;

namespace PageAtlas.LiveTests;

/// <summary>The hostile specimen, a plain one beside it, and two snapshots of the hostile one taken with the CLI.</summary>
public sealed class HostileFixture : IDisposable
{
    public HostileProcess Hostile { get; } = new();
    public SpecimenProcess Other { get; } = Specimen.Start();
    public CliRun FirstSnapshot { get; }
    public string SnapshotA => Hostile.PathOf("a.db");
    public string SnapshotB => Hostile.PathOf("b.db");

    public HostileFixture()
    {
        FirstSnapshot = BoundedCli.Run("snapshot", Hostile.Pid.ToString(CultureInfo.InvariantCulture), "-o", SnapshotA);
        BoundedCli.Run("snapshot", Hostile.Pid.ToString(CultureInfo.InvariantCulture), "-o", SnapshotB);
    }

    public void Dispose()
    {
        Other.Dispose();
        Hostile.Dispose();
    }
}

/// <summary>
/// Every command against a process built to break it (issue 12, items 5–7): each finishes within
/// its bound (a hang is killed: <see cref="BoundedCli"/>) with exit 0, prints no raw control
/// character (C0 but \n and \t, DEL, C1) in text or JSON, fakes no line with a name's newline, and
/// gives the exact names in valid, complete JSON.
/// </summary>
public class HostileProcessTests(HostileFixture setting) : IClassFixture<HostileFixture>
{
    private HostileProcess Hostile => setting.Hostile;

    /// <summary>Replaces {pid}, {other}, {pfn}, {a}, {b} and {mapping name} in a command template.</summary>
    private string[] Expand(string template) => template.Split(' ').Select(word =>
    {
        foreach (var (name, address) in Hostile.Mappings) word = word.Replace($"{{{name}}}", $"0x{address:x}", StringComparison.Ordinal);
        return word.Replace("{pid}", Hostile.Pid.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{other}", setting.Other.Pid.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{pfn}", $"0x{Hostile.FrameOf(Hostile.Mappings["fifo"]):x}", StringComparison.Ordinal)
            .Replace("{a}", setting.SnapshotA, StringComparison.Ordinal)
            .Replace("{b}", setting.SnapshotB, StringComparison.Ordinal);
    }).ToArray();

    [Theory]
    [InlineData("maps {pid}")]
    [InlineData("translate {pid} {odd}+8K {fifo}+8K {escape}+8K {crafted}")]
    [InlineData("walk {pid} {odd}")]
    [InlineData("walk {pid} {crafted}")]
    [InlineData("pagetable {pid}")]
    [InlineData("pagetable {pid} --format dot")]
    [InlineData("pagetable {pid} --format svg")]
    [InlineData("pages {pid}")]
    [InlineData("composition {pid} --vmas")]
    [InlineData("frames")]
    [InlineData("frame {pfn}")]
    [InlineData("physmap")]
    [InlineData("share {pid} {other} --vmas")]
    [InlineData("peek {pid} {comm-text} 16 --as string")]
    [InlineData("watch {pid} --count 1")]
    [InlineData("maps --snapshot {a}")]
    [InlineData("translate --snapshot {a} {odd}+8K")]
    [InlineData("walk --snapshot {a} {odd}")]
    [InlineData("pages --snapshot {a}")]
    [InlineData("composition --snapshot {a} --vmas")]
    [InlineData("pagetable --snapshot {a}")]
    [InlineData("frame --snapshot {a} {pfn}")]
    [InlineData("diff {a} {b}")]
    public void TextOutputSurvivesAndEscapesEveryName(string template)
    {
        var run = BoundedCli.Run(Expand(template));
        AssertCleanExit(run);
        Assert.DoesNotContain("\u202e", run.Text);
        var lines = run.Text.Split('\n');
        // The name's CR LF and the file name's LF are escaped: neither starts a line of its own.
        Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("FAKE", StringComparison.Ordinal) || l.TrimStart().StartsWith("name (deleted)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("maps {pid} --json")]
    [InlineData("translate {pid} {odd}+8K {fifo}+8K {escape}+8K {crafted} --json")]
    [InlineData("walk {pid} {odd} --json")]
    [InlineData("pagetable {pid} --format json")]
    [InlineData("pages {pid} --json")]
    [InlineData("composition {pid} --vmas --json")]
    [InlineData("frames --json")]
    [InlineData("frame {pfn} --json")]
    [InlineData("physmap --json")]
    [InlineData("share {pid} {other} --vmas --json")]
    [InlineData("peek {pid} {comm-text} 16 --json")] // --as decodes text only: with --json it is refused (CliConflictTests)
    [InlineData("watch {pid} --count 1 --json")]
    [InlineData("maps --snapshot {a} --json")]
    [InlineData("walk --snapshot {a} {odd} --json")]
    [InlineData("pages --snapshot {a} --json")]
    [InlineData("composition --snapshot {a} --json")]
    [InlineData("pagetable --snapshot {a} --json")]
    [InlineData("frame --snapshot {a} {pfn} --json")]
    [InlineData("diff {a} {b} --json")]
    public void JsonOutputIsCompleteAndKeepsNamesExactly(string template)
    {
        var run = BoundedCli.Run(Expand(template));
        AssertCleanExit(run);
        var documents = template.Split(' ')[0] is "translate" or "pages" or "watch"
            ? run.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l)).ToList()
            : [JsonDocument.Parse(run.Text)];
        // Every command named in the output is one of the two processes', exactly as /proc/PID/comm has it.
        var commands = documents.SelectMany(d => Strings(d.RootElement, "command")).ToList();
        Assert.All(commands, c => Assert.Contains(c, new[] { Hostile.Command, "layout" }));
        // (watch's samples name no command.)
        if ((template.Contains("{pid}", StringComparison.Ordinal) || template.Contains("{a}", StringComparison.Ordinal)) && !template.StartsWith("watch", StringComparison.Ordinal))
            Assert.Contains(Hostile.Command, commands);
        foreach (var document in documents) document.Dispose();
    }

    [Fact]
    public void MapsShowsEveryHostileNameEscapedAndNotesTheCraftedElf()
    {
        var run = BoundedCli.Run("maps", Hostile.Pid.ToString(CultureInfo.InvariantCulture));
        AssertCleanExit(run);
        Assert.Contains(@"(\e[2J\r\nFAKE\u{202e}\x9b)", run.Text);
        Assert.Contains(@"/esc\e[2J\e]0;owned\x07\r\u{202e}\x85.bin", run.Text);
        Assert.Contains(@"/odd\xff\xfe\nname (deleted)", run.Text);
        Assert.Contains(@"/lit\012eral", run.Text);
        Assert.Contains("/fifo (deleted)", run.Text);
        var notes = run.Text.Split('\n').Where(l => l.StartsWith("note: ", StringComparison.Ordinal)).ToList();
        Assert.Contains(notes, n => n.Contains("/crafted.elf: ELF headers not used", StringComparison.Ordinal) && n.Contains("e_phoff 0xffffffffffffffc0", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.Contains("/absurd.elf: ELF headers not used: PT_LOAD 0", StringComparison.Ordinal));
    }

    [Fact]
    public void MapsJsonGivesEveryHostileNameExactly()
    {
        var run = BoundedCli.Run("maps", Hostile.Pid.ToString(CultureInfo.InvariantCulture), "--json");
        AssertCleanExit(run);
        using var document = JsonDocument.Parse(run.Text);
        var root = document.RootElement;
        Assert.Equal("\u001b[2J\r\nFAKE\u202e\u009b", root.GetProperty("command").GetString());
        var vmas = root.GetProperty("vmas").EnumerateArray().GroupBy(v => v.GetProperty("path").GetString()!).ToDictionary(g => g.Key, g => g.First());
        Assert.Contains(Hostile.PathOf("esc\u001b[2J\u001b]0;owned\a\r\u202e\u0085.bin"), vmas.Keys);
        // The kernel writes a newline as \012 and a backslash as it is: the literal name is told apart.
        Assert.Contains(Hostile.PathOf(@"lit\012eral"), vmas.Keys);
        // Bytes that are not UTF-8 become U+FFFD in JSON; " (deleted)" is the kernel's word, so the lookalike reads as deleted.
        Assert.True(vmas[Hostile.PathOf("odd\ufffd\ufffd\nname")].GetProperty("deleted").GetBoolean());
        Assert.True(vmas[Hostile.PathOf("fifo")].GetProperty("deleted").GetBoolean());
        Assert.Equal("file", vmas[Hostile.PathOf("crafted.elf")].GetProperty("class").GetProperty("kind").GetString());
        Assert.Contains("e_phoff 0xffffffffffffffc0", vmas[Hostile.PathOf("crafted.elf")].GetProperty("note").GetString());
        Assert.Equal(JsonValueKind.Null, vmas[Hostile.PathOf("fifo")].GetProperty("note").ValueKind);
    }

    [Fact]
    public void FrameFindsTheHostileMappingAcrossTheMachine()
    {
        ulong pfn = Hostile.FrameOf(Hostile.Mappings["fifo"]);
        var run = BoundedCli.Run("frame", $"0x{pfn:x}", "--json");
        AssertCleanExit(run);
        using var document = JsonDocument.Parse(run.Text);
        var mapping = Assert.Single(document.RootElement.GetProperty("mappings").EnumerateArray(), m => m.GetProperty("pid").GetInt32() == Hostile.Pid);
        Assert.Equal(Hostile.Command, mapping.GetProperty("command").GetString());
        Assert.Equal($"0x{Hostile.Mappings["fifo"]:x}", mapping.GetProperty("address").GetString());
    }

    [Fact]
    public void SnapshotOfTheHostileProcessIsWrittenCleanly()
    {
        AssertCleanExit(setting.FirstSnapshot);
        Assert.True(new FileInfo(setting.SnapshotA).Length > 0);
    }

    /// <summary>Exit 0, and not one raw control byte on stdout or stderr.</summary>
    private static void AssertCleanExit(CliRun run)
    {
        Assert.True(run.Code == 0, run.ToString());
        AssertNoRawControl(run.Out, run, "stdout");
        AssertNoRawControl(run.Err, run, "stderr");
    }

    /// <summary>
    /// No C0 control but \n and \t, no DEL, no C1 control (U+0080–U+009F, two bytes in UTF-8), no
    /// bidirectional override or isolate (U+202A–U+202E, U+2066–U+2069: three bytes from E2 80 AA).
    /// </summary>
    internal static void AssertNoRawControl(byte[] bytes, CliRun run, string stream)
    {
        for (int i = 0; i < bytes.Length; i++)
        {
            byte b = bytes[i];
            bool control = (b < 0x20 && b != (byte)'\n' && b != (byte)'\t') || b == 0x7f
                || (b == 0xc2 && i + 1 < bytes.Length && bytes[i + 1] is >= 0x80 and <= 0x9f)
                || (b == 0xe2 && i + 2 < bytes.Length && ((bytes[i + 1] == 0x80 && bytes[i + 2] is >= 0xaa and <= 0xae) || (bytes[i + 1] == 0x81 && bytes[i + 2] is >= 0xa6 and <= 0xa9)));
            if (control)
            {
                int from = Math.Max(0, i - 40);
                Assert.Fail($"{run}: raw control byte 0x{b:x2} at {i} of {stream}, after \"{System.Text.Encoding.UTF8.GetString(bytes, from, i - from)}\"");
            }
        }
    }

    /// <summary>Every string value of a property named <paramref name="name"/>, at any depth.</summary>
    private static IEnumerable<string> Strings(JsonElement element, string name)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name == name && property.Value.ValueKind == JsonValueKind.String) yield return property.Value.GetString()!;
                foreach (var inner in Strings(property.Value, name)) yield return inner;
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
                foreach (var inner in Strings(item, name)) yield return inner;
        }
    }
}
