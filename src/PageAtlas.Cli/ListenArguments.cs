using System.CommandLine;
using System.Net;
using PageAtlas.Rendering;
using PageAtlas.Server;

namespace PageAtlas.Cli;

/// <summary>
/// --port, --bind and --token-file, which every server command takes (serve, exporter): where it
/// listens and the token it asks. Loopback unless --bind names another address, which is warned of:
/// anyone who reaches it and has the token reads what the server serves.
/// </summary>
internal sealed class ListenArguments
{
    private readonly string _readable;

    /// <param name="readable">What anyone who reaches the server (and has its token) can read, for the help and the warning.</param>
    /// <param name="tokenFileNote">A note after --token-file's description (how a client is given the same file), or null.</param>
    public ListenArguments(string readable, string? tokenFileNote = null)
    {
        _readable = readable;
        Port = new Option<int>("--port") { Description = "TCP port to listen on (default: a free one)", DefaultValueFactory = _ => 0 };
        Bind = new Option<string?>("--bind") { HelpName = "address", Description = $"Listen on this address instead of 127.0.0.1 (anyone who can reach it and has the token can read {readable})" };
        TokenFile = new Option<string?>("--token-file")
        {
            HelpName = "file",
            Description = "Read the access token from this file's first line instead of making a random one" + (tokenFileNote is null ? "" : $" ({tokenFileNote})"),
        };
    }

    public Option<int> Port { get; }

    public Option<string?> Bind { get; }

    public Option<string?> TokenFile { get; }

    /// <exception cref="InvalidRequestException">The port is not 0 to 65535.</exception>
    public int PortOf(ParseResult result) =>
        result.GetValue(Port) is var port and >= 0 and <= 65535 ? port : throw new InvalidRequestException("--port is 0 to 65535");

    /// <summary>The address to listen on: 127.0.0.1 unless --bind names another.</summary>
    /// <exception cref="InvalidRequestException">--bind is not an IP address.</exception>
    public IPAddress AddressOf(ParseResult result) =>
        result.GetValue(Bind) is not { } text ? IPAddress.Loopback
        : IPAddress.TryParse(text, out var parsed) ? parsed
        : throw new InvalidRequestException($"--bind takes an IP address, not '{TerminalText.Escape(text)}'");

    /// <summary>The token from --token-file, else a random one.</summary>
    public AccessToken TokenOf(ParseResult result) =>
        result.GetValue(TokenFile) is { } file ? AccessToken.From(Server.TokenFile.Read(file)) : AccessToken.Generate();

    /// <summary>Says on stderr, when <paramref name="address"/> is not loopback, who can read what.</summary>
    public void WarnIfExposed(CliConsole console, IPAddress address)
    {
        if (!IPAddress.IsLoopback(address))
            console.Warn($"listening on {address}: anyone who can reach it and has the token can read {_readable}");
    }
}
