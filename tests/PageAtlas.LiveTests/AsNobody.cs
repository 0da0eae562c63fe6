using System.Diagnostics;

namespace PageAtlas.LiveTests;

/// <summary>User nobody (65534) with no groups and no capabilities: how tests run PageAtlas unprivileged, and a process of nobody's own for it to look at.</summary>
internal static class AsNobody
{
    /// <summary>The command prefix (setpriv) that runs what follows as nobody.</summary>
    public static readonly string[] Prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all"];

    /// <summary>
    /// Starts <c>sleep</c> as nobody and returns once the pid is nobody's sleep: until setpriv has
    /// dropped to nobody and exec'ed sleep it is root's setpriv, and a command run as nobody would be
    /// refused that process (exit 5) before it came to what the test asks. The caller kills it.
    /// </summary>
    public static Process StartSleep()
    {
        var info = new ProcessStartInfo(Prefix[0]) { UseShellExecute = false, RedirectStandardInput = true };
        foreach (var argument in Prefix.Skip(1)) info.ArgumentList.Add(argument);
        info.ArgumentList.Add("/bin/sleep");
        info.ArgumentList.Add("600");
        var sleeper = Process.Start(info)!;
        var clock = Stopwatch.StartNew();
        while (Comm(sleeper.Id) != "sleep\n" && clock.Elapsed < TimeSpan.FromSeconds(60)) Thread.Sleep(10);
        Assert.Equal("sleep\n", Comm(sleeper.Id));
        return sleeper;
    }

    private static string Comm(int pid) => File.Exists($"/proc/{pid}/comm") ? File.ReadAllText($"/proc/{pid}/comm") : "";
}
