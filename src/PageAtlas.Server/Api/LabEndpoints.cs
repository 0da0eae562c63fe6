using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PageAtlas.Labs;

namespace PageAtlas.Server.Api;

/// <summary>
/// The labs from the browser: GET /api/labs (`lab --json`'s catalog), POST /api/labs/run?name=NAME
/// (starts it: 202, or 409 while a run is under way; the gate let through only a POST with the token
/// from this server's own page), GET /api/labs/run (the run's state and, once done, its report and the
/// source of the snapshot its links point into).
/// </summary>
internal static class LabEndpoints
{
    public const string RunPath = "/api/labs/run";

    public static void Map(IEndpointRouteBuilder app, LabRuns runs)
    {
        app.MapRead("/api/labs", context => ApiResponse.Json(context, json => LabJson.WriteCatalog(json, LabCatalog.All)));
        app.MapRead(RunPath, context => ApiResponse.Json(context, json => WriteRun(json, runs)));
        app.MapPost(RunPath, async context =>
        {
            string name = context.Request.Query["name"].ToString();
            if (LabCatalog.Find(name) is not { } lab)
            {
                await ApiResponse.Error(context, StatusCodes.Status404NotFound, $"no lab named '{name}': {string.Join(", ", LabCatalog.All.Select(l => l.Name))}");
                return;
            }
            if (!runs.TryStart(lab))
            {
                await ApiResponse.Error(context, StatusCodes.Status409Conflict, $"a lab is running ({runs.Current.Name}): one at a time");
                return;
            }
            context.Response.StatusCode = StatusCodes.Status202Accepted;
            await ApiResponse.Json(context, json => WriteRun(json, runs));
        });
    }

    private static void WriteRun(System.Text.Json.Utf8JsonWriter json, LabRuns runs)
    {
        var run = runs.Current;
        LabJson.WriteRun(json, run.Name, run.State, run.Error, run.Report, run.Snapshot?.Source, run.Snapshot?.Note);
    }
}
