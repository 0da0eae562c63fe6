using Xunit;

namespace PageAtlas.Tests.Cli;

/// <summary>pageatlas exporter refuses what it must not run with before it listens: one line, exit 2.</summary>
public class ExporterArgumentTests
{
    [Theory]
    [InlineData("--no-auth only with a loopback address", "--no-auth", "--bind", "0.0.0.0")]
    [InlineData("--no-auth only with a loopback address", "--no-auth", "--bind", "192.0.2.1")]
    [InlineData("--min-interval", "--min-interval", "2h")]
    [InlineData("--min-interval", "--min-interval", "soon")]
    [InlineData("--census-interval", "--census-interval", "25h")]
    [InlineData("--census-interval", "--census-interval", "later")]
    // "1h" is a time (the bound --min-interval names): the refusal is of the census interval that follows it.
    [InlineData("--census-interval", "--min-interval", "1h", "--census-interval", "25h")]
    [InlineData("--largest", "--largest", "0")]
    [InlineData("--bind", "--bind", "not-an-address")]
    public void RefusedBeforeListening(string topic, params string[] args)
    {
        var run = InProcessCli.Run(["exporter", .. args]);
        Assert.Equal(2, run.Code);
        string line = Assert.Single(run.Err.TrimEnd('\n').Split('\n'));
        Assert.Contains(topic.Split(' ')[0], line, StringComparison.Ordinal);
        Assert.Empty(run.Out);
    }
}
