using System.CommandLine;
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
        var address = new Argument<string?>("address") { Description = "Virtual address (hexadecimal)", Arity = ArgumentArity.ZeroOrOne };
        var json = CommonOptions.Json();
        var userSpaceOnly = CommonOptions.UserSpaceOnly();
        var layout = LayoutOptions.WithSizes();
        var command = new Command("walk", "Show the path of one virtual address through PGD, P4D, PUD, PMD and PTE to its frame (with the kernel companion: each table's and entry's physical address and the raw entry)")
        {
            json, userSpaceOnly,
        };
        source.AddTo(command);
        layout.AddTo(command);
        command.Arguments.Add(address);
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
