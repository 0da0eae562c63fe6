using System.Globalization;
using Microsoft.AspNetCore.Http;
using PageAtlas.Model;

namespace PageAtlas.Server.Api;

/// <summary>The values of a request's path and query, parsed as the CLI parses its arguments: a bad one is a 400 with one line.</summary>
internal static class RequestValues
{
    public static string Source(HttpContext context) => (string)context.Request.RouteValues["source"]!;

    public static int Pid(HttpContext context) => ParsePid((string)context.Request.RouteValues["pid"]!);

    /// <summary>An optional process id from the query (<c>pid</c>).</summary>
    public static int? OptionalPid(HttpContext context)
    {
        string text = context.Request.Query["pid"].ToString();
        return text.Length == 0 ? null : ParsePid(text);
    }

    private static int ParsePid(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && pid > 0
            ? pid
            : throw new InvalidRequestException("a process id is a positive decimal number");

    /// <summary>A hexadecimal address or PFN from the route (<paramref name="name"/>) or the query.</summary>
    public static ulong Hex(HttpContext context, string name)
    {
        string? text = context.Request.RouteValues.TryGetValue(name, out var route) ? route as string : context.Request.Query[name].ToString();
        if (string.IsNullOrEmpty(text)) throw new InvalidRequestException($"'{name}' is required (hexadecimal)");
        return AddressRange.ParseAddress(text);
    }

    /// <summary>Whether the query names <paramref name="name"/>.</summary>
    public static bool Has(HttpContext context, string name) => context.Request.Query.ContainsKey(name);

    /// <summary>An optional decimal count from the query.</summary>
    public static int? Count(HttpContext context, string name)
    {
        string text = context.Request.Query[name].ToString();
        if (text.Length == 0) return null;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new InvalidRequestException($"'{name}' is a decimal count");
    }

    /// <summary>An optional yes/no from the query: "1" or "0" (absent: <paramref name="whenAbsent"/>).</summary>
    public static bool Flag(HttpContext context, string name, bool whenAbsent = false) => context.Request.Query[name].ToString() switch
    {
        "" => whenAbsent,
        "0" => false,
        "1" => true,
        _ => throw new InvalidRequestException($"'{name}' is 1 or 0"),
    };
}
