using System.Reflection;

namespace PageAtlas.Tests.Architecture;

/// <summary>
/// The library's namespaces depend on each other one way only: sources (<c>Linux</c>) and analyses
/// (<c>Analysis</c>) meet in <c>Model</c>, and neither knows the other's side of it; <c>Paging</c>,
/// the hardware model, depends on nothing of PageAtlas. Checked on the compiled assembly, through
/// every type each type refers to in its signatures, fields and method bodies (<see cref="TypeReferences"/>),
/// so a <c>using</c> that slips in fails here whatever it is used for.
/// </summary>
public sealed class NamespaceDependencyTests
{
    /// <summary>What a host may use of the library: every namespace of the core and of its packages.</summary>
    private static readonly string[] s_core =
        ["PageAtlas", "PageAtlas.Model", "PageAtlas.Paging", "PageAtlas.Output", "PageAtlas.Linux", "PageAtlas.Linux.Interop", "PageAtlas.Analysis", "PageAtlas.Rendering", "PageAtlas.Snapshots", "PageAtlas.Labs"];

    /// <summary>
    /// Every edge allowed, in one place: a namespace of the core library and the namespaces it may use.
    /// A namespace may always use itself, and every namespace may use the errors (<see cref="Errors"/>).
    /// Read from the top down, it is the order of the layers.
    /// </summary>
    internal static readonly IReadOnlyDictionary<string, string[]> AllowedEdges = new Dictionary<string, string[]>
    {
        // The hardware model: paging modes, address splits, page-table entries. Pure: nothing of PageAtlas.
        ["PageAtlas.Paging"] = [],
        // The exceptions every layer throws (src/PageAtlas/Errors, in the root namespace): nothing.
        [Errors] = [],
        // Values that describe a process and the machine: VMAs, pages, frames, facts, tallies.
        ["PageAtlas.Model"] = ["PageAtlas.Paging"],
        // The seams (IMemoryTarget, IFrameSource) and the progress counter they report to.
        ["PageAtlas"] = ["PageAtlas.Model", "PageAtlas.Paging"],
        // Writing files PageAtlas is asked to write, safely.
        ["PageAtlas.Output"] = ["PageAtlas", "PageAtlas.Linux", "PageAtlas.Linux.Interop"],
        ["PageAtlas.Linux.Interop"] = [],
        // The kernel's interfaces: a live process and the live machine as sources of the model.
        ["PageAtlas.Linux"] = ["PageAtlas", "PageAtlas.Model", "PageAtlas.Paging", "PageAtlas.Linux.Interop"],
        // One file per question, on any source.
        ["PageAtlas.Analysis"] = ["PageAtlas", "PageAtlas.Model", "PageAtlas.Paging", "PageAtlas.Linux", "PageAtlas.Linux.Interop"],
        // Reports into text, JSON and DOT.
        ["PageAtlas.Rendering"] = ["PageAtlas", "PageAtlas.Model", "PageAtlas.Paging", "PageAtlas.Analysis", "PageAtlas.Linux"],
        // The packages on the core (their project references keep the core from using them).
        ["PageAtlas.Snapshots"] = ["PageAtlas", "PageAtlas.Model", "PageAtlas.Paging", "PageAtlas.Analysis", "PageAtlas.Linux", "PageAtlas.Linux.Interop", "PageAtlas.Output"],
        ["PageAtlas.Labs"] = ["PageAtlas", "PageAtlas.Model", "PageAtlas.Paging", "PageAtlas.Analysis", "PageAtlas.Linux", "PageAtlas.Linux.Interop", "PageAtlas.Rendering"],
        // The server (explorer and exporter), a host like the CLI: the core and both packages, never
        // the CLI. Its parts in layers: measuring processes, a process watched live, the explorer's
        // HTTP API (and its sources and lab runs), the metrics served beside it, the servers hosting them.
        ["PageAtlas.Server.Measurement"] = [.. s_core],
        ["PageAtlas.Server.Live"] = [.. s_core, "PageAtlas.Server.Measurement"],
        ["PageAtlas.Server.Api"] = [.. s_core, "PageAtlas.Server.Measurement", "PageAtlas.Server.Live"],
        ["PageAtlas.Server.Metrics"] = [.. s_core, "PageAtlas.Server.Measurement", "PageAtlas.Server.Api"],
        ["PageAtlas.Server"] = [.. s_core, "PageAtlas.Server.Measurement", "PageAtlas.Server.Metrics", "PageAtlas.Server.Live", "PageAtlas.Server.Api"],
    };


    /// <summary>The errors' layer: the root namespace's exceptions and the enums they carry.</summary>
    internal const string Errors = "PageAtlas (errors)";

