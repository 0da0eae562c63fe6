using FsCheck;

namespace PageAtlas.Tests;

/// <summary>
/// How many cases a fuzz test tries: a fixed number by default, so that every run is quick and the
/// suite's time is known; PAGEATLAS_FUZZ_CASES=N searches longer.
/// </summary>
internal static class FuzzCases
{
    public static int Count(int byDefault) =>
        int.TryParse(Environment.GetEnvironmentVariable("PAGEATLAS_FUZZ_CASES"), out int cases) && cases > 0 ? cases : byDefault;

    /// <summary>FsCheck's quick configuration with that many cases, throwing on a counterexample.</summary>
    public static Config Config(int byDefault) => FsCheck.Config.QuickThrowOnFailure.WithMaxTest(Count(byDefault));
}
