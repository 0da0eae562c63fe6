using System.Text;
using System.Text.Json;
using PageAtlas.Cli;

namespace PageAtlas.Tests.Cli;

/// <summary>What one in-process run of pageatlas gave: its exit code, standard output and standard error.</summary>
internal sealed record CliRun(int Code, string Out, string Err)
{
    /// <summary>Standard output's lines, without the last empty one.</summary>
    public string[] Lines => Out.TrimEnd('\n').Split('\n');

    /// <summary>Standard output's JSON lines, each parsed (translate, pages, mtest).</summary>
    public JsonElement[] JsonLines() => [.. Lines.Select(l => JsonDocument.Parse(l).RootElement)];

    /// <summary>Standard output as the JSON document of a run that must have succeeded (else its stderr is the failure).</summary>
    public JsonElement Json()
    {
        Assert.True(Code == 0, Err);
        return JsonDocument.Parse(Out).RootElement;
    }
}

/// <summary>
/// Runs pageatlas's command tree in this process on captured streams, as the program runs it on its
/// own: the same parsing, handlers, renderers and error reporting, with no process spawned and no root.
/// </summary>
internal static class InProcessCli
{
    /// <summary>Runs <paramref name="args"/> as in a pipe: no width, every value whole.</summary>
    public static CliRun Run(params string[] args) => RunOn(null, args, outputIsTerminal: false, CancellationToken.None);

    /// <summary>Runs <paramref name="args"/> with tables laid out for <paramref name="width"/> columns.</summary>
    public static CliRun RunAt(int width, params string[] args) => RunUntil(width, args, CancellationToken.None);

    /// <summary>Runs <paramref name="args"/> with <paramref name="cancellation"/> as the run's token (a signal's, in the program).</summary>
    public static CliRun RunUntil(int width, string[] args, CancellationToken cancellation) => RunOn(width, args, outputIsTerminal: false, cancellation);

    /// <summary>Runs <paramref name="args"/> on a console whose standard output stands for a terminal (captured all the same).</summary>
    public static CliRun RunOnTerminal(params string[] args) => RunOn(200, args, outputIsTerminal: true, CancellationToken.None);

    /// <summary>Runs <paramref name="args"/> with <paramref name="input"/> as standard input (mtest's requests).</summary>
    public static CliRun RunWithInput(string input, params string[] args) => RunOn(null, args, outputIsTerminal: false, CancellationToken.None, new StringReader(input));

    private static CliRun RunOn(int? width, string[] args, bool outputIsTerminal, CancellationToken cancellation, TextReader? input = null)
    {
        var stdout = new MemoryStream();
        var error = new StringWriter();
        using (var text = new StreamWriter(new KeptOpen(stdout), new UTF8Encoding(false)) { AutoFlush = true })
        {
            var console = CliConsole.Captured(() => new KeptOpen(stdout), text, error, width, outputIsTerminal, input);
            int code = CommandLine.Run(args, console, cancellation);
            text.Flush();
            return new CliRun(code, Encoding.UTF8.GetString(stdout.ToArray()), error.ToString());
        }
    }

    /// <summary>The captured stream, which a command may dispose without closing it.</summary>
    private sealed class KeptOpen(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);
    }
}
