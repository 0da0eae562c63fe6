using System.Diagnostics;
using System.Globalization;

namespace PageAtlas.Labs;

/// <summary>
/// A running specimen program (specimens/*.c, built into specimens/out/): started with arguments,
/// read until it prints "ready", its "name 0xADDRESS [value]" lines kept as facts; commands are
/// written to its standard input and answered with one line. Disposing stops it the way it expects
/// — its input closes, and it removes what it made (the sharer's System V segment and POSIX shared
/// memory object) and exits — and kills it only if it lingers; a signal that ends PageAtlas stops
/// it the same way (<see cref="InterruptCleanup"/>).
/// </summary>
public sealed class SpecimenProcess : IDisposable
{
    /// <summary>How long a specimen whose input closed gets to exit before it is killed.</summary>
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(5);

    private readonly InterruptCleanup.Registration<Process> _registration;
    private readonly Process _process;
    private readonly Dictionary<string, (ulong Address, long Value)> _facts = [];
    private readonly List<string> _lines = [];

    private SpecimenProcess(InterruptCleanup.Registration<Process> registration)
    {
        _registration = registration;
        _process = registration.Value;
    }

    /// <summary>The specimen's pid.</summary>
    public int Pid => _process.Id;

    /// <summary>Every line printed before "ready".</summary>
    public IReadOnlyList<string> Lines => _lines;

    /// <summary>
    /// Where the specimen programs are: $PAGEATLAS_SPECIMENS; beside an installed pageatlas, in
    /// ../lib/pageatlas/specimens (where scripts/install.sh puts them, so labs run from any directory);
    /// or specimens/out in the repository above this program.
    /// </summary>
    /// <exception cref="ExternalToolException">They are not built.</exception>
    public static string Locate(string name)
    {
        if (Environment.GetEnvironmentVariable("PAGEATLAS_SPECIMENS") is { Length: > 0 } configured && File.Exists(Path.Combine(configured, name)))
            return Path.Combine(configured, name);
        string installed = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "lib", "pageatlas", "specimens", name));
        if (File.Exists(installed)) return installed;
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "specimens", "out", name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new ExternalToolException($"the specimen program '{name}' is not installed beside pageatlas ({Path.GetDirectoryName(installed)}): run scripts/install.sh, or scripts/build-specimens.sh and set PAGEATLAS_SPECIMENS to specimens/out");
    }

    /// <summary>Starts specimen <paramref name="name"/> and waits for "ready".</summary>
    /// <exception cref="ExternalToolException">It exited or printed an error before "ready".</exception>
    public static SpecimenProcess Start(string name, params string[] arguments)
    {
        var info = new ProcessStartInfo(Locate(name))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        var specimen = new SpecimenProcess(InterruptCleanup.Track(() => Process.Start(info)!, Stop));
        try
        {
            specimen.ReadUntilReady();
            return specimen;
        }
        catch
        {
            specimen.Dispose();
            throw;
        }
    }

    /// <summary>The address of a fact line ("heap 0x5566… 8").</summary>
    public ulong this[string fact] => _facts.TryGetValue(fact, out var f) ? f.Address
        : throw new KeyNotFoundException($"the specimen printed no '{fact}' line");

    /// <summary>The value after a fact's address (or the number after its name when there is no address).</summary>
    public long Value(string fact) => _facts[fact].Value;

    /// <summary>The fields of the first line starting with <paramref name="name"/>.</summary>
    public string[] Line(string name) => _lines.First(l => l.StartsWith(name + " ", StringComparison.Ordinal)).Split(' ');

    /// <summary>Sends a command and returns its one-line answer.</summary>
    public string Command(string line)
    {
        _process.StandardInput.WriteLine(line);
        _process.StandardInput.Flush();
        return _process.StandardOutput.ReadLine() ?? throw new ExternalToolException($"specimen {Pid} exited instead of answering '{line}'");
    }

    private void ReadUntilReady()
    {
        var reader = _process.StandardOutput;
        var timeout = Task.Delay(TimeSpan.FromSeconds(30));
        while (true)
        {
            var next = reader.ReadLineAsync();
            if (Task.WaitAny(next, timeout) == 1) throw new ExternalToolException($"specimen {Pid} did not become ready within 30 s");
            string? line = next.Result;
            if (line is null) throw new ExternalToolException($"specimen exited before it was ready: {_process.StandardError.ReadToEnd().Trim()}");
            if (line == "ready") return;
            _lines.Add(line);
            var fields = line.Split(' ');
            if (fields.Length >= 2 && fields[1].StartsWith("0x", StringComparison.Ordinal)
                && ulong.TryParse(fields[1].AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong address))
            {
                long value = fields.Length > 2 && long.TryParse(fields[2], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v) ? v : 0;
                _facts[fields[0]] = (address, value);
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _registration.Dispose();
        Stop(_process);
        _process.Dispose();
    }

    /// <summary>Closes the specimen's input, so that it cleans up and exits; kills it if it has not within <see cref="ExitGrace"/>.</summary>
    private static void Stop(Process process)
    {
        try
        {
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // Its end of the pipe is gone already: it has exited.
        }
        try
        {
            if (process.WaitForExit(ExitGrace)) return;
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
        catch (InvalidOperationException)
        {
            // It had already gone.
        }
    }
}
