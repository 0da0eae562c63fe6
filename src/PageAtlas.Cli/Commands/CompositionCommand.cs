using System.CommandLine;
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
        var vmas = new Option<bool>("--vmas") { Description = "Also list every VMA" };
        var json = CommonOptions.Json();
        var layout = LayoutOptions.WithSizes();
        var command = new Command("composition", "What a process's memory is made of: RSS, PSS, USS, shared and private, dirty, anonymous and file, THP, KSM, zero page; per segment class, per VMA and in total")
        {
            vmas, json,
        };
        source.AddTo(command);
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
