using System.Security.Cryptography;
using System.Text;

namespace PageAtlas.Server;

/// <summary>
/// The secret every request must carry (as Jupyter's): 32 random bytes, URL-safe base64. Anyone on
/// the machine can connect to a loopback port; only who was shown the URL (or can read the token
/// file) can use it.
/// </summary>
public sealed class AccessToken
{
    private readonly byte[] _utf8;

    private AccessToken(string value)
    {
        Value = value;
        _utf8 = Encoding.UTF8.GetBytes(value);
    }

    /// <summary>The token as it appears in a URL and a cookie.</summary>
    public string Value { get; }

    /// <summary>A new random token.</summary>
    public static AccessToken Generate() => new(Base64Url(RandomNumberGenerator.GetBytes(32)));

    /// <summary>
    /// A token the user chose (a file's first line): at least 16 characters of URL-safe text, so it
    /// can travel in a URL and a header unchanged and is not guessable by length alone.
    /// </summary>
    public static AccessToken From(string value)
    {
        value = value.Trim();
        if (value.Length < 16 || value.Length > 256 || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~'))
            throw new InvalidRequestException("a token must be 16 to 256 characters of letters, digits and - _ . ~");
        return new AccessToken(value);
    }

    /// <summary>Whether <paramref name="candidate"/> is the token, in time that does not depend on where they differ.</summary>
    public bool Matches(ReadOnlySpan<char> candidate)
    {
        if (candidate.IsEmpty || candidate.Length > 256) return false;
        Span<byte> bytes = stackalloc byte[Encoding.UTF8.GetMaxByteCount(candidate.Length)];
        int length = Encoding.UTF8.GetBytes(candidate, bytes);
        return CryptographicOperations.FixedTimeEquals(bytes[..length], _utf8);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
