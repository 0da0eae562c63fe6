using System.CommandLine;
using PageAtlas.Cli.Help;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;
using PageAtlas.Cli.Rendering;

namespace PageAtlas.Cli.Commands;

/// <summary>pageatlas poke &lt;pid&gt; &lt;addr&gt; &lt;bytes&gt; --yes: write into another process and show what changed.</summary>
internal static class PokeCommand
{
    public static Command Create(CliConsole console)
    {
        var source = TargetSource.Live(operandsFollow: true);
        var address = new Argument<string?>("address") { Description = "The virtual address (hexadecimal)", Arity = ArgumentArity.ZeroOrOne };
        var hex = new Argument<string>("bytes") { Description = "The bytes to write in hexadecimal: 414243, 41:42:43 or \"41 42 43\" (or give --string or --u8…--u64)", Arity = ArgumentArity.ZeroOrOne };
        var text = new Option<string>("--string") { Description = "Write this text's UTF-8 bytes (no NUL is added)" };
        var u8 = new Option<string>("--u8") { Description = "Write one byte (decimal or 0x-hex)" };
        var u16 = new Option<string>("--u16") { Description = "Write a little-endian 16-bit value" };
        var u32 = new Option<string>("--u32") { Description = "Write a little-endian 32-bit value" };
        var u64 = new Option<string>("--u64") { Description = "Write a little-endian 64-bit value" };
        var yes = new Option<bool>("--yes") { Description = "Really write (required)" };
        var force = new Option<bool>("--force") { Description = "Allow writing into pid 1 or into pageatlas itself" };
        var json = CommonOptions.Json();
        var command = new Command("poke", "Write bytes into another process's memory, after checking that the kernel allows it, and show the bytes and physical frames before and after: writing to a page shared copy-on-write gives the process its own copy")
        {
            text, u8, u16, u32, u64, yes, force, json,
        };
        source.AddTo(command);
        source.AddOperand(command, address, required: true);
        source.AddOperand(command, hex, required: false);
        CommandExamples.Add(command,
            ("pageatlas poke 1234 0x7f12a4c00000 414243 --yes", "write the bytes 41 42 43 (\"ABC\") at that address of process 1234"),
            ("pageatlas poke 1234 0x7f12a4c00000 --u32 7 --yes", "write the 32-bit number 7 there"));
        command.SetHandler((result, token) =>
        {
            int id = source.RequiredPid(result);
            string[] operands = source.Operands(result, result.GetValue(address), result.GetValue(hex));
            if (operands.Length is 0 or > 2) throw new InvalidRequestException("poke needs an address and at most one run of hex bytes");
            ulong va = AddressRange.ParseAddress(operands[0]);
            byte[] bytes = Bytes(operands.ElementAtOrDefault(1), result.GetValue(text),
                [(result.GetValue(u8), 1), (result.GetValue(u16), 2), (result.GetValue(u32), 4), (result.GetValue(u64), 8)]);
            if (!result.GetValue(yes)) throw new InvalidRequestException("poke writes into another process: add --yes to do it (nothing was written)");
            if ((id == 1 || id == Environment.ProcessId) && !result.GetValue(force))
                throw new InvalidRequestException($"writing into {(id == 1 ? "pid 1 (init)" : "pageatlas itself")} needs --force (nothing was written)");
            using var target = LiveProcess.Open(id);
            using var memory = ProcessMemory.Open(id, writable: true);
            var report = MemoryPoke.Write(target, memory, va, bytes);
            if (result.GetValue(json)) return CommonOptions.WriteJsonDocument(console, writer => MemoryJson.WritePoke(writer, report, target));
            PokeText.Write(console, report, target);
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The bytes to write, from exactly one of the sources.</summary>
    private static byte[] Bytes(string? hex, string? text, (string? Value, int Size)[] integers)
    {
        var given = integers.Where(i => i.Value is not null).ToList();
        int sources = (hex is null ? 0 : 1) + (text is null ? 0 : 1) + given.Count;
        if (sources != 1) throw new InvalidRequestException("give exactly one of: hex bytes, --string, --u8, --u16, --u32, --u64");
        if (text is not null)
            return text.Length > 0 ? Encoding.UTF8.GetBytes(text) : throw new InvalidRequestException("--string is empty: nothing to write");
        if (hex is not null) return ParseHex(hex);
        var (value, size) = given[0];
        ulong number = ParseInteger(value!);
        if (size < 8 && number >> (size * 8) != 0) throw new InvalidRequestException($"{value} does not fit in {size * 8} bits");
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, number);
        return bytes[..size];
    }

    /// <summary>"414243", "41:42:43", "41 42 43", "0x41 0x42": pairs of hex digits.</summary>
    internal static byte[] ParseHex(string text)
    {
        var digits = new StringBuilder();
        foreach (var part in text.Split([' ', ':', ',', '-'], StringSplitOptions.RemoveEmptyEntries))
            digits.Append(part.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? part[2..] : part);
        string all = digits.ToString();
        if (all.Length == 0 || all.Length % 2 != 0 || !all.All(Uri.IsHexDigit))
            throw new InvalidRequestException($"'{text}' is not hex bytes (like 414243 or 41:42:43)");
        return Convert.FromHexString(all);
    }

    internal static ulong ParseInteger(string text) =>
        (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong v)
            : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out v))
            ? v : throw new InvalidRequestException($"'{text}' is not a number (decimal or 0x-hex)");
}
