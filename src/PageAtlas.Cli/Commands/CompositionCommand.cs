using System.CommandLine;
using PageAtlas.Analysis;
using PageAtlas.Linux;
using PageAtlas.Model;
using PageAtlas.Rendering;
using Spectre.Console;

namespace PageAtlas.Cli.Commands;

/// <summary>pageatlas composition &lt;pid&gt;: RSS, PSS, USS, shared/private, dirty, anon/file, THP, KSM per class, per VMA, in total.</summary>
internal static class CompositionCommand
{
    public static Command Create()
    {
        var pid = CommonOptions.Pid();
        var vmas = new Option<bool>("--vmas") { Description = "Also list every VMA" };
        var json = CommonOptions.Json();
        var snapshot = TargetSource.SnapshotOption();
        var command = new Command("composition", "What a process's memory is made of: RSS, PSS, USS, shared and private, dirty, anonymous and file, THP, KSM, zero page; per segment class, per VMA and in total")
        {
            pid, vmas, json, snapshot,
        };
        command.SetAction(result =>
        {
            using var target = TargetSource.Open(result.GetValue(pid), result.GetValue(snapshot));
            var report = Composition.Measure(target);
            if (result.GetValue(json)) return CommonOptions.WriteJsonDocument(w => CompositionJson.Write(w, report));
            if (!report.Visibility.FrameFlagsVisible) HumanOutput.Warn(report.Visibility.Reason!);
            Render(report, result.GetValue(vmas));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static readonly string[] s_columns = ["Rss", "Pss", "Uss", "Shared", "Dirty", "Swap", "Anon", "File", "THP", "KSM", "Zero pg", "Hugetlb"];

    private static void Render(CompositionReport report, bool listVmas)
    {
        var console = HumanOutput.Create();
        int pageSize = report.Machine.PageSize;
        console.WriteLine($"pid {report.Pid} ({TerminalText.Escape(report.Command)}): sizes in kB, as in /proc/{report.Pid}/smaps");
        // The part of Swap that shared-memory objects keep gets a column of its own only when there is some.
        bool sharedSwap = report.Total.SharedSwapped > 0;
        var classes = Table("Class", "VMAs", sharedSwap);
        foreach (var c in report.Classes) classes.AddRow([HumanOutput.Cell(c.Class.ToString()), c.Vmas.ToString(), .. Cells(c.Counts, pageSize, sharedSwap)]);
        classes.AddEmptyRow();
        classes.AddRow(["total", report.Vmas.Count.ToString(), .. Cells(report.Total, pageSize, sharedSwap)]);
        console.Write(classes);
        if (listVmas)
        {
            var table = Table("VMA", "Class", sharedSwap);
            foreach (var v in report.Vmas)
            {
                var vma = v.Vma.Vma;
                table.AddRow([HumanOutput.Cell($"{vma.Start:x}-{vma.End:x} {vma.Permissions.ToMapsString()} {vma.Path}"), HumanOutput.Cell(v.Vma.Class.ToString()),
                    .. Cells(v.Counts, pageSize, sharedSwap)]);
            }
            console.Write(table);
        }
        console.WriteLine("Pss: each page's size divided by the number of page tables mapping it; Uss: pages mapped only here; Shared: mapped elsewhere too.");
        foreach (var note in report.Notes) console.WriteLine($"note: {TerminalText.Escape(note)}");
    }

    private static Table Table(string first, string second, bool sharedSwap)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumn(first).AddColumn(second);
        foreach (var column in s_columns)
        {
            table.AddColumn(new TableColumn(column).RightAligned());
            if (sharedSwap && column == "Swap") table.AddColumn(new TableColumn("of it shm").RightAligned());
        }
        return table;
    }

    private static string[] Cells(CompositionCounts c, int pageSize, bool sharedSwap)
    {
        ulong kb = (ulong)pageSize / 1024;
        string[] swap = sharedSwap ? [$"{c.AllSwapped * kb}", $"{c.SharedSwapped * kb}"] : [$"{c.AllSwapped * kb}"];
        return [$"{c.Resident * kb}", $"{c.PssBytes / 1024}", $"{c.Unique * kb}", $"{c.Shared * kb}", $"{c.Dirty * kb}", .. swap,
            $"{c.Anonymous * kb}", $"{c.FileBacked * kb}", $"{c.AnonymousHuge * kb}", $"{c.Ksm * kb}", $"{c.ZeroPage * kb}", $"{c.Hugetlb * kb}"];
    }
}
