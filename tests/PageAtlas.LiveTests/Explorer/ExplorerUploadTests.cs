using System.Globalization;
using System.Net;
using System.Text.Json;
using PageAtlas.Labs;

namespace PageAtlas.LiveTests.Explorer;

/// <summary>
/// Uploading a snapshot to `pageatlas serve` (POST /api/sources): a real snapshot of a specimen taken
/// by the CLI becomes a source that browses with the maps the CLI reads from the same file; a
/// truncated or garbage file is 422 with one line and adds nothing; past --max-upload is 413; a POST
/// without the Origin of the server, with another site's, or without the explorer's header is 403;
/// the files are private (0600 in a 0700 directory) and gone once the server stops. The server runs
/// with its own TMPDIR so that its upload directory is this test's to look at.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ExplorerUploadTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pageatlas-upload-test-").FullName;
    private string Temp => Path.Combine(_directory, "tmp");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private ServedExplorer Serve(params string[] args)
    {
        Directory.CreateDirectory(Temp);
        return ServedExplorer.StartWith(new Dictionary<string, string> { ["TMPDIR"] = Temp }, args);
    }

    /// <summary>Uploads <paramref name="body"/> as <paramref name="name"/> (as the page does, or without its Origin or header).</summary>
    private static (HttpStatusCode Status, JsonElement Body) Upload(ServedExplorer server, byte[] body, string name, string? origin = "self", bool header = true) =>
        server.Post($"/api/sources?name={Uri.EscapeDataString(name)}", new ByteArrayContent(body), origin, header);

    private string Snapshot(int pid, string name)
    {
        string file = Path.Combine(_directory, name);
        var (code, _, err) = CliErrorTests.Run("snapshot", pid.ToString(CultureInfo.InvariantCulture), "-o", file);
        Assert.True(code == 0, err);
        return file;
    }

    private static List<string> SourceIds(ServedExplorer server) =>
        [.. server.Get("/api/sources").GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("id").GetString()!)];

    [SkippableFact]
    public void AnUploadedSnapshotBrowsesAsTheCliReadsItAndBadOnesAreRefused()
    {
        using var specimen = Specimen.Start();
        string file = Snapshot(specimen.Pid, "layout.db");
        byte[] bytes = File.ReadAllBytes(file);
        using var server = Serve();

        // refused before anything is read: no Origin, another site's, no explorer header (403)
        Assert.Equal(HttpStatusCode.Forbidden, Upload(server, bytes, "a.db", origin: null).Status);
        Assert.Equal(HttpStatusCode.Forbidden, Upload(server, bytes, "a.db", origin: "http://evil.example").Status);
        Assert.Equal(HttpStatusCode.Forbidden, Upload(server, bytes, "a.db", header: false).Status);
        // a truncated file and garbage: 422 with one line naming the file as it was sent
        var (truncated, why) = Upload(server, bytes[..(bytes.Length / 2)], "half.db");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, truncated);
        Assert.Contains("half.db", why.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain('\n', why.GetProperty("error").GetString()!);
        Assert.DoesNotContain(Temp, why.GetProperty("error").GetString()!, StringComparison.Ordinal);
        var garbage = new byte[8192];
        new Random(19).NextBytes(garbage);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, Upload(server, garbage, "garbage.db").Status);
        Assert.Equal(["live"], SourceIds(server));

        // the real one
        var (status, added) = Upload(server, bytes, "layout.db");
        Assert.True(status == HttpStatusCode.Created, added.GetRawText());
        string id = added.GetProperty("id").GetString()!;
        Assert.Equal(["live", id], SourceIds(server));
        var (code, stdout, err) = CliErrorTests.Run("maps", "--snapshot", file, "--json");
        Assert.True(code == 0, err);
        using var cli = JsonDocument.Parse(stdout);
        var served = server.Get($"/api/{id}/processes/{specimen.Pid}/maps");
        Assert.True(JsonElement.DeepEquals(cli.RootElement.GetProperty("vmas"), served.GetProperty("vmas")), served.GetProperty("vmas").GetRawText());

        // private files: one directory (0700) holding the one kept upload (0600), nothing of the refused ones
        var uploads = Assert.Single(Directory.GetDirectories(Temp));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(uploads));
        var kept = Assert.Single(Directory.GetFiles(uploads));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(kept));
        Assert.Equal(bytes, File.ReadAllBytes(kept));

        var (exit, stopErr) = server.Stop();
        Assert.True(exit == 0, stopErr);
        Assert.Empty(Directory.GetFileSystemEntries(Temp));
    }

    [SkippableFact]
    public void AnUploadPastTheCapIs413AndNoUploadTurnsItOff()
    {
        using (var server = Serve("--max-upload", "64K"))
        {
            var (status, body) = Upload(server, new byte[65 * 1024], "big.db");
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
            Assert.Contains("--max-upload", body.GetProperty("error").GetString(), StringComparison.Ordinal);
            Assert.Equal(["live"], SourceIds(server));
            Assert.All(Directory.GetDirectories(Temp), d => Assert.Empty(Directory.GetFiles(d)));
            server.Stop();
        }
        using (var off = Serve("--no-upload"))
        {
            var (status, body) = Upload(off, new byte[16], "x.db");
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.Contains("--no-upload", body.GetProperty("error").GetString(), StringComparison.Ordinal);
        }
    }
}
