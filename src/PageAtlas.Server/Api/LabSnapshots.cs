using PageAtlas.Snapshots;


namespace PageAtlas.Server.Api;

/// <summary>The snapshot a lab run left: its source id, or why there is none.</summary>
/// <param name="Source">The source the links point into, or null.</param>
/// <param name="Note">Why no snapshot was kept (null when one was).</param>
public sealed record LabSnapshot(string? Source, string? Note);

/// <summary>
/// Keeps the snapshot each lab run takes of its processes while they are alive (the lab's
/// <see cref="Labs.LabCapture"/>), so that its figures link into views of that moment: written into
/// one of the server's <see cref="KeptSnapshots"/> (private directory, 0600, removed at stop; a place
/// of the same few uploads take), no larger than an upload may be, and added as a source.
/// </summary>
/// <param name="sources">Where the snapshot is added.</param>
/// <param name="kept">The server's kept files.</param>
/// <param name="maxBytes">The largest file kept (--max-upload); null: uploads are off, and a lab's few processes are kept whatever their size.</param>
public sealed class LabSnapshots(ExplorerSources sources, KeptSnapshots kept, long? maxBytes)
{
    /// <summary>Saves <paramref name="pids"/>, the processes of lab <paramref name="lab"/>; a failure is said in the answer, never thrown (the lab goes on).</summary>
    public LabSnapshot Keep(string lab, IReadOnlyList<int> pids)
    {
        if (!kept.TryTake()) return new LabSnapshot(null, $"this server holds {kept.Most} snapshots already (uploaded and left by labs): restart it for the figures' views");
        string path = kept.NewPath();
        bool added = false;
        try
        {
            var summary = SnapshotWriter.WriteLive(path, pids);
            if (summary.Bytes > maxBytes)
                return new LabSnapshot(null, $"the lab's snapshot ({summary.Bytes} bytes) is larger than this server keeps ({maxBytes} bytes: pageatlas serve --max-upload)");
            string id = sources.Add(path, $"lab {lab} at {DateTime.UtcNow:HH:mm:ss} UTC", uploaded: false);
            added = true;
            return new LabSnapshot(id, null);
        }
        catch (PageAtlasException e)
        {
            // The reason may name the server's private file: the page is told what, not where.
            return new LabSnapshot(null, "the lab's snapshot could not be taken: " + e.Message.Replace(path, "the snapshot file", StringComparison.Ordinal));
        }
        finally
        {
            if (!added)
            {
                File.Delete(path);
                kept.GiveBack();
            }
        }
    }
}
