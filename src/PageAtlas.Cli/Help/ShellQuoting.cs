namespace PageAtlas.Cli.Help;

/// <summary>Words and descriptions put into a generated shell script, in single quotes: nothing in them is expanded.</summary>
internal static class ShellQuoting
{
    /// <summary>'text', a single quote inside written as '\'' (POSIX shells, zsh; fish takes \' inside quotes).</summary>
    public static string Posix(string text) => "'" + text.Replace("'", "'\\''") + "'";

    /// <summary>'text' for fish, where a backslash or a single quote inside quotes is escaped with a backslash.</summary>
    public static string Fish(string text) => "'" + text.Replace("\\", "\\\\").Replace("'", "\\'") + "'";
}
