using System.CommandLine;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;

namespace PageAtlas.Cli.Commands;

/// <summary>pageatlas translate &lt;pid&gt; &lt;addr|addr..addr|addr+len&gt;…: VA → PA page by page.</summary>
internal static class TranslateCommand
{
    public static Command Create(CliConsole console)
    {
        var source = TargetSource.LiveOrSnapshot(operandsFollow: true);
        var addresses = new Argument<string[]>("address")
        {
            Description = "ADDR, ADDR..END or ADDR+LEN (hexadecimal addresses; LEN decimal, 0x-hex, or with K/M/G)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var json = CommonOptions.Json();
        var command = new Command("translate", "Translate virtual addresses to physical ones, page by page") { json };
        source.AddTo(command);
        command.Arguments.Add(addresses);
        command.SetHandler((result, token) =>
        {
            string[] addressTexts = source.Operands(result, result.GetValue(addresses) ?? []);
            if (addressTexts.Length == 0) throw new InvalidRequestException("translate needs at least one address");
            var ranges = addressTexts.Select(AddressRange.Parse).ToList();
            using var target = source.Open(result);
            foreach (var range in ranges) AddressTranslation.ValidateUserRange(target, range);
            if (result.GetValue(json)) WriteJson(console, target, ranges);
            else WriteText(console, target, ranges);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void WriteText(CliConsole console, IMemoryTarget target, List<AddressRange> ranges)
    {
        if (target.Visibility.Reason is { } reason) console.Warn(reason);
        using var output = console.OpenText();
        foreach (var range in ranges)
        {
            foreach (var row in AddressTranslation.Translate(target, range))
            {
                if (row.State == PageState.Unmapped)
                {
                    output.WriteLine($"VA 0x{row.Address:x12} -> outside every VMA{(row.Pages > 1 ? $" ({row.Pages} pages)" : "")}");
                    continue;
                }
                output.WriteLine($"{PageText.Line(row.Address, row.Page, row.PhysicalAddress ?? 0, target.Visibility)}  {TerminalText.Escape(row.Vma!.Class.ToString())}");
            }
        }
    }

    private static void WriteJson(CliConsole console, IMemoryTarget target, List<AddressRange> ranges)
    {
        using var stdout = new BufferedStream(console.OpenOutput(), 1 << 16);
        using var writer = CommonOptions.JsonOut(stdout, indented: false);
        writer.WriteStartObject();
        JsonRecords.WriteHeader(writer, "translate", target.Pid, target.Stat.Command, target.Machine, target.Visibility);
        writer.WriteEndObject();
        writer.Flush();
        stdout.WriteByte((byte)'\n');
        foreach (var range in ranges)
        {
            foreach (var row in AddressTranslation.Translate(target, range))
            {
                writer.Reset();
                TranslationJson.WriteRow(writer, row, target.Visibility);
                writer.Flush();
                stdout.WriteByte((byte)'\n');
            }
        }
    }
}
