using System.Runtime.InteropServices;

namespace PageAtlas.Analysis;

/// <summary>
/// Frames in common between processes, from each one's frames of a group sorted (duplicates kept:
/// a frame mapped twice by one process is one frame, and two of its pages). A process's frames may
/// come as several slices each sorted (one per VMA of a class): they are read merged, never copied
/// (a class of 4 GiB was a copy of 8 MiB per process, a quarter of share's peak memory).
/// </summary>
internal static class FrameOverlap
{
    /// <summary>Distinct frames every process maps, and per process the pages whose frame no other process maps.</summary>
    /// <param name="sorted">Per process: its frames in the group, as slices each sorted.</param>
    public static (ulong InAll, ulong[] Private) Count(ReadOnlyMemory<ulong>[][] sorted)
    {
        int n = sorted.Length;
        ulong inAll = 0, previous = 0;
        bool any = false;
        // One cursor a process, set back to the start for each pass (no array a pass: share counts 20,000 groups).
        var cursors = new MergedFrames[n];
        Restart(cursors, sorted);
        for (var first = new MergedFrames(sorted[0]); first.HasCurrent; first.MoveNext())
        {
            ulong frame = first.Current;
            if (any && frame == previous) continue;
            (any, previous) = (true, frame);
            bool everywhere = true;
            for (int j = 1; j < n && everywhere; j++) everywhere = cursors[j].Advance(frame);
            if (everywhere) inAll++;
        }

        var privateCounts = new ulong[n];
        for (int i = 0; i < n; i++)
        {
            Restart(cursors, sorted);
            for (ref var own = ref cursors[i]; own.HasCurrent; own.MoveNext())
            {
                bool elsewhere = false;
                for (int j = 0; j < n; j++)
                    if (j != i) elsewhere |= cursors[j].Advance(own.Current);
                if (!elsewhere) privateCounts[i]++;
            }
        }
        return (inAll, privateCounts);
    }

    private static void Restart(MergedFrames[] cursors, ReadOnlyMemory<ulong>[][] sorted)
    {
        for (int j = 0; j < cursors.Length; j++) cursors[j] = new MergedFrames(sorted[j]);
    }
}

/// <summary>
/// Slices each sorted, read in ascending order as one: a min-heap of the slices by their next frame
/// (O(log k) a frame for k slices). One slice (a VMA, the whole process) is read straight through
/// and allocates nothing: share counts 20,000 such groups.
/// </summary>
internal struct MergedFrames
{
    private readonly ReadOnlyMemory<ulong>[] _slices;
    /// <summary>With one slice: the array under it (its frames are [_at, _end)), read without making a span a frame.</summary>
    private readonly ulong[]? _one;
    private int _at;
    private readonly int _end;
    private readonly int[]? _position;
    /// <summary>With several slices: each one's next frame, held here so that the heap compares without reading slices.</summary>
    private readonly ulong[]? _head;
    /// <summary>With several slices: those not yet read to the end, as a heap ordered by each one's next frame.</summary>
    private readonly int[]? _heap;
    private int _heapCount;

    public MergedFrames(ReadOnlyMemory<ulong>[] slices)
    {
        _slices = slices;
        if (slices.Length <= 1)
        {
            var one = slices.Length == 0 ? default : slices[0];
            if (!MemoryMarshal.TryGetArray(one, out var segment)) segment = one.ToArray();
            (_one, _at, _end) = (segment.Array ?? [], segment.Offset, segment.Offset + segment.Count);
            return;
        }
        _position = new int[slices.Length];
        _head = new ulong[slices.Length];
        _heap = new int[slices.Length];
        for (int s = 0; s < slices.Length; s++)
        {
            if (slices[s].IsEmpty) continue;
            _head[s] = slices[s].Span[0];
            _heap[_heapCount++] = s;
        }
        for (int h = _heapCount / 2 - 1; h >= 0; h--) SiftDown(h);
    }

    /// <summary>Whether a frame is left to read.</summary>
    public readonly bool HasCurrent => _heap is null ? _at < _end : _heapCount > 0;

    /// <summary>The smallest frame not yet passed (valid while <see cref="HasCurrent"/>).</summary>
    public readonly ulong Current => _heap is null ? _one![_at] : _head![_heap[0]];

    /// <summary>Passes the current frame.</summary>
    public void MoveNext()
    {
        if (_heap is null)
        {
            _at++;
            return;
        }
        int top = _heap[0];
        if (++_position![top] == _slices[top].Length) _heap[0] = _heap[--_heapCount];
        else _head![top] = _slices[top].Span[_position[top]];
        if (_heapCount > 1) SiftDown(0);
    }

    /// <summary>Passes every frame below <paramref name="value"/>; true when the next one equals it.</summary>
    public bool Advance(ulong value)
    {
        if (_heap is null)
        {
            var one = _one!;
            while (_at < _end && one[_at] < value) _at++;
            return _at < _end && one[_at] == value;
        }
        while (HasCurrent && Current < value) MoveNext();
        return HasCurrent && Current == value;
    }

    private readonly void SiftDown(int at)
    {
        var (heap, head) = (_heap!, _head!);
        while (true)
        {
            int smallest = at, left = 2 * at + 1, right = left + 1;
            if (left < _heapCount && head[heap[left]] < head[heap[smallest]]) smallest = left;
            if (right < _heapCount && head[heap[right]] < head[heap[smallest]]) smallest = right;
            if (smallest == at) return;
            (heap[at], heap[smallest]) = (heap[smallest], heap[at]);
            at = smallest;
        }
    }
}
