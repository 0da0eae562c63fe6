using System.Diagnostics;
using System.Globalization;

namespace PageAtlas.Labs;

/// <summary>
/// A running specimen program (specimens/*.c, built into specimens/out/): started with arguments,
/// read until it prints "ready" (what it printed before kept as <see cref="Lines"/>, <see cref="Facts"/>
/// and <see cref="Threads"/>); commands are written to its standard input and answered with one
/// line. The one launcher of this protocol, for the labs, the live tests and the benchmarks.
/// Stopping it (<see cref="Exit"/>, or disposing) is done the way it expects — its input closes, and
/// it removes what it made (the sharer's System V segment, POSIX shared memory objects, the forked
/// child) and exits — and it is killed only if it lingers; a signal that ends PageAtlas stops it the
/// same way (<see cref="InterruptCleanup"/>). A start that fails leaves no process behind.
/// </summary>
public sealed class SpecimenProcess : IDisposable
{
    /// <summary>How long a specimen whose input closed gets to exit before it is killed.</summary>
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a specimen gets to print "ready" or answer a command: a bound on a hang, generous
    /// because some touch gigabytes or make tens of thousands of mappings first on a shared machine.
    /// </summary>
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromMinutes(2);

    private readonly InterruptCleanup.Registration<Process> _registration;
    private readonly Process _process;
    private readonly SpecimenOutput _output = new();

    private SpecimenProcess(InterruptCleanup.Registration<Process> registration)
    {
        _registration = registration;
        _process = registration.Value;
    }

    /// <summary>The specimen's pid.</summary>
    public int Pid => _process.Id;

    /// <summary>Every line printed before "ready".</summary>
    public IReadOnlyList<string> Lines => _output.Lines;

    /// <summary>The fact lines printed before "ready" ("heap 0x5566… 8"), by name: address and value (0 when none).</summary>
    public IReadOnlyDictionary<string, (ulong Address, long Value)> Facts => _output.Facts;

    /// <summary>The threads the specimen reported before "ready".</summary>
    public IReadOnlyList<SpecimenThread> Threads => _output.Threads;

    /// <summary>
    /// Where the specimen programs are: $PAGEATLAS_SPECIMENS; beside an installed pageatlas, in
    /// ../lib/pageatlas/specimens (where scripts/install.sh puts them, so labs run from any directory);
    /// or specimens/out in the repository above this program.
    /// </summary>
    /// <exception cref="ExternalToolException">They are not built.</exception>
    public static string Locate(string name) => Locate(name, Environment.GetEnvironmentVariable("PAGEATLAS_SPECIMENS"), AppContext.BaseDirectory);

