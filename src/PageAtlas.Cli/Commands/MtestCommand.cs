using PageAtlas.Cli.Rendering;
using System.CommandLine;
using PageAtlas.Cli.Help;
using System.Globalization;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;

namespace PageAtlas.Cli.Commands;

/// <summary>
/// pageatlas mtest: seed 002's /proc/mtest protocol on stdin, one answer line per command.
/// "r PID ADDR" reads a byte, "w PID ADDR BYTE" writes one (ADDR and BYTE hexadecimal, as in the
/// seed; PID decimal, as everywhere else on Linux). Writes need --yes on the command line.
/// </summary>
internal static class MtestCommand
{
    public static Command Create(CliConsole console)
    {
        var yes = new Option<bool>("--yes") { Description = "Allow the w commands to write (nothing is written without it)" };
        var force = new Option<bool>("--force") { Description = "Allow writing into pid 1 or into pageatlas itself" };
        var json = CommonOptions.Json();
        var command = new Command("mtest", "Read and write single bytes of processes, one command per line on standard input: 'r <pid> <address>' reads a byte, 'w <pid> <address> <byte>' writes one (addresses and bytes in hexadecimal; w needs --yes)") { yes, force, json };
        CommandExamples.Add(command,
            ("echo 'r 1234 0x7f12a4c00000' | pageatlas mtest", "the byte at that address of process 1234"),
            ("printf 'w 1234 0x7f12a4c00000 41\\nr 1234 0x7f12a4c00000\\n' | pageatlas mtest --yes", "write 41 there, then read it back"));
        command.SetHandler((result, token) =>
        {
            bool mayWrite = result.GetValue(yes), forced = result.GetValue(force);
            using var lines = result.GetValue(json) ? console.OpenOutput() : null;
            int worst = ExitCodes.Ok;
            while (console.In.ReadLine() is { } line)
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length == 0 || fields[0].StartsWith('#')) continue;
                try
                {
                    var (read, written) = Answer(fields, mayWrite, forced);
                    if (lines is not null)
                        CommonOptions.WriteJsonLine(lines, w => { if (read is not null) MtestJson.WriteRead(w, line, read); else MtestJson.WriteWritten(w, line, written!); });
                    else console.Out.WriteLine(read is not null ? MtestText.Read(read) : MtestText.Written(written!));
                }
                catch (PageAtlasException e)
                {
                    int code = ErrorReporter.CodeFor(e);
                    if (lines is not null) CommonOptions.WriteJsonLine(lines, w => MtestJson.WriteError(w, line, e.Message, code));
                    else console.Out.WriteLine(MtestText.Error(e));
                    if (worst == ExitCodes.Ok) worst = code;
                }
                console.Out.Flush();
            }
            return worst;
        });
        return command;
    }

    /// <summary>Reads or writes the byte a request names: the read's report, or the write's.</summary>
    private static (PeekReport? Read, PokeReport? Written) Answer(string[] fields, bool mayWrite, bool forced)
    {
        bool write = fields[0] == "w";
        if (!(fields[0] == "r" && fields.Length == 3) && !(write && fields.Length == 4))
            throw new InvalidRequestException($"expected 'r <pid> <addr>' or 'w <pid> <addr> <byte>', got '{string.Join(' ', fields)}'");
        int pid = Model.ProcessId.Parse(fields[1]);
        ulong address = AddressRange.ParseAddress(fields[2]);
        using var target = LiveProcess.Open(pid);
        if (!write)
        {
            using var reader = ProcessMemory.Open(pid, writable: false);
            return (MemoryPeek.Read(target, reader, address, 1), null);
        }
        if (!mayWrite) throw new InvalidRequestException("w writes into another process: run pageatlas mtest --yes (nothing was written)");
        if ((pid == 1 || pid == Environment.ProcessId) && !forced) throw new InvalidRequestException("writing into pid 1 or pageatlas itself needs --force (nothing was written)");
        string digits = fields[3].StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? fields[3][2..] : fields[3];
        if (!byte.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte value))
            throw new InvalidRequestException($"'{fields[3]}' is not a byte in hexadecimal (00 to ff)");
        using var memory = ProcessMemory.Open(pid, writable: true);
        return (null, MemoryPoke.Write(target, memory, address, [value]));
    }
}
