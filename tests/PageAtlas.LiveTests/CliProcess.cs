using System.Diagnostics;

namespace PageAtlas.LiveTests;

/// <summary>Runs a command line to its end and collects its exit code, stdout and stderr.</summary>
internal static class CliProcess
{
    /// <param name="command">The program and its arguments.</param>
    /// <param name="input">Written to its stdin, which is then closed; null leaves stdin alone.</param>
    /// <param name="environment">Variables to set (a null value removes one).</param>
    /// <param name="workingDirectory">Where it runs; null: here.</param>
    public static (int Code, string Out, string Err) Run(IReadOnlyList<string> command, string? input = null,
        IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var a in command.Skip(1)) info.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) info.Environment.Remove(name);
            else info.Environment[name] = value;
        }
        using var process = Process.Start(info)!;
        if (input is not null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr);
    }

    /// <summary>
    /// How a test starts the JIT build of pageatlas: `dotnet PageAtlas.Cli.dll ARGS`, after
    /// <paramref name="prefix"/> (a wrapper such as /usr/bin/time), stdout and stderr redirected (and
    /// stdin when asked), with the SDK's first-run chatter off.
    /// </summary>
    public static ProcessStartInfo PageAtlasStartInfo(IEnumerable<string> args, IEnumerable<string>? prefix = null, bool redirectInput = true)
    {
        string[] command = [.. prefix ?? [], "dotnet", CliErrorTests.CliDll, .. args];
        var info = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        foreach (var a in command.Skip(1)) info.ArgumentList.Add(a);
        info.Environment["DOTNET_CLI_HOME"] = Path.GetTempPath();
        info.Environment["DOTNET_NOLOGO"] = "1";
        return info;
    }
}
