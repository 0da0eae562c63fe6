using System.Diagnostics;

namespace PageAtlas.LiveTests;

/// <summary>
/// A pageatlas process a test starts and controls while it runs: signals it, reads its output as it
/// comes, and waits for it within a bound (a command that hangs fails the test instead of the suite).
/// </summary>
internal sealed class RunningCli : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    private RunningCli(Process process, bool readStdout)
    {
        _process = process;
        _stdout = readStdout ? process.StandardOutput.ReadToEndAsync() : Task.FromResult("");
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Standard output, for a test that reads it line by line (started with readStdout: false).</summary>
    public StreamReader StandardOutput => _process.StandardOutput;

    /// <summary>Starts pageatlas with <paramref name="args"/>; <paramref name="environment"/> adds or replaces variables.</summary>
    public static RunningCli Start(string[] args, Dictionary<string, string>? environment = null, bool readStdout = true)
    {
        var info = CliProcess.PageAtlasStartInfo(args);
        foreach (var (name, value) in environment ?? []) info.Environment[name] = value;
        return new RunningCli(Process.Start(info)!, readStdout);
    }

    /// <summary>
    /// Starts a server (pageatlas serve, exporter) and waits for the one line it prints once it
    /// listens; 60 s is a bound on a hang, not a timing assert.
    /// </summary>
    public static (RunningCli Cli, string Line) StartServer(string[] args, Dictionary<string, string>? environment = null)
    {
        var cli = Start(args, environment, readStdout: false);
        var line = cli.StandardOutput.ReadLineAsync();
        if (!line.Wait(TimeSpan.FromSeconds(60)) || line.Result is not { } text)
        {
            cli.Dispose();
            throw new InvalidOperationException($"pageatlas {args[0]} printed no URL in 60 s");
        }
        return (cli, text);
    }

    /// <summary>Runs pageatlas to its end, failing the test if it takes longer than <paramref name="bound"/>.</summary>
    public static (int Code, string Out, string Err) Run(TimeSpan bound, string[] args, Dictionary<string, string>? environment = null)
    {
        using var cli = Start(args, environment);
        return cli.Wait(bound);
    }

    /// <summary>Sends signal <paramref name="signal"/> (kill(1) numbering) to the process.</summary>
    public void Signal(int signal) => SendSignal(Pid, signal);

    /// <summary>Sends a signal to any process with kill(1), an independent tool.</summary>
    public static void SendSignal(int pid, int signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString()])!;
        kill.WaitForExit();
    }

    /// <summary>Waits for the exit; a process still running after <paramref name="bound"/> is killed and the test fails.</summary>
    public (int Code, string Out, string Err) Wait(TimeSpan bound)
    {
        if (!_process.WaitForExit(bound))
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
            Assert.Fail($"pageatlas did not end within {bound.TotalSeconds} s");
        }
        _process.WaitForExit();
        return (_process.ExitCode, _stdout.Result, _stderr.Result);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }
}
