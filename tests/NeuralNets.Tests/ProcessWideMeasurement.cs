namespace NeuralNets.Tests;

/// <summary>
/// Tests that count the bytes every thread of the process allocates (<see cref="GC.GetTotalAllocatedBytes(bool)"/>),
/// the helper threads included: they run alone, so that no other test's allocations are counted with theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideMeasurement
{
    public const string Name = "Process-wide measurement";

    /// <summary>Bytes allocated by every thread while <paramref name="work"/> runs.</summary>
    public static long AllocatedBy(Action work)
    {
        long before = GC.GetTotalAllocatedBytes(precise: true);
        work();
        return GC.GetTotalAllocatedBytes(precise: true) - before;
    }
}
