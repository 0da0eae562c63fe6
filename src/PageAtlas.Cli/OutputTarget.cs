namespace PageAtlas.Cli;

/// <summary>
/// Where a command's document goes: stdout, or a file written atomically (into a temporary file
/// beside it, renamed over the final name only when complete), so a failure never leaves a
/// half-written file under the name the user asked for.
/// </summary>
internal static class OutputTarget
{
    /// <summary>Runs <paramref name="write"/> on stdout (<paramref name="path"/> null or "-") or on the file.</summary>
    public static void Write(string? path, Action<Stream> write)
    {
        if (path is null or "-")
        {
            using var stdout = Console.OpenStandardOutput();
            write(stdout);
            return;
        }
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory)) throw new UsageException($"cannot write {path}: directory {directory} does not exist");
        string temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(file);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
