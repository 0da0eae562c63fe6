using System.CommandLine;
using PageAtlas.Cli.Help;
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
        var address = new Argument<string?>("address") { Description = "The virtual address (hexadecimal)", Arity = ArgumentArity.ZeroOrOne };
        var length = new Argument<string>("length") { Description = "How many bytes to read (decimal, 0x-hex, or with K/M; default 64)", Arity = ArgumentArity.ZeroOrOne };
        var format = new Option<string>("--as") { Description = "Also show the bytes as little-endian integers of this type, or as a string (up to a NUL)", HelpName = "type" };
        format.CompletionSources.Add([.. HexDump.Shapes]);
        var json = CommonOptions.Json();
        var command = new Command("peek", "Read another process's memory: the bytes at an address as a hex dump (and as integers or text if asked), with the region and physical frame of each page") { format, json };
        source.AddTo(command);
        source.AddOperand(command, address, required: true);
        source.AddOperand(command, length, required: false);
        CommandExamples.Add(command,
            ("pageatlas peek 1234 0x7f12a4c00000", "64 bytes at that address of process 1234"),
            ("pageatlas peek 1234 0x7f12a4c00000 8 --as u64", "8 bytes, also as one little-endian 64-bit number"));
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
