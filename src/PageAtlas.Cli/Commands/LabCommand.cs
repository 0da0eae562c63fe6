using System.CommandLine;
using PageAtlas.Cli.Help;
using PageAtlas.Labs;
using PageAtlas.Rendering;
using PageAtlas.Cli.Rendering;

namespace PageAtlas.Cli.Commands;

/// <summary>pageatlas lab &lt;name&gt;: the seeds' experiments, run and judged by the tool itself.</summary>
internal static class LabCommand
{
    public static Command Create(CliConsole console)
    {
        var name = new Argument<string?>("name") { Description = "The experiment to run, or 'all'; without it, the list of experiments", Arity = ArgumentArity.ZeroOrOne };
        name.CompletionSources.Add([.. LabCatalog.All.Select(l => l.Name), "all"]);
        var json = CommonOptions.Json();
        var command = new Command("lab", "Run an experiment that shows how Linux memory works (lazy allocation, copy-on-write after fork, two runs of one program, shared memory, threads, file mappings) on programs PageAtlas starts, and judge each claim: HOLDS or FAILS") { name, json };
        CommandExamples.Add(command,
            ("pageatlas lab", "the list of experiments"),
            ("pageatlas lab fork-cow", "after fork, parent and child share their pages until one writes"));
        command.SetHandler((result, token) =>
        {
            string? chosen = result.GetValue(name);
            if (chosen is null)
            {
                if (result.GetValue(json)) return CommonOptions.WriteJsonDocument(console, w => LabJson.WriteCatalog(w, LabCatalog.All));
                LabText.WriteCatalog(console, LabCatalog.All);
                return ExitCodes.Ok;
            }
            var labs = chosen == "all" ? LabCatalog.All
                : [LabCatalog.Find(chosen) ?? throw new InvalidRequestException($"no lab named '{chosen}': {string.Join(", ", LabCatalog.All.Select(l => l.Name))} or all")];
            var reports = new List<LabReport>();
            foreach (var lab in labs)
            {
                LabReport report;
                try
                {
                    report = lab.Run();
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
}
