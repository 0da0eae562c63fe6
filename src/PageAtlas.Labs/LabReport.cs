namespace PageAtlas.Labs;

/// <summary>One claim of a seed, with what PageAtlas measured.</summary>
/// <param name="Claim">The claim, as the seed makes it.</param>
/// <param name="Holds">Whether the measurement bears it out.</param>
/// <param name="Evidence">The figures that decide it.</param>
public sealed record LabVerdict(string Claim, bool Holds, string Evidence)
{
    /// <summary>The views of the lab's snapshot that show the claim's figures.</summary>
    public IReadOnlyList<LabLink> Links { get; init; } = [];
}

/// <summary>What a lab did and found.</summary>
/// <param name="Name">"fork-cow"…</param>
/// <param name="Title">One line on the experiment.</param>
/// <param name="Seed">The seed document it comes from.</param>
/// <param name="Verdicts">Each claim and its verdict.</param>
/// <param name="Observations">Measured facts that are not claims (what else changed, and why).</param>
public sealed record LabReport(string Name, string Title, string Seed, IReadOnlyList<LabVerdict> Verdicts, IReadOnlyList<string> Observations)
{
    /// <summary>Every claim holds.</summary>
    public bool AllHold => Verdicts.All(v => v.Holds);

    /// <summary>The processes the lab measured and handed to its <see cref="LabCapture"/>: what its snapshot holds.</summary>
    public IReadOnlyList<int> Subjects { get; init; } = [];
}

/// <summary>An experiment that runs itself: starts its specimens, measures, and judges each claim.</summary>
public interface ILab
{
    /// <summary>The name to run it by.</summary>
    string Name { get; }

    /// <summary>One line on what it shows.</summary>
    string Title { get; }

    /// <summary>
    /// Runs it. <paramref name="capture"/>, when given, is called once with the processes measured while
    /// they are alive, at the moment the claims' figures were measured (for a snapshot the links point into).
    /// </summary>
    LabReport Run(LabCapture? capture = null);
}

/// <summary>Every lab.</summary>
public static class LabCatalog
{
    /// <summary>The labs, in the order the seeds tell them.</summary>
    public static IReadOnlyList<ILab> All { get; } =
        [new LazyAllocationLab(), new ForkCopyOnWriteLab(), new TwoRunsLab(), new SharedMemoryLab(), new ThreadsLab(), new FileMappingLab()];

    /// <summary>The lab named <paramref name="name"/>, or null.</summary>
    public static ILab? Find(string name) => All.FirstOrDefault(l => l.Name == name);
}
