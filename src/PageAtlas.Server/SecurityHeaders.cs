using Microsoft.AspNetCore.Http;

namespace PageAtlas.Server;

/// <summary>
/// Headers on every answer. Process names, paths and cgroup names shown in the page come from other
/// users: the front end writes them as text, never as markup, and the policy below forbids any script
/// or style the server did not serve itself, so a name that slips through as markup still runs nothing.
/// No referrer leaves the page (a URL may carry the token); nothing is cached (the figures are live).
/// </summary>
internal static class SecurityHeaders
{
    private const string Policy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
        "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static void Add(IHeaderDictionary headers)
    {
        headers.ContentSecurityPolicy = Policy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        headers.CacheControl = "no-store";
    }
}
