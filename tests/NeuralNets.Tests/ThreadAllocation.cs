namespace NeuralNets.Tests;

/// <summary>Bytes the calling thread allocates while some work runs, for tests that promise "nothing allocated per step".</summary>
internal static class ThreadAllocation
{
    /// <summary>
    /// The least of <paramref name="tries"/> counts of what the calling thread allocated while <paramref name="work"/> ran.
    /// The runtime allocates on a user's thread now and then on its own account (when tiered compilation promotes a
    /// method whose call count just crossed its threshold, or when a gen-2 collection has trimmed the shared array
    /// pool); such a one-off shows in one try, while an allocation the work makes shows in every try.
    /// </summary>
    public static long LeastOf(Action work, int tries = 3) => LeastOf(GC.GetAllocatedBytesForCurrentThread, work, tries);

    /// <summary>The least of <paramref name="tries"/> differences of <paramref name="allocatedBytes"/> across <paramref name="work"/>.</summary>
    public static long LeastOf(Func<long> allocatedBytes, Action work, int tries)
    {
        long least = long.MaxValue;
        for (int i = 0; i < tries; i++)
        {
            long before = allocatedBytes();
            work();
            least = Math.Min(least, allocatedBytes() - before);
        }
        return least;
    }
}
