using System.CommandLine;
using PageAtlas.Cli.Help;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;
using PageAtlas.Cli.Rendering;

namespace PageAtlas.Cli.Commands;

/// <summary>pageatlas maps &lt;pid&gt;: every VMA with its segment class and residency.</summary>
internal static class MapsCommand
{
    public static Command Create(CliConsole console)
    {
        var source = TargetSource.LiveOrSnapshot();
        var json = CommonOptions.Json();
        var layout = LayoutOptions.WithSizes();
        var command = new Command("maps", "Where is this process's memory? Every region of its address space (VMA) with what it holds (program code, data, heap, stack, a library, shared memory…) and how many of its pages are in RAM, in swap or not used yet") { json };
        source.AddTo(command);
        CommandExamples.Add(command,
            ("pageatlas maps 1234", "every region of process 1234, its kind and its pages in RAM, in swap or not used yet, with totals"),
            ("pageatlas maps 1234 --json", "the same as JSON (docs/json.md)"),
            ("pageatlas maps --snapshot before.db", "the same for the process saved in a snapshot file"));
        layout.AddTo(command);
        command.SetHandler((result, token) =>
        {
            using var target = source.Open(result);
            // The JSON rows are written as their VMAs are counted (while the later pages are read); the
            // text's columns are as wide as their widest cell, so the text measures each row as it is
            // counted and writes them all once every page is read.
            if (result.GetValue(json)) return CommonOptions.WriteJsonReport(console, writer => ResidencyJson.Write(writer, ProgressTarget.Track(target, null, token)));
            var textLayout = layout.Read(result, console);
            ResidencyText.Counted counted;
            using (var progress = ProgressDisplay.Start(console, $"maps of {target.Pid}", "pages of address space", json: false))
                counted = ResidencyText.Count(ProgressTarget.Track(target, progress, token), textLayout);
            ResidencyText.Write(console, counted, textLayout);
            return ExitCodes.Ok;
        });
        return command;
    }
}
