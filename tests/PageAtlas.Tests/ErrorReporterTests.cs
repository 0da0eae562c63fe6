using PageAtlas.Cli;
using PageAtlas.Snapshots;

namespace PageAtlas.Tests;

/// <summary>Exit codes follow the cause PageAtlas decided, never the .NET type of whatever was thrown.</summary>
public class ErrorReporterTests
{
    public static TheoryData<Exception, int> Causes() => new()
    {
        { new InvalidRequestException("'x' is not a process id"), 2 },
        { new TargetUnavailableException(5, TargetUnavailableReason.NotFound, "no process 5"), 3 },
        { new TargetUnavailableException(5, TargetUnavailableReason.Exited, "process 5 exited"), 3 },
        { new TargetUnavailableException(2, TargetUnavailableReason.KernelThread, "kthreadd"), 4 },
        { new TargetUnavailableException(9, TargetUnavailableReason.Zombie, "zombie"), 4 },
        { new PrivilegeRequiredException("/proc/kpageflags", "run as root"), 5 },
        { new KernelDataException("/proc/1/maps: line 3"), 6 },
        { new MemoryAccessException(0x1000, 2, 8, "refused"), 7 },
        { new ExternalToolException("dot is missing"), 8 },
        { new SnapshotFormatException("x.db", "corrupt"), 10 },
        { new FileAccessException("/ro/x", "read-only file system"), 11 },
        { new OperationCanceledException(), 130 },
    };

    [Theory]
    [MemberData(nameof(Causes))]
    public void EachCauseHasItsOwnCode(Exception e, int code) => Assert.Equal(code, ErrorReporter.CodeFor(e));

    [Theory]
    [InlineData(typeof(ArgumentException))]
    [InlineData(typeof(ArgumentOutOfRangeException))]
    [InlineData(typeof(FormatException))]
    [InlineData(typeof(InvalidDataException))]
    [InlineData(typeof(IOException))]
    [InlineData(typeof(NullReferenceException))]
    public void AnythingElseIsAnInternalErrorNotAUsageError(Type type) =>
        Assert.Equal(1, ErrorReporter.CodeFor((Exception)Activator.CreateInstance(type, "a library fault")!));

    [Fact]
    public void EveryCauseMapsToADocumentedCodeOtherThanInternalError()
    {
        foreach (var cause in Enum.GetValues<FailureCause>())
            Assert.NotEqual(1, ErrorReporter.CodeFor(cause));
    }

    [Fact]
    public void TheCauseKeepsTheExceptionItCameFrom()
    {
        var sqlite = new IOException("disk I/O error");
        var e = new SnapshotFormatException("x.db", "snapshot x.db is corrupt", sqlite);
        Assert.Same(sqlite, e.InnerException);
    }

    [Fact]
    public void TheReportIsOneEscapedLineAndAnInternalErrorAsksForAReport()
    {
        var captured = new StringWriter();
        Assert.Equal(2, ErrorReporter.Report(new InvalidRequestException("no VMA matches \e[2Jevil\nline"), verbose: false, captured));
        Assert.Equal(1, ErrorReporter.Report(new ArgumentException("boom"), verbose: false, captured));
        var lines = captured.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal("pageatlas: no VMA matches \\e[2Jevil\\nline", lines[0]);
        Assert.StartsWith("pageatlas: internal error: boom", lines[1]);
        Assert.Contains("please report", lines[1]);
    }
}
