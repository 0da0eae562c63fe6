namespace PageAtlas;

/// <summary>
/// What must be undone when a signal ends the program before the work is done: a half-written file
/// to remove, a child process to stop. Code that makes such a thing makes it through
/// <see cref="Track{T}"/>, naming how to undo it, and disposes the registration once the thing is
/// finished with. A host that handles SIGINT, SIGTERM and SIGHUP calls <see cref="RunAll"/> before it
/// exits; the library itself never handles signals.
/// </summary>
public static class InterruptCleanup
{
    private static readonly Lock s_lock = new();
    private static readonly List<Action> s_pending = [];
    private static bool s_closed;

    /// <summary>
    /// Makes something with <paramref name="create"/> and registers <paramref name="undo"/> for it, as
    /// one step: a cleanup running meanwhile either undoes it or comes first, and then nothing is made.
    /// </summary>
    /// <exception cref="OperationCanceledException">The program is being interrupted: nothing was made.</exception>
    public static Registration<T> Track<T>(Func<T> create, Action<T> undo)
    {
        lock (s_lock)
        {
            if (s_closed) throw new OperationCanceledException("interrupted");
            T value = create();
            var registration = new Registration<T>(value, () => undo(value));
            s_pending.Add(registration.Undo);
            return registration;
        }
    }

    /// <summary>
    /// Undoes everything still registered, newest first, each once; one failing does not stop the
    /// others. Afterwards nothing more can be tracked: the program is about to exit.
    /// </summary>
    public static void RunAll()
    {
        Action[] pending;
        lock (s_lock)
        {
            s_closed = true;
            pending = [.. s_pending];
            s_pending.Clear();
        }
        for (int i = pending.Length - 1; i >= 0; i--)
        {
            try
            {
                pending[i]();
            }
            catch (Exception)
            {
                // Best effort while the program ends: the next undo still runs.
            }
        }
    }

    /// <summary>Something made through <see cref="Track{T}"/>. Disposing it says it no longer needs undoing (it does not undo it).</summary>
    public sealed class Registration<T> : IDisposable
    {
        internal Registration(T value, Action undo)
        {
            Value = value;
            Undo = undo;
        }

        /// <summary>What was made.</summary>
        public T Value { get; }

        internal Action Undo { get; }

        /// <inheritdoc/>
        public void Dispose()
        {
            lock (s_lock) s_pending.Remove(Undo);
        }
    }
}
