using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace PageAtlas.LiveTests.Explorer;

/// <summary>
/// Who may use `pageatlas serve`: only requests with its token, naming it by a loopback name, reading;
/// it listens on loopback only unless told otherwise — checked against the kernel's own socket table
/// (/proc/net/tcp), not against what the server says of itself.
/// </summary>
public sealed class ExplorerAccessTests
{
    [Fact]
    public void WithoutTheTokenARequestIs401AndWithAWrongOne403()
    {
        using var server = ServedExplorer.Start();
        using var anonymous = ServedExplorer.Authorised(null);
        using var response = anonymous.Send(new HttpRequestMessage(HttpMethod.Get, new Uri(server.Root, "api/sources")));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        using var home = anonymous.Send(new HttpRequestMessage(HttpMethod.Get, server.Root));
        Assert.Equal(HttpStatusCode.Unauthorized, home.StatusCode);
        using var wrong = ServedExplorer.Authorised(server.Token[..^1] + (server.Token[^1] == 'a' ? 'b' : 'a'));
        using var refused = wrong.Send(new HttpRequestMessage(HttpMethod.Get, new Uri(server.Root, "api/sources")));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("live", server.Get("api/sources").GetProperty("sources")[0].GetProperty("id").GetString());
    }

    [Fact]
    public void ThePrintedUrlSetsAPrivateCookieAndRedirectsToItselfWithoutTheToken()
    {
        using var server = ServedExplorer.Start();
        using var browser = ServedExplorer.Authorised(null);
        using var first = browser.Send(new HttpRequestMessage(HttpMethod.Get, new Uri(server.Root, $"process/1?view=pages&token={server.Token}")));
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal("/process/1?view=pages", first.Headers.Location!.OriginalString);
        string cookie = Assert.Single(first.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith($"pageatlas-token-{server.Root.Port}={server.Token};", cookie);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Root, "api/sources"));
        request.Headers.Add("Cookie", cookie.Split(';')[0]);
        using var withCookie = browser.Send(request);
        Assert.Equal(HttpStatusCode.OK, withCookie.StatusCode);
    }

    [Fact]
    public void ARequestNamingAnotherHostIsRefusedEvenWithTheToken()
    {
        using var server = ServedExplorer.Start();
        foreach (var (host, status) in new[] { ("evil.example", HttpStatusCode.Forbidden), ($"evil.example:{server.Root.Port}", HttpStatusCode.Forbidden),
            ($"localhost:{server.Root.Port}", HttpStatusCode.OK), ($"127.0.0.1:{server.Root.Port}", HttpStatusCode.OK) })
        {
            var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Root, "api/sources"));
            request.Headers.Host = host;
            using var response = server.Client.Send(request);
            Assert.True(status == response.StatusCode, $"Host {host}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public void NothingButGetAndHeadIsServedAndEveryAnswerCarriesTheSecurityHeaders()
    {
        using var server = ServedExplorer.Start();
        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch })
        {
            // POST /api/sources is the upload (ExplorerUploadTests): every other route reads only
            string path = method == HttpMethod.Post ? "api/live/processes" : "api/sources";
            using var response = server.Client.Send(new HttpRequestMessage(method, new Uri(server.Root, path)) { Content = new StringContent("{}") });
            Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        }
        using var head = server.Client.Send(new HttpRequestMessage(HttpMethod.Head, new Uri(server.Root, "api/sources")));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        using var get = server.Client.Send(new HttpRequestMessage(HttpMethod.Get, new Uri(server.Root, "api/sources")));
        string policy = string.Join(";", get.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", policy);
        Assert.Contains("script-src 'self'", policy);
        Assert.Equal("nosniff", get.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("no-referrer", get.Headers.GetValues("Referrer-Policy").Single());
        Assert.True(get.Headers.CacheControl?.NoStore);
    }

    [Fact]
    public void ItListensOnLoopbackOnlyAndCtrlCEndsItWithExit0()
    {
        using var server = ServedExplorer.Start();
        Assert.Equal("127.0.0.1", server.Root.Host);
        Assert.Equal([IPAddress.Loopback], ListeningAddresses(server.Root.Port));
        var (code, err) = server.Stop();
        Assert.Equal(0, code);
        Assert.DoesNotContain("   at ", err);
        Assert.Empty(ListeningAddresses(server.Root.Port));
    }

    [Fact]
    public void BindingElsewhereMustBeAskedForAndWarns()
    {
        using var server = ServedExplorer.Start("--bind", "0.0.0.0");
        Assert.Equal([IPAddress.Any], ListeningAddresses(server.Root.Port));
        var (code, err) = server.Stop();
        Assert.Equal(0, code);
        Assert.Contains("pageatlas: warning: listening on 0.0.0.0", err);
    }

    [Fact]
    public void APortInUseOrABadOptionIsOneLineAndExit2()
    {
        using var server = ServedExplorer.Start();
        var (code, _, err) = RunningCli.Run(TimeSpan.FromSeconds(60), ["serve", "--port", server.Root.Port.ToString(CultureInfo.InvariantCulture)]);
        Assert.Equal(2, code);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"cannot listen on 127.0.0.1:{server.Root.Port}", err);
        (code, _, err) = RunningCli.Run(TimeSpan.FromSeconds(60), ["serve", "--bind", "not-an-address"]);
        Assert.Equal(2, code);
        Assert.Contains("--bind takes an IP address", err);
    }

    [Fact]
    public void AnAddressThisMachineDoesNotHaveIsOneLineAndExit2()
    {
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): never assigned to a machine, so bind(2) fails with
        // EADDRNOTAVAIL, a SocketException rather than the IOException of a port in use.
        var (code, _, err) = RunningCli.Run(TimeSpan.FromSeconds(60), ["serve", "--bind", "192.0.2.1"]);
        Assert.Equal(2, code);
        Assert.Contains("pageatlas: cannot listen on 192.0.2.1:0: ", err);
        Assert.DoesNotContain("internal error", err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void ATokenFileGivesTheToken()
    {
        string file = Path.Combine(Path.GetTempPath(), "pageatlas-token-" + Guid.NewGuid().ToString("N"));
        File.WriteAllText(file, "a-token-from-a-file-0123456789\n");
        try
        {
            using var server = ServedExplorer.Start("--token-file", file);
            Assert.Equal("a-token-from-a-file-0123456789", server.Token);
            server.Get("api/sources");
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The local addresses the kernel has a listening TCP socket on for <paramref name="port"/> (/proc/net/tcp, state 0A).</summary>
    private static List<IPAddress> ListeningAddresses(int port)
    {
        var found = new List<IPAddress>();
        foreach (var line in File.ReadLines("/proc/net/tcp").Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var local = fields[1].Split(':');
            if (fields[3] != "0A" || int.Parse(local[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture) != port) continue;
            // The address is the 32-bit value as the kernel holds it, printed in host (little-endian) order.
            uint raw = uint.Parse(local[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            found.Add(new IPAddress(BitConverter.GetBytes(raw)));
        }
        return found;
    }
}
