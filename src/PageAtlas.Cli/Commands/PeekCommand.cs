using System.CommandLine;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;
using PageAtlas.Cli.Rendering;

namespace PageAtlas.Cli.Commands;

/// <summary>pageatlas peek &lt;pid&gt; &lt;addr&gt; [len]: bytes of another process, with their VMA and frames.</summary>
internal static class PeekCommand
{
    public static Command Create(CliConsole console)
    {
        var source = TargetSource.Live(operandsFollow: true);
        var address = new Argument<string?>("address") { Description = "Virtual address (hexadecimal)", Arity = ArgumentArity.ZeroOrOne };
        var length = new Argument<string>("length") { Description = "Bytes to read (decimal, 0x-hex, K/M; default 64)", Arity = ArgumentArity.ZeroOrOne };
        var format = new Option<string>("--as") { Description = "Also show the bytes as u8|u16|u32|u64|i8|i16|i32|i64 (little-endian) or string (up to a NUL)" };
        var json = CommonOptions.Json();
        var command = new Command("peek", "Read bytes of another process through /proc/<pid>/mem") { format, json };
        source.AddTo(command);
        command.Arguments.Add(address);
        command.Arguments.Add(length);
        command.SetHandler((result, token) =>
        {
            int id = source.RequiredPid(result);
            string[] operands = source.Operands(result, result.GetValue(address), result.GetValue(length));
            if (operands.Length is 0 or > 2) throw new InvalidRequestException("peek needs an address and at most a length");
            ulong va = AddressRange.ParseAddress(operands[0]);
            ulong count = operands.Length > 1 ? AddressRange.ParseLength(operands[1]) : 64;
            if (count is 0 or > MemoryPeek.MaxLength) throw new InvalidRequestException($"length must be 1 to {MemoryPeek.MaxLength} bytes");
            string? shape = result.GetValue(format);
            using var target = LiveProcess.Open(id);
            using var memory = ProcessMemory.Open(id, writable: false);
            var report = MemoryPeek.Read(target, memory, va, (int)count);
            if (result.GetValue(json)) return CommonOptions.WriteJsonDocument(console, writer => MemoryJson.WritePeek(writer, report, target));
            PeekText.Write(console, report, target, shape);
            return ExitCodes.Ok;
        });
        return command;
    }
}
