using System.Net;
using Microsoft.AspNetCore.Http;

using PageAtlas.Server.Api;

namespace PageAtlas.Server;

/// <summary>
/// Every request passes here first. A loopback port is open to every user of the machine and to any
/// web page the user's browser visits, so:
/// <list type="bullet">
/// <item>the Host header must name this server as the user reaches it (a loopback name, or the
/// address given with --bind, or a name given with --allow-host): a DNS-rebinding page whose
/// name now resolves to 127.0.0.1 still sends its own name, and is refused (403);</item>
/// <item>the token must come with it, as <c>?token=</c> (the URL printed at start), as the cookie
/// that URL sets, or as <c>Authorization: Bearer</c> (scripts, Prometheus): none is 401, a wrong
/// one 403;</item>
/// <item>only GET and HEAD are served (405 for the rest), except POST on the few routes named in
/// <paramref name="postPaths"/> (the explorer's upload and lab runs; none changes a process), and a POST
/// must also come from this server's own page: an <c>Origin</c> header naming this server (a browser
/// always sends it with a POST, and a cross-site page cannot forge it) and the header
/// <c>X-PageAtlas-Request</c> (which a cross-site HTML form cannot send, and a cross-site fetch cannot
/// send without a CORS preflight this server never grants); either missing or foreign is 403.</item>
/// </list>
/// A server started without a token (`pageatlas exporter --no-auth`, loopback only) keeps the Host
/// and method checks.
/// A page opened with <c>?token=</c> is redirected to itself without it once the cookie is set, so the
/// token does not stay in the address bar, the history or a copied link.
/// </summary>
public sealed class AccessGate(AccessToken? token, IReadOnlySet<string> hosts, int port, IReadOnlySet<string>? postPaths = null)
{
    /// <summary>The header the front end sets on every POST.</summary>
    public const string RequestHeader = "X-PageAtlas-Request";

    /// <summary>The port the server listens on (set once the kernel chose it, when 0 was asked for).</summary>
    public int Port { get; set; } = port;

    /// <summary>The cookie's name carries the port: cookies are shared across a host's ports, and two servers must not overwrite each other's.</summary>
    public string CookieName => $"pageatlas-token-{Port}";

    /// <summary>The names a loopback server answers to.</summary>
    public static IEnumerable<string> LoopbackNames => ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>Runs before every endpoint.</summary>
    public async Task Invoke(HttpContext context, RequestDelegate next)
    {
        var response = context.Response;
        SecurityHeaders.Add(response.Headers);
        var request = context.Request;
        if (!HostAllowed(request.Host.Host))
        {
            await Refuse(context, StatusCodes.Status403Forbidden, "this server answers only to its own address (Host header refused)");
            return;
        }
        bool post = HttpMethods.IsPost(request.Method) && postPaths is not null && postPaths.Contains(request.Path.Value ?? "");
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !post)
        {
            response.Headers.Allow = postPaths is not null && postPaths.Contains(request.Path.Value ?? "") ? "GET, HEAD, POST" : "GET, HEAD";
            await Refuse(context, StatusCodes.Status405MethodNotAllowed, "only GET and HEAD are served: the explorer reads, never writes");
            return;
        }
        // No token asked (the exporter's --no-auth, which only a loopback address may have).
        if (token is null)
        {
            await next(context);
            return;
        }
        string? offered = Offered(request, out bool inQuery);
        if (offered is null)
        {
            response.Headers.WWWAuthenticate = "Bearer";
            await Refuse(context, StatusCodes.Status401Unauthorized, "a token is required: open the URL pageatlas serve printed");
            return;
        }
        if (!token.Matches(offered))
        {
            await Refuse(context, StatusCodes.Status403Forbidden, "wrong token");
            return;
        }
        if (post && SameOriginRefusal(request) is { } refusal)
        {
            await Refuse(context, StatusCodes.Status403Forbidden, refusal);
            return;
        }
        if (inQuery)
        {
            response.Cookies.Append(CookieName, token.Value, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Path = "/",
                IsEssential = true,
            });
            if (!request.Path.StartsWithSegments("/api"))
            {
                response.Redirect(request.PathBase + request.Path + WithoutToken(request.QueryString));
                return;
            }
        }
        await next(context);
    }

    /// <summary>Why a POST is not from this server's own page, or null when it is.</summary>
    private static string? SameOriginRefusal(HttpRequest request)
    {
        string origin = request.Headers.Origin.ToString();
        if (origin.Length == 0) return "a POST needs an Origin header: send it from the explorer's own page";
        if (!string.Equals(origin, $"{request.Scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase))
            return "a POST from another site is refused (its Origin is not this server)";
        if (request.Headers[RequestHeader].ToString().Length == 0) return $"a POST needs the {RequestHeader} header the explorer's page sends";
        return null;
    }

    private bool HostAllowed(string host) => host.Length > 0 && hosts.Contains(host.ToLowerInvariant());

    private string? Offered(HttpRequest request, out bool inQuery)
    {
        inQuery = false;
        string authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return authorization[7..].Trim();
        if (request.Query.TryGetValue("token", out var query) && query.Count == 1)
        {
            inQuery = true;
            return query[0];
        }
        return request.Cookies.TryGetValue(CookieName, out var cookie) ? cookie : null;
    }

    private static QueryString WithoutToken(QueryString query)
    {
        var kept = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query.Value)
            .Where(p => p.Key != "token")
            .SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string?>(p.Key, v)));
        return QueryString.Create(kept);
    }

    private static Task Refuse(HttpContext context, int status, string message) => ApiResponse.Error(context, status, message);

    /// <summary>The Host names allowed for a server on <paramref name="bind"/>: loopback names, the bound address itself, and the names the user allowed.</summary>
    public static HashSet<string> AllowedHosts(IPAddress bind, IEnumerable<string> extra)
    {
        var names = new HashSet<string>(LoopbackNames, StringComparer.Ordinal);
        if (!IPAddress.IsLoopback(bind) && !bind.Equals(IPAddress.Any) && !bind.Equals(IPAddress.IPv6Any))
            names.Add(bind.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{bind}]" : bind.ToString());
        foreach (var name in extra) names.Add(name.ToLowerInvariant());
        return names;
    }
}
