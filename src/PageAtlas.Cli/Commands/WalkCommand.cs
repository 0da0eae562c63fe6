using System.CommandLine;
using PageAtlas.Cli.Help;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;
using PageAtlas.Cli.Rendering;

namespace PageAtlas.Cli.Commands;

/// <summary>pageatlas walk &lt;pid&gt; &lt;addr&gt;: the path of one address through the paging levels.</summary>
internal static class WalkCommand
{
    public static Command Create(CliConsole console)
    {
        var source = TargetSource.LiveOrSnapshot(operandsFollow: true);
        var address = new Argument<string?>("address") { Description = "The virtual address (hexadecimal)", Arity = ArgumentArity.ZeroOrOne };
        var json = CommonOptions.Json();
        var userSpaceOnly = CommonOptions.UserSpaceOnly();
        var layout = LayoutOptions.WithSizes();
        var command = new Command("walk", "How does the processor find this address? The path of one virtual address through the page-table levels (PGD, P4D, PUD, PMD, PTE) down to its physical page frame; with the kernel companion loaded, each table's physical address and raw entry too")
        {
            json, userSpaceOnly,
        };
        source.AddTo(command);
        source.AddOperand(command, address, required: true);
        CommandExamples.Add(command,
            ("pageatlas walk 1234 0x7f12a4c00000", "each level's index and what its entry covers, then the frame the address is on"),
            ("pageatlas walk -p 1234 0x7f12a4c00000 --json", "the same as JSON, the process given with -p"),
            ("pageatlas walk --snapshot before.db 0x7f12a4c00000", "the walk as it was when the snapshot was taken"));
        layout.AddTo(command);
        command.SetHandler((result, token) =>
        {
            string[] rest = source.Operands(result, result.GetValue(address));
            if (rest.Length != 1) throw new InvalidRequestException("walk needs one address");
            ulong va = AddressRange.ParseAddress(rest[0]);
            using var target = source.Open(result);
            using var kernel = KernelView.Open(console, target, result.GetValue(userSpaceOnly));
            var report = PageWalk.Walk(target, va, kernel);
            if (result.GetValue(json)) return CommonOptions.WriteJsonDocument(console, writer => WalkJson.Write(writer, report, target.Facts.Name, target.Machine));
            WalkText.Write(console, report, target, layout.Read(result, console));
            return ExitCodes.Ok;
        });
        return command;
    }
}
