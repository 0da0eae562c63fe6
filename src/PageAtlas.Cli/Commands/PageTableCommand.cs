using System.CommandLine;
using PageAtlas.Cli.Help;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Rendering;
using PageAtlas.Cli.Rendering;

namespace PageAtlas.Cli.Commands;

/// <summary>pageatlas pagetable &lt;pid&gt;: the page-table tree reconstructed from populated pages (seed 000).</summary>
internal static class PageTableCommand
{
    public static Command Create(CliConsole console)
    {
        var source = TargetSource.LiveOrSnapshot();
        var vmaOption = VmaSelection.VmaOption();
        var rangeOption = VmaSelection.RangeOption();
        var format = new Option<string>("--format") { Description = "text, dot (Graphviz source), svg (a picture drawn by Graphviz dot) or json", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong(PageTableOutput.Formats);
        var json = CommonOptions.Json();
        var full = new Option<bool>("--full") { Description = "Show every table and every run of contiguous frames; by default runs are folded per VMA and long rows of child tables are summarised" };
        var output = new Option<string?>("--output", "-o") { Description = $"Write to this file instead of standard output: {OutputTarget.Rules}", HelpName = "file" };
        var userSpaceOnly = CommonOptions.UserSpaceOnly();
        var command = new Command("pagetable", "Which page tables does this process have? The tree of page tables the kernel must have built for the pages in use, counted per level and checked against the kernel's own count (VmPTE); as text, a Graphviz picture or JSON")
        {
            vmaOption, rangeOption, format, json, full, output, userSpaceOnly,
        };
        source.AddTo(command);
        CommandExamples.Add(command,
            ("pageatlas pagetable 1234", "the tree as text: every table, the entries it uses, tables per level"),
            ("pageatlas pagetable 1234 --range 0x7f12a4c00000+2M", "only the tables under those 2 MiB of addresses"),
            ("pageatlas pagetable 1234 --format svg -o tables.svg", "the tree drawn as a picture (needs Graphviz) in tables.svg"));
        command.Conflicts(json, format, "--json writes JSON, --format asks for another format", result => result.GetValue(format) != "json");
        command.SetHandler((result, token) =>
        {
            string chosen = result.GetValue(json) ? "json" : result.GetValue(format)!;
            using var target = source.Open(result);
            string[] vmas = result.GetValue(vmaOption) ?? [], ranges = result.GetValue(rangeOption) ?? [];
            var selected = VmaSelection.IsEverything(vmas, ranges) ? null : VmaSelection.Select(console, target, vmas, ranges);
            bool showAll = result.GetValue(full);
            using var kernel = KernelView.Open(console, target, result.GetValue(userSpaceOnly));
            // Page reads stop between batches once the run is cancelled: a 4 GiB process is a long read.
            var tree = PageTableReconstruction.Build(ProgressTarget.Track(target, null, token), selected, showAll, kernel);
            if (!tree.Visibility.PfnsVisible) console.Warn(tree.Visibility.Reason!);
            var view = new PageTableView(tree, showAll);
            if (chosen is "dot" or "svg") PageTablePictureSize.EnsureDrawable(view);
            // Render fully in memory first: an error (dot missing) must not leave a partial file.
            OutputTarget.Write(console, result.GetValue(output), stream => PageTableOutput.Write(view, chosen, stream, TerminalColours.Wanted(console, result.GetValue(output)),
                result.GetValue(output) is null or "-" ? console.TableWidth : null));
            return ExitCodes.Ok;
        });
        return command;
    }
}
