using System.Diagnostics;
using System.Text;

namespace PageAtlas.LiveTests;

/// <summary>What one run of the CLI gave: exit code and the raw bytes of stdout and stderr.</summary>
public sealed record CliRun(string[] Arguments, int Code, byte[] Out, byte[] Err)
{
    public string Text => Encoding.UTF8.GetString(Out);
    public string Error => Encoding.UTF8.GetString(Err);
    public override string ToString() => $"pageatlas {string.Join(' ', Arguments)} (exit {Code}): {Error}";
}

/// <summary>
/// Runs the CLI with a time bound: a command that hangs (a FIFO opened for reading blocks until a
/// writer comes) is killed, and the test fails saying which. The bound is on a hang, never a timing
/// assert: `frames` and `frame` read every frame or every process of the machine, which on a loaded
/// 2-core machine takes well over the 20 s this once was. Output is kept as bytes, so that a raw
/// control byte cannot hide in a decoding.
/// </summary>
public static class BoundedCli
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(120);

    public static CliRun Run(params string[] args)
    {
        using var process = Process.Start(CliProcess.PageAtlasStartInfo(args))!;
        process.StandardInput.Close();
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        var copies = Task.WhenAll(process.StandardOutput.BaseStream.CopyToAsync(stdout), process.StandardError.BaseStream.CopyToAsync(stderr));
        if (!process.WaitForExit(Bound))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"pageatlas {string.Join(' ', args)} did not finish within {Bound.TotalSeconds} s (killed)");
        }
        copies.Wait(Bound);
        return new CliRun(args, process.ExitCode, stdout.ToArray(), stderr.ToArray());
    }
}
