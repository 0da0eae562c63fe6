using System.CommandLine;
using PageAtlas.Cli.Help;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Rendering;
using PageAtlas.Cli.Rendering;
using PageAtlas.Snapshots;

namespace PageAtlas.Cli.Commands;

/// <summary>pageatlas share &lt;pid&gt; &lt;pid&gt;…: which physical frames processes share, per segment class and per VMA (seed 004).</summary>
internal static class ShareCommand
{
    public static Command Create(CliConsole console)
    {
        var pids = new PidList("Two or more processes, by id or name (with --snapshot: processes saved in the file; all of them when none is named)", minimum: 2);
        var vmas = new Option<bool>("--vmas") { Description = "Also compare region by region (matched by kind and rank within the kind)" };
        var json = CommonOptions.Json();
        var snapshot = TargetSource.SnapshotOption();
        var layout = LayoutOptions.Wide();
        var command = new Command("share", "What do these processes share? The physical pages all of them map and the pages each has alone, per kind of region; for a parent and its forked child, pages still shared copy-on-write versus pages already copied")
        {
            vmas, json, snapshot,
        };
        pids.AddTo(command, snapshot);
        CommandExamples.Add(command,
            ("pageatlas share 1234 1235", "what processes 1234 and 1235 share, per kind of region and in total"),
            ("pageatlas share 1234 1235 --vmas", "the same region by region"));
        layout.AddTo(command);
        command.SetHandler((result, token) =>
        {
            var given = pids.Chosen(result);
            var targets = new List<IMemoryTarget>();
            using var saved = result.GetValue(snapshot) is { } file ? Snapshot.Open(file) : null;
            var ids = given.Select(p => saved is null ? p.Live() : p.Saved()).ToArray();
            if (ids.Distinct().Count() != ids.Length) throw new InvalidRequestException("share needs distinct processes");
            if (saved is not null && ids.Length == 0) ids = saved.Processes.Select(p => p.Pid).ToArray();
            if (ids.Length < 2) throw new InvalidRequestException("share needs at least two processes");
            try
            {
                foreach (int id in ids) targets.Add(saved is null ? LiveProcess.Open(id) : saved.OpenProcess(id));
                ShareReport report;
                using (var progress = ProgressDisplay.Start(console, "share", "pages of address space", result.GetValue(json)))
                    report = Sharing.Compare(targets.Select(t => ProgressTarget.Track(t, progress, token)).ToList());
                if (result.GetValue(json)) return CommonOptions.WriteJsonDocument(console, w => ShareJson.Write(w, report));
                ShareText.Write(console, report, result.GetValue(vmas), layout.Read(result, console));
                return ExitCodes.Ok;
            }
            finally
            {
                foreach (var target in targets) target.Dispose();
            }
        });
        return command;
    }
}
