using FsCheck.Fluent;
using PageAtlas.Linux;
using PageAtlas.Model;

namespace PageAtlas.Tests.Fuzz;

/// <summary>
/// The /proc parsers and the argument parsers on arbitrary text and on real text with a few
/// characters changed: each either parses or throws the exception it documents (KernelDataException
/// for kernel text, InvalidRequestException for a user's argument), never anything else.
/// </summary>
public class ParserFuzzTests
{
    /// <summary>Real kernel text, read once: what mutations start from.</summary>
    private static readonly Dictionary<string, string> s_samples = new()
    {
        ["maps"] = File.ReadAllText("/proc/self/maps"),
        ["smaps"] = File.ReadAllText("/proc/self/smaps"),
        ["stat"] = File.ReadAllText("/proc/self/stat"),
        ["status"] = File.ReadAllText("/proc/self/status"),
        ["meminfo"] = File.ReadAllText("/proc/meminfo"),
        ["buddyinfo"] = File.ReadAllText("/proc/buddyinfo"),
        ["zoneinfo"] = File.ReadAllText("/proc/zoneinfo"),
        // Only root sees real addresses in iomem; a captured one keeps the test independent of who runs it.
        ["iomem"] = "00000000-00000fff : Reserved\n00001000-0009fbff : System RAM\n000a0000-000fffff : Reserved\n  000f0000-000fffff : System ROM\n00100000-bffdffff : System RAM\n  0a000000-0b0fffff : Kernel code\nfeb00000-febfffff : PCI Bus 0000:00\n",
    };

    /// <summary>Each parser, as a call that may only fail with KernelDataException.</summary>
    private static readonly Dictionary<string, Action<string>> s_kernelParsers = new()
    {
        ["maps"] = text => ProcMaps.Parse(text, "/proc/1/maps"),
        ["smaps"] = text => ProcSmaps.Parse(text),
        ["stat"] = text => ProcStat.Parse(text, "/proc/1/stat"),
        ["status"] = text => _ = ProcStatus.Parse(text) is var s ? (s.PageTableBytes, s.ResidentBytes, s.Threads, s.EffectiveCapabilities, s.Name) : default,
        ["meminfo"] = text => ProcMeminfo.Parse(text),
        ["buddyinfo"] = text => ProcBuddyinfo.Parse(text),
        ["zoneinfo"] = text => ProcZoneinfo.Parse(text),
        ["iomem"] = text => ProcIomem.Parse(text),
    };

    public static TheoryData<string> KernelFiles => new(s_kernelParsers.Keys);

    [Theory]
    [MemberData(nameof(KernelFiles))]
    public void RealKernelTextParses(string file) => s_kernelParsers[file](s_samples[file]);

    [Theory]
    [MemberData(nameof(KernelFiles))]
    public void ArbitraryTextParsesOrIsMalformedKernelData(string file) =>
        Fuzzing.Check(Fuzzing.Text, text => Fuzzing.OnlyDocumentedFailure<KernelDataException>(() => s_kernelParsers[file](text)));

    [Theory]
    [MemberData(nameof(KernelFiles))]
    public void MutatedKernelTextParsesOrIsMalformedKernelData(string file) =>
        Fuzzing.Check(Fuzzing.Mutations(s_samples[file]), text => Fuzzing.OnlyDocumentedFailure<KernelDataException>(() => s_kernelParsers[file](text)));

    /// <summary>Each argument parser, as a call that may only fail with InvalidRequestException.</summary>
    private static readonly Dictionary<string, (Action<string> Parse, string Sample)> s_argumentParsers = new()
    {
        ["range"] = (text => AddressRange.Parse(text), "0x7f0000001000+2M"),
        ["range-dots"] = (text => AddressRange.Parse(text), "7f0000001000..7f0000003000"),
        ["address"] = (text => AddressRange.ParseAddress(text), "0x7ffd12345000"),
        ["length"] = (text => AddressRange.ParseLength(text), "0x1000"),
        ["frame-filter"] = (text => FrameFilter.Parse([text]).Matches(0x2828), "anon,~lru;=anon,mmap,0x10"),
        ["pid"] = (text => ProcessId.Parse(text), "12345"),
    };

    public static TheoryData<string> Arguments => new(s_argumentParsers.Keys);

    [Theory]
    [MemberData(nameof(Arguments))]
    public void ArbitraryArgumentsParseOrAreInvalidRequests(string parser) =>
        Fuzzing.Check(Fuzzing.Text, text => Fuzzing.OnlyDocumentedFailure<InvalidRequestException>(() => s_argumentParsers[parser].Parse(text)));

    [Theory]
    [MemberData(nameof(Arguments))]
    public void MutatedArgumentsParseOrAreInvalidRequests(string parser) =>
        Fuzzing.Check(Fuzzing.Mutations(s_argumentParsers[parser].Sample),
            text => Fuzzing.OnlyDocumentedFailure<InvalidRequestException>(() => s_argumentParsers[parser].Parse(text)));
}
