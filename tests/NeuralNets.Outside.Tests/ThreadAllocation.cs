namespace NeuralNets.Outside.Tests;

/// <summary>Bytes the calling thread allocates while some work runs, for the "nothing allocated per step" promises.</summary>
internal static class ThreadAllocation
{
    /// <summary>
    /// The least of <paramref name="tries"/> counts: the runtime's own one-off allocations (tiered compilation) show in
    /// one try, an allocation the work makes in every try.
    /// </summary>
    public static long LeastOf(Action work, int tries = 3)
    {
        long least = long.MaxValue;
        for (int i = 0; i < tries; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            work();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return least;
    }
}
