namespace PageAtlas.Cli;

/// <summary>
/// Where a command's document goes: stdout, or a file written atomically (<see cref="AtomicFile"/>),
/// so a failure never leaves a half-written file under the name the user asked for.
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
        AtomicFile.Write(path, temporary =>
        {
            using var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            write(file);
        });
    }
}
