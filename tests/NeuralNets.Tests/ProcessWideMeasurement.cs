namespace NeuralNets.Tests;

/// <summary>
/// Tests that count the bytes every thread of the process allocates (<see cref="GC.GetTotalAllocatedBytes(bool)"/>),
/// the helper threads included: they run alone, so that no other test's allocations are counted with theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideMeasurement
{
    public const string Name = "Process-wide measurement";

    /// <summary>
    /// Bytes allocated by every thread while <paramref name="work"/> runs: the least of <paramref name="tries"/> runs,
    /// since the test runner's own threads (reporting the previous test) may allocate during one of them, while an
    /// allocation made by the work itself shows in every run. Five: on a slow host the runner's reporting (about 1–2 KB)
    /// once spread over all of three runs of 100 predictions (a clean-clone CI run, twenty-first session).
    /// </summary>
    public static long AllocatedBy(Action work, int tries = 5)
    {
        // The kernels' warm-up thread (started by the first network) must not be counted with the work.
        NeuralNets.Kernels.KernelWarmUp.Wait();
        return ThreadAllocation.LeastOf(static () => GC.GetTotalAllocatedBytes(precise: true), work, tries);
    }
}
