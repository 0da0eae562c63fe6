using System.Globalization;
using System.Text.Json;

namespace PageAtlas.LiveTests;

/// <summary>
/// One defect of issue 12 at a time, each in a process with a plain name: a FIFO where a deleted
/// mapping's file was (opening it by name blocked every command and frame machine-wide), and a crafted
/// ELF whose program header offset wraps (maps failed).
/// </summary>
public class HostileFileTests
{
    [Fact]
    public void AFifoAtADeletedMappingsPathHangsNoCommand()
    {
        using var hostile = new HostileProcess("fifo");
        string pid = hostile.Pid.ToString(CultureInfo.InvariantCulture);
        foreach (var args in new[] { ["maps", pid], ["composition", pid], ["walk", pid, $"0x{hostile.Mappings["fifo"]:x}"], new[] { "frame", $"0x{hostile.FrameOf(hostile.Mappings["link"]):x}" } })
        {
            var run = BoundedCli.Run(args);
            Assert.True(run.Code == 0, run.ToString());
        }
        // The path still names a FIFO, as stat(1) sees it.
        Assert.Equal("fifo", FileType(hostile.PathOf("fifo")));
    }

    [Fact]
    public void ACraftedElfIsANoteOnItsVmaNotAFailedCommand()
    {
        using var hostile = new HostileProcess("elf");
        var run = BoundedCli.Run("maps", hostile.Pid.ToString(CultureInfo.InvariantCulture), "--json");
        Assert.True(run.Code == 0, run.ToString());
        using var document = JsonDocument.Parse(run.Text);
        var crafted = document.RootElement.GetProperty("vmas").EnumerateArray().Single(v => v.GetProperty("path").GetString() == hostile.PathOf("crafted.elf"));
        Assert.Equal("file", crafted.GetProperty("class").GetProperty("kind").GetString());
        Assert.Contains("lie beyond the end of the file", crafted.GetProperty("note").GetString());
    }

    private static string FileType(string path)
    {
        using var stat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%F", path]) { RedirectStandardOutput = true })!;
        string type = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        return type;
    }
}
