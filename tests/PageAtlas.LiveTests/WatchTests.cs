using System.Diagnostics;
using System.Text.Json;
using PageAtlas.Labs;

namespace PageAtlas.LiveTests;

/// <summary>watch follows a process live and ends cleanly when it exits.</summary>
public class WatchTests
{
    [SkippableFact]
    public async Task WatchSeesTheHeapGrowThenAPageArriveThenTheProcessExit()
    {
        var lazy = SpecimenProcess.Start("lazy");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "PageAtlas.Cli.dll"), "watch", lazy.Pid.ToString(), "--interval", "50ms", "--json" })
            info.ArgumentList.Add(a);
        using var watch = Process.Start(info)!;
        var lines = new List<JsonElement>();
        var reader = Task.Run(() =>
        {
            while (watch.StandardOutput.ReadLine() is { } line) lock (lines) lines.Add(JsonDocument.Parse(line).RootElement.Clone());
        });
        int Samples() { lock (lines) return lines.Count; }
        void WaitForSamples(int more)
        {
            int target = Samples() + more;
            for (int i = 0; i < 400 && Samples() < target; i++) Thread.Sleep(25);
        }

        WaitForSamples(2);
        var grown = lazy.Command("sbrk 16").Split(' ');
        WaitForSamples(3);
        ulong written = Convert.ToUInt64(grown[1], 16) + 3 * 4096;
        lazy.Command($"write 0x{written:x}");
        WaitForSamples(3);
        lazy.Dispose();
        Assert.True(watch.WaitForExit(10_000), "watch did not end when the process exited");
        await reader;

        Assert.Equal(0, watch.ExitCode);
        Assert.Contains("exited", watch.StandardError.ReadToEnd());
        JsonElement[] samples;
        lock (lines) samples = lines.ToArray();
        // The heap appears (sbrk on a fresh process creates it) with no page present...
        var heapChanges = samples.SelectMany(s => s.GetProperty("changes").EnumerateArray())
            .Where(c => c.GetProperty("vma").GetProperty("class").GetProperty("kind").GetString() == "heap").ToArray();
        Assert.Contains(heapChanges, c => c.GetProperty("change").GetString() is "new" or "grown" && c.GetProperty("present").GetInt64() == 0);
        // ...then exactly one page of it arrives, the one written.
        var arrival = Assert.Single(heapChanges, c => c.GetProperty("becamePresent").GetInt64() > 0);
        Assert.Equal(1, arrival.GetProperty("becamePresent").GetInt64());
        Assert.Equal(1, arrival.GetProperty("present").GetInt64());
        // The break reported is the heap's end.
        Assert.Contains(samples, s => Convert.ToUInt64(s.GetProperty("break").GetString(), 16) == Convert.ToUInt64(grown[3], 16));
    }
}
