namespace NeuralNets.Tests;

/// <summary>Measures what a loader allocates, to prove that a hostile file cannot make it allocate much more than its own size.</summary>
internal static class Allocation
{
    /// <summary>
    /// Bytes allocated on this thread while <paramref name="action"/> ran, and what it threw. The count is
    /// per thread, not process-wide, so that test classes running in parallel do not add to it; the
    /// loaders measured here do all their work on the calling thread.
    /// </summary>
    public static (long Bytes, Exception? Error) Measure(Action action)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        Exception? error = null;
        try
        {
            action();
        }
        catch (Exception e)
        {
            error = e;
        }
        return (GC.GetAllocatedBytesForCurrentThread() - before, error);
    }

    /// <summary>What reading an input of <paramref name="inputBytes"/> may allocate: a few MB of fixed cost plus a small multiple of the input.</summary>
    public static long Bound(long inputBytes) => (4 << 20) + 64 * inputBytes;
}
