using System.Reflection;
using Microsoft.AspNetCore.Http;

using PageAtlas.Server.Api;

namespace PageAtlas.Server;

/// <summary>
/// The front end, compiled into this assembly as resources named "web/…" (PageAtlas.Server.csproj
/// builds web/ into obj/…/web and embeds it): served from memory, so the one native binary is the whole explorer. Every
/// path that is not a file and not /api is the application's page (its views have their own URLs:
/// /process/123 reloads to the same view).
/// </summary>
internal static class StaticAssets
{
    private static readonly Assembly s_assembly = typeof(StaticAssets).Assembly;

    private static readonly Dictionary<string, string> s_types = new(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".json"] = "application/json; charset=utf-8",
        [".map"] = "application/json; charset=utf-8",
    };

    /// <summary>The resource names served, "web/index.html" and the rest.</summary>
    public static IEnumerable<string> Names => s_assembly.GetManifestResourceNames().Where(n => n.StartsWith("web/", StringComparison.Ordinal));

    /// <summary>Answers a request for a file of the front end, or the page itself for a view's URL.</summary>
    public static async Task Serve(HttpContext context)
    {
        string path = context.Request.Path.Value ?? "/";
        string name = "web" + (path == "/" ? "/index.html" : path);
        var stream = s_assembly.GetManifestResourceStream(name);
        string extension = System.IO.Path.GetExtension(name);
        if (stream is null || !s_types.TryGetValue(extension, out string? type))
        {
            stream?.Dispose();
            if (extension.Length > 0)
            {
                await ApiResponse.Error(context, StatusCodes.Status404NotFound, "no such file");
                return;
            }
            stream = s_assembly.GetManifestResourceStream("web/index.html");
            type = s_types[".html"];
            if (stream is null)
            {
                await ApiResponse.Error(context, StatusCodes.Status500InternalServerError, "this pageatlas was built without its front end");
                return;
            }
        }
        await using (stream)
        {
            context.Response.ContentType = type;
            context.Response.ContentLength = stream.Length;
            if (!HttpMethods.IsHead(context.Request.Method)) await stream.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
    }
}
