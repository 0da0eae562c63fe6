using System.CommandLine;
using PageAtlas.Cli.Help;
using PageAtlas.Analysis;
using PageAtlas.Cli.Rendering;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Snapshots;

namespace PageAtlas.Cli.Commands;

/// <summary>pageatlas snapshot &lt;pid&gt;… -o FILE: save processes (and the machine's frames) for later analysis.</summary>
internal static class SnapshotCommand
{
    public static Command Create(CliConsole console)
    {
        var pids = new PidList("The processes to save, by id or name", minimum: 1);
        var output = new Option<string>("--output", "-o") { Description = $"The snapshot file to write: {OutputTarget.Rules}", Required = true, HelpName = "file" };
        var frames = new Option<bool>("--frames") { Description = "Also save the whole machine's frame counts and physical map (for frames and physmap --snapshot)" };
        var json = CommonOptions.Json();
        var command = new Command("snapshot", "Save processes' regions and every page in use, with its physical frame, into one file: analyse it later with --snapshot, or compare two with diff")
        {
            output, frames, json,
        };
        pids.AddTo(command);
        CommandExamples.Add(command,
            ("pageatlas snapshot 1234 -o before.db", "save process 1234 in before.db"),
            ("pageatlas snapshot 1234 1235 -o both.db", "save two processes in one file"));
        command.Conflicts(json, output, "with -o - the snapshot itself is standard output", result => result.GetValue(output) == "-");
        command.SetHandler((result, token) =>
        {
            var ids = pids.Chosen(result).Select(p => p.Live()).Distinct().ToArray();
            if (ids.Length == 0) throw new InvalidRequestException("snapshot needs at least one process id");
            string path = result.GetValue(output)!;
            // A snapshot is binary, and holds other processes' names byte for byte: on a terminal it
            // would put their escape sequences on the screen. Refused before any work is done.
            if (path == "-" && !console.IsOutputRedirected)
                throw new InvalidRequestException("snapshot -o - writes a binary file to standard output, which is a terminal: redirect it (> file, | command) or name a file");
            var targets = new List<IMemoryTarget>();
            try
            {
                foreach (int id in ids) targets.Add(LiveProcess.Open(id));
                var machine = LiveProcess.ThisMachine();
                MachineFrames? frameData;
                SnapshotSummary summary;
                // The progress line is erased before the summary is written: kept to the end of the
                // handler, it stayed on the terminal with the summary written after it on its line.
                using (var progress = ProgressDisplay.Start(console, "snapshot", result.GetValue(frames) ? "pages and frames" : "pages of address space", result.GetValue(json)))
                {
                    frameData = result.GetValue(frames) ? ReadMachineFrames(progress, token) : null;
                    var tracked = targets.Select(t => ProgressTarget.Track(t, progress, token)).ToList();
                    if (path == "-")
                    {
                        using var stdout = console.OpenOutput();
                        summary = SnapshotWriter.Write(stdout, "standard output", tracked, machine, frameData, token);
                    }
                    else
                    {
                        summary = SnapshotWriter.Write(path, tracked, machine, frameData, token);
                    }
                }
                if (result.GetValue(json))
                    return CommonOptions.WriteJsonDocument(console, w => SnapshotSummaryJson.Write(w, summary, targets, withFrames: frameData is not null));
                // On stdout the snapshot itself is the output: the summary goes to stderr.
                SnapshotSummaryText.Write(path == "-" ? console.Error : console.Out, summary, withFrames: frameData is not null, path == "-" ? null : console.TableWidth);
                return ExitCodes.Ok;
            }
            finally
            {
                foreach (var target in targets) target.Dispose();
            }
        });
        return command;
    }

    private static MachineFrames ReadMachineFrames(ProgressDisplay? progress, CancellationToken cancellation)
    {
        using var frames = new LiveFrameSource { Progress = progress?.Work, Cancellation = cancellation };
        return MachineFrames.Take(frames);
    }
}
