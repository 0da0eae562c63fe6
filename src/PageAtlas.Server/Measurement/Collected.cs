namespace PageAtlas.Server.Measurement;

/// <summary>One finished collection and when it ran.</summary>
/// <typeparam name="T">What was collected.</typeparam>
/// <param name="Value">The figures.</param>
/// <param name="Number">Its number: 1 for the cache's first collection, counting every one started.</param>
/// <param name="StartedAt">When it started: no figure in it was read earlier (wall clock, for people).</param>
/// <param name="Started">The same moment as a timestamp of the cache's clock, for ages.</param>
/// <param name="Duration">How long it took.</param>
public sealed record Collected<T>(T Value, long Number, DateTimeOffset StartedAt, long Started, TimeSpan Duration);
