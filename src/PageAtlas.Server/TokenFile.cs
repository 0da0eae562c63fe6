namespace PageAtlas.Server;

/// <summary>A token kept in a file (--token-file): its first line, read with a bound (a token is short; a file of gigabytes is a mistake).</summary>
public static class TokenFile
{
    private const int MaxBytes = 4096;

    /// <summary>The file's first line; a missing, unreadable or oversized file is a <see cref="FileAccessException"/>.</summary>
    public static string Read(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
            var buffer = new byte[MaxBytes + 1];
            int length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            if (length > MaxBytes) throw new FileAccessException(path, $"{path} is larger than {MaxBytes} bytes: not a token file");
            string text = System.Text.Encoding.UTF8.GetString(buffer, 0, length);
            int end = text.IndexOfAny(['\r', '\n']);
            return end < 0 ? text : text[..end];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FileAccessException(path, $"cannot read token file {path}: {e.Message}", e);
        }
    }
}
