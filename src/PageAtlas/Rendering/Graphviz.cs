using System.ComponentModel;
using System.Diagnostics;

namespace PageAtlas.Rendering;

/// <summary>
/// Renders DOT text with Graphviz's <c>dot</c> (installed by scripts/install-deps.sh): the CLI's
/// <c>--format svg</c> and the explorer's SVG export draw the same picture through it.
/// </summary>
public static class Graphviz
{
    /// <summary>Runs <c>dot -T<paramref name="format"/></c> on <paramref name="dot"/> and copies the result to <paramref name="output"/>.</summary>
    /// <exception cref="ExternalToolException">dot is missing or failed.</exception>
    public static void Render(string dot, string format, Stream output)
    {
        var start = new ProcessStartInfo("dot", ["-T" + format])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        InterruptCleanup.Registration<Process> tracked;
        try
        {
            // dot must not outlive a Ctrl+C that ends PageAtlas while it renders.
            tracked = InterruptCleanup.Track(() => Process.Start(start)!, Stop);
        }
        catch (Win32Exception)
        {
            throw new ExternalToolException("Graphviz 'dot' is not installed: run scripts/install-deps.sh (or apt-get install graphviz)");
        }
        var process = tracked.Value;
        using (tracked)
        using (process)
        {
            // Read stderr concurrently so that neither pipe fills while the other is drained.
            var errors = process.StandardError.ReadToEndAsync();
            var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
            process.StandardInput.Write(dot);
            process.StandardInput.Close();
            copy.GetAwaiter().GetResult();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                string first = errors.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "no message";
                throw new ExternalToolException($"dot -T{format} failed (exit {process.ExitCode}): {first}");
            }
        }
    }

    private static void Stop(Process process)
    {
        process.Kill();
        process.WaitForExit();
    }
}
