namespace PageAtlas.LiveTests;

/// <summary>What two `pages` listings of one quiet range must share.</summary>
internal static class PageListing
{
    /// <summary>The listing without frame flags, which other processes may change between two runs (idle_page tracking, LRU moves).</summary>
    public static string WithoutFlags(string listing) => System.Text.RegularExpressions.Regex.Replace(listing, " flags=\\S*", "");
}
