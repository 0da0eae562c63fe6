using System.Globalization;

namespace PageAtlas.Linux;

/// <summary>
/// User names by uid, from /etc/passwd (read once, bounded): what ps shows in its USER column. A uid
/// with no entry (a container's user, an account removed since) is shown as its number.
/// </summary>
public sealed class UserNames
{
    /// <summary>More than any real passwd file; a larger one is read no further.</summary>
    private const int MaxPasswdBytes = 4 * 1024 * 1024;

    private readonly Dictionary<uint, string> _names;

    private UserNames(Dictionary<uint, string> names) => _names = names;

    /// <summary>Reads /etc/passwd; an unreadable one leaves every uid a number.</summary>
    public static UserNames Read(string path = "/etc/passwd")
    {
        var names = new Dictionary<uint, string>();
        string text;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            // Sized by the file (a regular file: its length is known), not by the bound: a server reads
            // it at every process reading, and a 4 MiB buffer each time was most of what one allocated.
            var buffer = new byte[(int)Math.Min(MaxPasswdBytes, file.Length + 4096)];
            int length = 0, n;
            while (length < buffer.Length && (n = file.Read(buffer, length, buffer.Length - length)) > 0) length += n;
            text = KernelText.Decode(buffer.AsSpan(0, length));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new UserNames(names);
        }
        foreach (var line in text.Split('\n'))
        {
            // name:password:uid:gid:gecos:home:shell (passwd(5)); the first entry of a uid wins, as getpwuid's does.
            var fields = line.Split(':');
            if (fields.Length >= 3 && uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out uint uid))
                names.TryAdd(uid, fields[0]);
        }
        return new UserNames(names);
    }

    /// <summary>The name of <paramref name="uid"/>, or the uid in decimal.</summary>
    public string NameOf(uint uid) => _names.TryGetValue(uid, out var name) ? name : uid.ToString(CultureInfo.InvariantCulture);

    /// <summary>The uid a user typed: a decimal uid, or a name in the file.</summary>
    public uint? UidOf(string user)
    {
        if (uint.TryParse(user, NumberStyles.None, CultureInfo.InvariantCulture, out uint uid)) return uid;
        foreach (var (id, name) in _names) if (name == user) return id;
        return null;
    }
}
