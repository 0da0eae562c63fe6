using System.Diagnostics;
using System.Globalization;

namespace PageAtlas.Bench;

/// <summary>Runs bench/out/walk (the C reference) and reads its one-line result.</summary>
internal static class Reference
{
    public static (ulong Present, ulong MapSum, double Seconds) Run(string root, int pid, int repeats)
    {
        var info = new ProcessStartInfo(Path.Combine(root, "bench", "out", "walk"), [pid.ToString(CultureInfo.InvariantCulture), repeats.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
        };
        using var process = Process.Start(info)!;
        var f = process.StandardOutput.ReadToEnd().Split(' ', StringSplitOptions.TrimEntries);
        process.WaitForExit();
        return (ulong.Parse(f[1], CultureInfo.InvariantCulture), ulong.Parse(f[5], CultureInfo.InvariantCulture), double.Parse(f[7], CultureInfo.InvariantCulture));
    }
}
