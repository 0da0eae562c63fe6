using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace PageAtlas.Server.Api;

/// <summary>Every endpoint answers GET and HEAD alike (HEAD: the same status and headers, no body): the explorer only reads.</summary>
internal static class ReadEndpoints
{
    private static readonly string[] s_methods = [HttpMethods.Get, HttpMethods.Head];

    public static IEndpointConventionBuilder MapRead(this IEndpointRouteBuilder app, string pattern, RequestDelegate handler) =>
        app.MapMethods(pattern, s_methods, handler);
}
