using System.Diagnostics;

namespace PageAtlas.LiveTests;

/// <summary>What a path is, as coreutils' stat(1) says (never following a final symbolic link): an independent view of the file system.</summary>
internal static class FileFacts
{
    /// <summary>"regular file", "regular empty file", "character special file", "fifo", "symbolic link", "directory"...</summary>
    public static string Kind(string path) => Stat("%F", path);

    /// <summary>Permission bits in octal ("600"), owner uid and group gid.</summary>
    public static (string Mode, int Uid, int Gid) Owner(string path)
    {
        var f = Stat("%a %u %g", path).Split(' ');
        return (f[0], int.Parse(f[1]), int.Parse(f[2]));
    }

    /// <summary>A device node's major:minor in hexadecimal, as stat prints them.</summary>
    public static string Device(string path) => Stat("%t:%T", path);

    /// <summary>Runs a command to its end and returns its standard output; a failure fails the test.</summary>
    public static string Command(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} failed: {stderr}");
        return stdout.Result.Trim();
    }

    /// <summary>Every entry of a directory, hidden ones included, by name.</summary>
    public static string[] Entries(string directory) =>
        Directory.GetFileSystemEntries(directory).Select(p => Path.GetFileName(p)!).Order(StringComparer.Ordinal).ToArray();

    private static string Stat(string format, string path) => Command("stat", "-c", format, path);
}
