using System.CommandLine;
using System.Text;

namespace PageAtlas.Cli.Help;

/// <summary>
/// pageatlas(1) in roff (man(7) macros), written from the command tree: every command with its usage
/// forms, arguments, options and examples, the exit codes, the environment and the files read.
/// </summary>
/// <remarks>
/// Made by the program (`pageatlas man`, a hidden command) rather than kept as a file: the page then
/// describes the binary it is installed with, and an option another change adds is in it by itself.
/// scripts/install.sh writes it next to the binary's install.
/// </remarks>
internal static class ManPage
{
    /// <summary>What each exit code means, in the order README's table gives them.</summary>
    public static readonly (string Code, string Meaning)[] ExitStatus =
    [
        ($"{ExitCodes.Ok}", "Success."),
        ($"{ExitCodes.InternalError}", "A fault in PageAtlas itself (report it with the output of --verbose)."),
        ($"{ExitCodes.Usage}", "Bad arguments: an unknown command or option, a malformed pid, address or range, a name several processes share."),
        ($"{ExitCodes.NoSuchProcess}", "No such process, or it exited while being read."),
        ($"{ExitCodes.NoUserMemory}", "The process has no user memory: a kernel thread or a zombie."),
        ($"{ExitCodes.PermissionDenied}", "Permission denied on a kernel file PageAtlas needs (run as root)."),
        ($"{ExitCodes.MalformedKernelData}", "The kernel gave data PageAtlas could not parse."),
        ($"{ExitCodes.AccessRefused}", "The kernel refused part of a read or write of the target's memory."),
        ($"{ExitCodes.ExternalTool}", "An external program is missing or failed (Graphviz dot, a lab's specimen program, the kernel companion)."),
        ($"{ExitCodes.ClaimDoesNotHold}", "A lab ran and one of its claims did not hold."),
        ($"{ExitCodes.BadSnapshot}", "A snapshot file cannot be used: missing, truncated, damaged, not a snapshot, or from another version."),
        ($"{ExitCodes.FileSystem}", "A file named on the command line could not be written or read."),
        ("129, 130, 143", "Ended by SIGHUP, SIGINT (Ctrl+C) or SIGTERM; nothing half-written is left behind."),
        ($"{ExitCodes.OutputClosed}", "Standard output was a pipe whose reader went away."),
    ];

    private static readonly (string Name, string Meaning)[] s_environment =
    [
        ("NO_COLOR", "When set (to anything), no colour is used, even on a terminal."),
        ("COLUMNS", "The width tables are laid out for when standard output is a terminal that does not say."),
        ("PAGEATLAS_SPECIMENS", "The directory of the specimen programs lab runs (by default ../lib/pageatlas/specimens beside the program, as scripts/install.sh installs them)."),
        ("PAGEATLAS_NO_PAGEMAP_SCAN", "When 1, read pagemap as on a kernel without the PAGEMAP_SCAN ioctl."),
    ];

    private static readonly (string Path, string Meaning)[] s_files =
    [
        ("/proc/<pid>/maps, smaps, stat, status, task/", "a process's regions, figures, threads and stacks"),
        ("/proc/<pid>/pagemap", "each virtual page's frame number, swap entry and flags (frame numbers need CAP_SYS_ADMIN)"),
        ("/proc/<pid>/map_files/", "the mapped files, for their ELF headers and shared memory's pages (root)"),
        ("/proc/<pid>/mem", "another process's memory (peek, poke, mtest)"),
        ("/proc/kpageflags, /proc/kpagecount, /proc/kpagecgroup", "each physical frame's flags, map count and memory cgroup (root)"),
        ("/proc/meminfo, /proc/buddyinfo, /proc/zoneinfo, /proc/iomem", "the machine's memory figures, free blocks, zones and physical ranges"),
        ("/dev/pageatlas", "the optional kernel companion (kmod/): page tables as the kernel sees them"),
    ];

