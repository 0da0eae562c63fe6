using Microsoft.Data.Sqlite;
using PageAtlas.Snapshots;

namespace PageAtlas.Tests;

/// <summary>Snapshot files changed on purpose: forged (checksums taken again) or damaged (checksums left as they were).</summary>
internal static class SnapshotCrafting
{
    /// <summary>
    /// A copy of <paramref name="source"/> changed by <paramref name="sql"/> whose checksums are then
    /// taken again, as someone crafting a file would: only the checks of content can refuse it. The
    /// SQL may call fnv1a(blob) to give changed page data a matching hash.
    /// </summary>
    public static string Forge(string source, string destination, string sql) => Change(source, destination, sql, retakeChecksums: true);

    /// <summary>A copy of <paramref name="source"/> changed by <paramref name="sql"/>, its checksums left as they were, as damage would.</summary>
    public static string Damage(string source, string destination, string sql) => Change(source, destination, sql, retakeChecksums: false);

    private static string Change(string source, string destination, string sql, bool retakeChecksums)
    {
        File.Copy(source, destination, overwrite: true);
        using var connection = new SqliteConnection($"Data Source={destination};Pooling=False");
        connection.Open();
        connection.CreateFunction("fnv1a", (byte[] data) => Fnv1a64.Of(data));
        using (var change = connection.CreateCommand())
        {
            change.CommandText = sql;
            change.ExecuteNonQuery();
        }
        if (retakeChecksums)
        {
            using var clear = connection.CreateCommand();
            clear.CommandText = "DELETE FROM digests";
            clear.ExecuteNonQuery();
            TableDigest.WriteAll(connection);
        }
        return destination;
    }
}
