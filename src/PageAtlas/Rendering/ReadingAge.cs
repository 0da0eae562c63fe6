namespace PageAtlas.Rendering;

/// <summary>When a served reading of the live machine was taken: a server answers from its last reading, so its figures have an age.</summary>
/// <param name="StartedAt">When the reading started: no figure in it was read earlier.</param>
/// <param name="Age">How long before the answer that was.</param>
/// <param name="Collection">The reading's number since the server started (1, 2…): answers with the same number share one reading.</param>
public sealed record ReadingAge(DateTimeOffset StartedAt, TimeSpan Age, long Collection);