    /// <summary>
    /// <see cref="Locate(string)"/> with the variable's value and the program's directory given. A
    /// directory the user named is the only place looked in: running other programs than the ones
    /// named (the installed ones) would hide the mistake, and the error would name a directory the
    /// user never chose.
    /// </summary>
    internal static string Locate(string name, string? configured, string programDirectory)
    {
        if (configured is { Length: > 0 })
        {
            string chosen = Path.GetFullPath(Path.Combine(configured, name));
            return File.Exists(chosen) ? chosen
                : throw new ExternalToolException($"the specimen program '{name}' is not in PAGEATLAS_SPECIMENS ({Path.GetDirectoryName(chosen)}): set it to a directory scripts/build-specimens.sh filled (specimens/out), or unset it to use the installed ones");
        }
        string installed = Path.GetFullPath(Path.Combine(programDirectory, "..", "lib", "pageatlas", "specimens", name));
        if (File.Exists(installed)) return installed;
        for (var directory = new DirectoryInfo(programDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = Path.Combine(directory.FullName, "specimens", "out", name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new ExternalToolException($"the specimen program '{name}' is not installed beside pageatlas ({Path.GetDirectoryName(installed)}): run scripts/install.sh, or scripts/build-specimens.sh and set PAGEATLAS_SPECIMENS to specimens/out");
    }

    /// <summary>Starts specimen <paramref name="program"/> (see <see cref="Locate(string)"/>) and waits for "ready".</summary>
    /// <exception cref="ExternalToolException">It is not installed, or it exited, printed an error or hung before "ready".</exception>
    public static SpecimenProcess Start(string program, params string[] arguments) => StartFile(Locate(program), arguments);

    /// <summary>
    /// Starts a copy of specimen <paramref name="program"/> named <paramref name="commandName"/>, so
    /// that its command name (comm) is that name, and waits for "ready"; the copy, in a private
    /// directory of its own, is removed once it runs.
    /// </summary>
    /// <exception cref="ExternalToolException">As <see cref="Start"/>.</exception>
    public static SpecimenProcess StartNamed(string commandName, string program, params string[] arguments)
    {
        if (commandName.Length == 0 || commandName.Contains('/', StringComparison.Ordinal) || commandName.Contains('\0', StringComparison.Ordinal))
            throw new ArgumentException($"'{commandName}' cannot name a file", nameof(commandName));
        var directory = Directory.CreateTempSubdirectory("pageatlas-named-");
        try
        {
            string copy = Path.Combine(directory.FullName, commandName);
            File.Copy(Locate(program), copy);
            return StartFile(copy, arguments);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static SpecimenProcess StartFile(string path, string[] arguments)
    {
        var info = new ProcessStartInfo(path)
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
    public ulong this[string fact] => Facts.TryGetValue(fact, out var f) ? f.Address
        : throw new KeyNotFoundException($"the specimen printed no '{fact}' line");

    /// <summary>The value after a fact's address.</summary>
    public long Value(string fact) => Facts.TryGetValue(fact, out var f) ? f.Value
        : throw new KeyNotFoundException($"the specimen printed no '{fact}' line");

    /// <summary>The fields of the first line starting with <paramref name="name"/>.</summary>
    public string[] Line(string name) => Lines.First(l => l.StartsWith(name + " ", StringComparison.Ordinal)).Split(' ');

    /// <summary>Sends a command and returns its one-line answer.</summary>
    /// <exception cref="ExternalToolException">It exited or did not answer in time.</exception>
    public string Command(string line)
    {
        _process.StandardInput.WriteLine(line);
        _process.StandardInput.Flush();
        return ReadLine($"answer '{line}'") ?? throw new ExternalToolException($"specimen {Pid} exited instead of answering '{line}'");
    }

    /// <summary>The <paramref name="length"/> bytes at <paramref name="address"/> as the specimen itself reads them (layout's "dump" command).</summary>
    /// <exception cref="ExternalToolException">It answered something else.</exception>
    public byte[] Dump(ulong address, int length)
    {
        string answer = Command($"dump {address:x} {length}");
        var fields = answer.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields is not ["dump", ..] || fields.Length != length + 1)
            throw new ExternalToolException($"specimen {Pid} answered a dump of {length} bytes with '{answer}'");
        return [.. fields.Skip(1).Select(h => Convert.ToByte(h, 16))];
    }

    /// <summary>Closes the specimen's input, so that it cleans up and returns from main, and waits for it (killing it if it lingers).</summary>
    public void Exit() => Stop(_process);

    /// <summary>Kills the specimen and what it started at once, without letting it clean up, and waits for it.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        catch (InvalidOperationException)
        {
            // It had already gone.
        }
    }

    private void ReadUntilReady()
    {
        while (ReadLine("become ready") is { } line)
        {
            if (line == "ready") return;
            _output.Add(line);
        }
        throw new ExternalToolException($"specimen exited before it was ready: {_process.StandardError.ReadToEnd().Trim()}");
    }

    /// <summary>The specimen's next line, or null at its end; bounded by <see cref="AnswerTimeout"/>.</summary>
    private string? ReadLine(string waitingFor)
    {
        var next = _process.StandardOutput.ReadLineAsync();
        if (!next.Wait(AnswerTimeout))
            throw new ExternalToolException($"specimen {Pid} did not {waitingFor} within {AnswerTimeout.TotalSeconds:0} s");
        return next.Result;
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
