using System.CommandLine;
using PageAtlas.Cli.Help;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;
using PageAtlas.Cli.Rendering;

namespace PageAtlas.Cli.Commands;

/// <summary>pageatlas translate &lt;pid&gt; &lt;addr|addr..addr|addr+len&gt;…: VA → PA page by page.</summary>
internal static class TranslateCommand
{
    public static Command Create(CliConsole console)
    {
        var source = TargetSource.LiveOrSnapshot(operandsFollow: true);
        var addresses = new Argument<string[]>("address")
        {
            Description = "An address or a range: ADDR, ADDR..END, ADDR-END or ADDR+LEN (addresses hexadecimal; LEN decimal, 0x-hex, or with K/M/G)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var json = CommonOptions.Json();
        var command = new Command("translate", "Which physical memory holds these virtual addresses? Page by page: in RAM (its frame number and physical address), in swap, or not used yet, read from /proc/<pid>/pagemap and /proc/kpageflags") { json };
        source.AddTo(command);
        source.AddOperand(command, addresses, required: true);
        CommandExamples.Add(command,
            ("pageatlas translate 1234 0x7f12a4c00000", "where the page holding that address of process 1234 is"),
            ("pageatlas translate 1234 0x7f12a4c00000+16K", "the same for each of the 4 pages from that address"),
            ("pageatlas translate 1234 0x7f12a4c00000 --json", "as JSON"));
        command.SetHandler((result, token) =>
        {
            string[] addressTexts = source.Operands(result, result.GetValue(addresses) ?? []);
            if (addressTexts.Length == 0) throw new InvalidRequestException("translate needs at least one address");
            var ranges = addressTexts.Select(AddressRange.Parse).ToList();
            using var target = source.Open(result);
            foreach (var range in ranges) AddressTranslation.ValidateUserRange(target, range);
            if (result.GetValue(json)) TranslationListJson.Write(console, target, ranges);
            else TranslationText.Write(console, target, ranges);
            return ExitCodes.Ok;
        });
        return command;
    }
}
