using System.Diagnostics;
using System.Globalization;

namespace PageAtlas.LiveTests;

/// <summary>What a bounded run of the CLI did.</summary>
/// <param name="Code">Its exit code.</param>
/// <param name="Out">Its standard output.</param>
/// <param name="Err">Its standard error.</param>
/// <param name="PeakKilobytes">Its peak resident set size, as wait4 reports it to GNU time.</param>
/// <param name="TimedOut">It outlived the bound and was killed.</param>
internal sealed record BoundedRun(int Code, string Out, string Err, long PeakKilobytes, bool TimedOut);

/// <summary>Runs the CLI under /usr/bin/time, killed (with its children) if it outlives a bound: a hang is a result, not a stuck test.</summary>
internal static class MeasuredCli
{
    public static BoundedRun Run(TimeSpan bound, params string[] args)
    {
        string stats = Path.GetTempFileName();
        try
        {
            using var process = Process.Start(CliProcess.PageAtlasStartInfo(args, ["/usr/bin/time", "-f", "%M", "-o", stats], redirectInput: false))!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            bool finished = process.WaitForExit(bound);
            if (!finished) process.Kill(entireProcessTree: true);
            process.WaitForExit();
            // GNU time writes "Command exited with non-zero status N" before the figure when the command failed.
            string peak = File.ReadAllLines(stats).LastOrDefault(l => l.Length > 0) ?? "";
            return new BoundedRun(process.ExitCode, stdout.Result, stderr.Result,
                long.TryParse(peak, NumberStyles.None, CultureInfo.InvariantCulture, out long kb) ? kb : -1, !finished);
        }
        finally
        {
            File.Delete(stats);
        }
    }
}
