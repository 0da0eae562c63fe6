using System.CommandLine;
using PageAtlas.Cli.Help;
using PageAtlas.Labs;
using PageAtlas.Rendering;
using PageAtlas.Cli.Rendering;
using PageAtlas.Snapshots;

namespace PageAtlas.Cli.Commands;

/// <summary>pageatlas lab &lt;name&gt;: the seeds' experiments, run and judged by the tool itself.</summary>
internal static class LabCommand
{
    public static Command Create(CliConsole console)
    {
        var name = new Argument<string?>("name") { Description = "The experiment to run, or 'all'; without it, the list of experiments", Arity = ArgumentArity.ZeroOrOne };
        name.CompletionSources.Add([.. LabCatalog.All.Select(l => l.Name), "all"]);
        var json = CommonOptions.Json();
        var save = new Option<string?>("--save")
        {
            Description = "Saves the lab's processes while they are alive, when its claims are measured, into this snapshot file (what each claim's links point at: share, frame, maps --snapshot FILE…); a file is replaced whole, new ones readable by their owner only",
            HelpName = "file",
        };
        var command = new Command("lab", "Run an experiment that shows how Linux memory works (lazy allocation, copy-on-write after fork, two runs of one program, shared memory, threads, file mappings) on programs PageAtlas starts, and judge each claim: HOLDS or FAILS") { name, json, save };
        command.Conflicts(name, save, "a snapshot holds one lab's processes at one moment: name one lab", result => result.GetValue(name) == "all");
        CommandExamples.Add(command,
            ("pageatlas lab", "the list of experiments"),
            ("pageatlas lab fork-cow", "after fork, parent and child share their pages until one writes"),
            ("pageatlas lab fork-cow --save cow.db", "the same, leaving the pair in cow.db: pageatlas share --snapshot cow.db PARENT CHILD"));
        command.SetHandler((result, token) =>
        {
            string? chosen = result.GetValue(name);
            string? snapshotFile = result.GetValue(save);
            if (chosen is null)
            {
                if (snapshotFile is not null) throw new InvalidRequestException("lab --save saves a lab's processes: name the lab");
                if (result.GetValue(json)) return CommonOptions.WriteJsonDocument(console, w => LabJson.WriteCatalog(w, LabCatalog.All));
                LabText.WriteCatalog(console, LabCatalog.All);
                return ExitCodes.Ok;
            }
            var labs = chosen == "all" ? LabCatalog.All
                : [LabCatalog.Find(chosen) ?? throw new InvalidRequestException($"no lab named '{chosen}': {string.Join(", ", LabCatalog.All.Select(l => l.Name))} or all")];
            LabCapture? capture = snapshotFile is null ? null : Capture(snapshotFile, token);
            var reports = new List<LabReport>();
            foreach (var lab in labs)
            {
                LabReport report;
                try
                {
                    report = lab.Run(capture);
                }
                catch (FileNotFoundException e) when (e.FileName is not null)
                {
                    throw new ExternalToolException(e.Message);
                }
                reports.Add(report);
                if (!result.GetValue(json)) LabText.Write(console, report);
            }
            if (result.GetValue(json)) CommonOptions.WriteJsonDocument(console, w => LabJson.Write(w, reports));
            return reports.All(r => r.AllHold) ? ExitCodes.Ok : ExitCodes.ClaimDoesNotHold;
        });
        return command;
    }

    /// <summary>Writes the lab's processes into <paramref name="file"/> when the lab hands them over.</summary>
    private static LabCapture Capture(string file, CancellationToken token)
    {
        if (file is "-") throw new InvalidRequestException("lab --save writes a snapshot file, not standard output (the report goes there): name a file");
        return pids => SnapshotWriter.WriteLive(file, pids, token);
    }
}
