namespace PageAtlas;

/// <summary>
/// Writes a file under a temporary name beside its final one, flushes it to disk and renames it over
/// the final name only when complete: a failure or an interruption never leaves a half-written file
/// under the name asked for, and an older file there stays as it was.
/// </summary>
public static class AtomicFile
{
    /// <summary>Has <paramref name="writeTemporary"/> fill the temporary file whose path it is given, then puts it in place.</summary>
    /// <returns>The full path written.</returns>
    /// <exception cref="FileAccessException">The directory does not exist.</exception>
    public static string Write(string path, Action<string> writeTemporary)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory)) throw new FileAccessException(path, $"cannot write {path}: directory {directory} does not exist");
        string temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            writeTemporary(temporary);
            using (var file = new FileStream(temporary, FileMode.Open, FileAccess.ReadWrite)) file.Flush(flushToDisk: true);
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
        return full;
    }
}
