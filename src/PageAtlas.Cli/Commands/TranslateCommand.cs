using System.CommandLine;
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
            if (result.GetValue(json)) TranslationListJson.Write(console, target, ranges);
            else TranslationText.Write(console, target, ranges);
            return ExitCodes.Ok;
        });
        return command;
    }
}