    public static string Write(Command root)
    {
        var s = new StringBuilder();
        // No hyphenation, left-aligned: option names and command lines stay whole on the page.
        s.Append(".TH PAGEATLAS 1 \"\" \"PageAtlas\" \"User Commands\"\n.nh\n.ad l\n");
        s.Append(".SH NAME\npageatlas \\- where a Linux process's memory lives, from virtual address to physical frame\n");
        s.Append(".SH SYNOPSIS\n");
        foreach (var command in CommandTree.Subcommands(root))
            foreach (var form in UsageForms.Of(command)) s.Append(".br\n").Append(Text(UsageForms.Line(command, form))).Append('\n');
        s.Append(".SH DESCRIPTION\n").Append(Text(root.Description ?? "")).Append('\n');
        s.Append(".PP\nEvery command takes \\fB\\-\\-help\\fR, which shows its arguments, options and examples.\n");
        Options(s, CommandTree.Options(root));
        s.Append(".SH COMMANDS\n");
        foreach (var command in CommandTree.Subcommands(root))
        {
            s.Append(".SS ").Append(Text(command.Name)).Append('\n');
            foreach (var form in UsageForms.Of(command)) s.Append(".br\n\\fB").Append(Text(UsageForms.Line(command, form))).Append("\\fR\n");
            s.Append(".PP\n").Append(Text(command.Description ?? "")).Append('\n');
            foreach (var argument in command.Arguments.Where(a => !a.Hidden))
                s.Append(".TP\n\\fI").Append(Text(argument.HelpName ?? argument.Name)).Append("\\fR\n").Append(Text(argument.Description ?? "")).Append('\n');
            Options(s, command.Options.Where(o => !o.Hidden));
            foreach (var example in CommandExamples.Of(command))
                s.Append(".TP\n.B ").Append(Text(example.CommandLine)).Append('\n').Append(Text(example.Shows)).Append('\n');
        }
        s.Append(".SH EXIT STATUS\n");
        foreach (var (code, meaning) in ExitStatus) s.Append(".TP\n.B ").Append(Text(code)).Append('\n').Append(Text(meaning)).Append('\n');
        s.Append(".SH ENVIRONMENT\n");
        foreach (var (name, meaning) in s_environment) s.Append(".TP\n.B ").Append(Text(name)).Append('\n').Append(Text(meaning)).Append('\n');
        s.Append(".SH FILES\n");
        foreach (var (path, meaning) in s_files) s.Append(".TP\n.I ").Append(Text(path)).Append('\n').Append(Text(meaning)).Append('\n');
        s.Append(".SH EXAMPLES\n");
        foreach (var command in CommandTree.Subcommands(root))
            if (CommandExamples.Of(command) is [var first, ..]) s.Append(".TP\n.B ").Append(Text(first.CommandLine)).Append('\n').Append(Text(first.Shows)).Append('\n');
        s.Append(".PP\n").Append(Text(ExamplePlaceholders.Legend)).Append('\n');
        s.Append(".SH SEE ALSO\n.BR proc (5),\n.BR smem (8),\n.BR pmap (1),\n.BR ps (1);\nthe kernel's Documentation/admin-guide/mm/pagemap.rst and tools/mm/page-types.c.\n");
        return s.ToString();
    }

    private static void Options(StringBuilder s, IEnumerable<Option> options)
    {
        foreach (var option in options)
            s.Append(".TP\n.B ").Append(Text(HelpPage.OptionLabel(option))).Append('\n').Append(Text(HelpPage.Described(option))).Append('\n');
    }

    /// <summary>
    /// Text safe in roff: backslashes and dashes escaped (a plain '-' may print as a hyphen), characters
    /// beyond ASCII as \[uXXXX] (troff reads its input as Latin-1 unless preconv ran first), and a line
    /// never beginning with '.' or '\'' (a request).
    /// </summary>
    private static string Text(string text)
    {
        var ascii = new StringBuilder();
        foreach (char c in text.Replace("\\", "\\e").Replace("-", "\\-")) ascii.Append(c < 128 ? c.ToString() : $"\\[u{(int)c:X4}]");
        string escaped = ascii.ToString();
        return escaped.StartsWith('.') || escaped.StartsWith('\'') ? "\\&" + escaped : escaped;
    }
}
