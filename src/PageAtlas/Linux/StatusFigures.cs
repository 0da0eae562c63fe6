using System.Buffers.Text;

namespace PageAtlas.Linux;

/// <summary>
/// The two lines of /proc/&lt;pid&gt;/status a process list needs, read from the file's bytes where
/// they lie (a scan of every process would otherwise build <see cref="ProcStatus"/>'s 50-odd strings
/// per process to keep two numbers).
/// </summary>
/// <param name="EffectiveUid">"Uid:" is real, effective, saved and filesystem uid (proc_pid_status(5)); ps shows the effective one.</param>
/// <param name="PageTableBytes">VmPTE in bytes, or null where the kernel prints none.</param>
public readonly record struct StatusFigures(uint EffectiveUid, ulong? PageTableBytes)
{
    /// <summary>Parses status' bytes.</summary>
    /// <exception cref="KernelDataException">No "Uid:" line with real and effective uids.</exception>
    public static StatusFigures Parse(ReadOnlySpan<byte> text)
    {
        uint? uid = null;
        ulong? pageTables = null;
        while (!text.IsEmpty)
        {
            int end = text.IndexOf((byte)'\n');
            var line = end < 0 ? text : text[..end];
            text = end < 0 ? default : text[(end + 1)..];
            if (line.StartsWith("Uid:"u8)) uid = SecondNumber(line["Uid:".Length..]);
            else if (line.StartsWith("VmPTE:"u8) && Utf8Parser.TryParse(line["VmPTE:".Length..].TrimStart("\t "u8), out ulong kb, out _) && kb <= ulong.MaxValue / 1024)
                pageTables = kb * 1024;
        }
        return uid is { } effective
            ? new StatusFigures(effective, pageTables)
            : throw new KernelDataException("status: expected 'Uid:' with real and effective uids");
    }

    /// <summary>The second of tab-separated numbers, or null.</summary>
    private static uint? SecondNumber(ReadOnlySpan<byte> fields)
    {
        fields = fields.TrimStart("\t "u8);
        int tab = fields.IndexOf((byte)'\t');
        if (tab < 0) return null;
        fields = fields[(tab + 1)..].TrimStart("\t "u8);
        return Utf8Parser.TryParse(fields, out uint uid, out int consumed) && consumed > 0 ? uid : null;
    }
}