    /// <summary>The layer <paramref name="type"/> belongs to: its namespace, but for the errors in the root namespace.</summary>
    private static string? LayerOf(Type type) =>
        type.Namespace == "PageAtlas" && (typeof(Exception).IsAssignableFrom(type) || type == typeof(FailureCause) || type == typeof(TargetUnavailableReason))
            ? Errors
            : type.Namespace;

    /// <summary>The edges between PageAtlas namespaces that <paramref name="assembly"/>'s types make, each with one type that makes it.</summary>
    internal static Dictionary<(string From, string To), string> EdgesOf(Assembly assembly)
    {
        var edges = new Dictionary<(string, string), string>();
        foreach (var type in assembly.GetTypes())
        {
            if (LayerOf(type) is not { } from || !from.StartsWith("PageAtlas", StringComparison.Ordinal)) continue;
            foreach (var used in TypeReferences.Of(type))
            {
                if (LayerOf(used) is { } to && to.StartsWith("PageAtlas", StringComparison.Ordinal) && to != from && to != Errors)
                    edges.TryAdd((from, to), $"{type.FullName} uses {used.FullName}");
            }
        }
        return edges;
    }

    /// <summary>
    /// The library's assemblies: the core, the packages built on it (each may only use the core, which
    /// its references enforce) and the server, a host on all three (the CLI, the other host, is not
    /// checked here: it may use everything but the server).
    /// </summary>
    public static TheoryData<string> Libraries() =>
        [typeof(IMemoryTarget).Assembly.GetName().Name!, typeof(Snapshots.Snapshot).Assembly.GetName().Name!, typeof(Labs.SpecimenProcess).Assembly.GetName().Name!, "PageAtlas.Server"];

    [Theory]
    [MemberData(nameof(Libraries))]
    public void TheLibraryMakesNoEdgeBesideTheAllowedOnes(string library)
    {
        var forbidden = EdgesOf(Assembly.Load(library))
            .Where(e => !AllowedEdges.TryGetValue(e.Key.From, out var allowed) || !allowed.Contains(e.Key.To))
            .Select(e => $"{e.Key.From} -> {e.Key.To}: {e.Value}").Order().ToList();
        Assert.True(forbidden.Count == 0, "forbidden namespace edges:\n" + string.Join('\n', forbidden));
    }

    /// <summary>The server is a host beside the CLI, never on it (its project does not reference it; this keeps it so).</summary>
    [Fact]
    public void TheServerDoesNotUseTheCli() =>
        Assert.DoesNotContain(Assembly.Load("PageAtlas.Server").GetReferencedAssemblies(), a => a.Name == "PageAtlas.Cli");

    /// <summary>
    /// The core starts one external program: Graphviz's dot (Rendering/Graphviz.cs, bounded in time
    /// and output). Nothing else in it may start a process: the labs, which do, are their own package.
    /// </summary>
    [Fact]
    public void OnlyGraphvizStartsAProcessInTheCore()
    {
        var starters = typeof(IMemoryTarget).Assembly.GetTypes()
            .Where(t => TypeReferences.Of(t).Any(u => u == typeof(System.Diagnostics.Process) || u == typeof(System.Diagnostics.ProcessStartInfo)))
            .Select(t => Outermost(t).FullName).Distinct();
        Assert.Equal(["PageAtlas.Rendering.Graphviz"], starters);
    }

    /// <summary>The type <paramref name="type"/> is nested in (a lambda's closure is nested in its method's type).</summary>
    private static Type Outermost(Type type) => type.DeclaringType is { } outer ? Outermost(outer) : type;

    [Fact]
    public void TheAllowedEdgesHaveNoCycle()
    {
        var state = new Dictionary<string, int>();
        bool Cycle(string node)
        {
            if (state.GetValueOrDefault(node) == 1) return true;
            if (state.GetValueOrDefault(node) == 2) return false;
            state[node] = 1;
            bool found = AllowedEdges.GetValueOrDefault(node, []).Any(Cycle);
            state[node] = 2;
            return found;
        }
        Assert.DoesNotContain(AllowedEdges.Keys, Cycle);
    }

    [Fact]
    public void TheScanSeesAUseThatOnlyAMethodBodyMakes()
    {
        // This test class names no Linux type in a signature or field; its body below does.
        var edges = EdgesOf(typeof(NamespaceDependencyTests).Assembly);
        Assert.True(edges.ContainsKey(("PageAtlas.Tests.Architecture", "PageAtlas.Linux")), string.Join('\n', edges.Keys));
        _ = Linux.ProcStat.KernelThreadFlag + BodyOnly();
    }

    private static uint BodyOnly() => (uint)Array.Empty<Linux.ProcStatus>().Length;
}
