using System.CommandLine;
using PageAtlas.Cli.Help;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;
using PageAtlas.Cli.Rendering;

namespace PageAtlas.Cli.Commands;

/// <summary>pageatlas composition &lt;pid&gt;: RSS, PSS, USS, shared/private, dirty, anon/file, THP, KSM per class, per VMA, in total.</summary>
internal static class CompositionCommand
{
    public static Command Create(CliConsole console)
    {
        var source = TargetSource.LiveOrSnapshot();
        var vmas = new Option<bool>("--vmas") { Description = "Also show every region (VMA)" };
        var json = CommonOptions.Json();
        var layout = LayoutOptions.WithSizes();
        var command = new Command("composition", "How much memory does this process really use? RSS, PSS (each shared page divided among the processes that map it), USS (its own pages), shared and private, dirty, anonymous and file-backed, huge pages, swap; per kind of region and in total")
        {
            vmas, json,
        };
        source.AddTo(command);
        CommandExamples.Add(command,
            ("pageatlas composition 1234", "the totals of process 1234 per kind of region (code, heap, stack, libraries…)"),
            ("pageatlas composition 1234 --vmas", "the same for every region too"));
        layout.AddTo(command);
        command.SetHandler((result, token) =>
        {
            using var target = source.Open(result);
            var report = Composition.Measure(ProgressTarget.Track(target, null, token));
            if (result.GetValue(json)) return CommonOptions.WriteJsonDocument(console, w => CompositionJson.Write(w, report));
            if (!report.Visibility.FrameFlagsVisible) console.Warn(report.Visibility.Reason!);
            CompositionText.Write(console, report, result.GetValue(vmas), layout.Read(result, console));
            return ExitCodes.Ok;
        });
        return command;
    }
}
