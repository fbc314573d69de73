using NeuralNets.Kernels;

namespace NeuralNets.Tests.Threading;

/// <summary>The split threshold for elementwise passes is measured on the machine, within fixed bounds, once.</summary>
[Collection(ProcessWideMeasurement.Name)] // they measure the team and reset a process-wide setting: no other test runs meanwhile
public class SplitCalibrationTests
{
    private static readonly int[] Candidates = Enumerable.Range(12, 5).Select(power => 1 << power).ToArray();

    [Fact]
    public void ElementwiseMinimum_Measured_IsACandidateLengthAndStaysTheSame()
    {
        SplitCalibration.Reset();
        int first = SettledThreshold();
        int second = SplitCalibration.ElementwiseMinimum;

        Candidates.Should().Contain(first).And.Contain(SplitCalibration.Default);
        first.Should().BeInRange(SplitCalibration.Floor, SplitCalibration.Ceiling);
        second.Should().Be(first, "the measurement is made once and kept");
        ParallelRanges.MinimumLength.Should().Be(first);
        if (WorkerTeam.Size == 1) first.Should().Be(SplitCalibration.Default, "a team of one thread measures nothing");
    }

    [Fact]
    public void ElementwiseMinimum_WithoutHelperThreads_IsTheDefault()
    {
        SplitCalibration.Reset();
        try
        {
            WorkerTeam.SimulateNoThreads(true);
            SplitCalibration.ElementwiseMinimum.Should().Be(SplitCalibration.Default);
            ParallelRanges.PartsFor(10 * SplitCalibration.Ceiling).Should().Be(WorkerTeam.Size, "the parts stay as many, and run on the caller");
        }
        finally
        {
            WorkerTeam.SimulateNoThreads(false);
            SplitCalibration.Reset();
        }
    }

    /// <summary>
    /// The threshold once the calibration has settled: a spoilt try (another caller on the team, or the helpers not yet
    /// awake) answers the default for that call and tries again at the next, three times at most, so two reads in a row
    /// can differ until then; so can reads while the warm-up runs.
    /// </summary>
    private static int SettledThreshold()
    {
        // While the kernels' warm-up compiles on the team's cores, a read answers the default without trying.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (KernelWarmUp.Running && waited.Elapsed < TimeSpan.FromSeconds(30)) Thread.Sleep(5);
        int threshold = 0;
        for (int call = 0; call < 3; call++) threshold = SplitCalibration.ElementwiseMinimum;
        return threshold;
    }

    [Fact]
    public void Measure_WhenNoHelperTakesARange_IsSpoilt()
    {
        // Every range on the calling thread (as when a sleeping helper's CPU does not run it in time): the timings would
        // compare one core with itself and say that splitting never pays.
        try
        {
            WorkerTeam.SimulateNoThreads(true);
            SplitCalibration.Measure().Should().BeNull("no helper thread took part");
            // The retry reuses the first try's arrays (three of 32,768 floats, 128 KB each): a process allocates them once.
            // Only the retry is inside the window (an assertion's own allocations are not), and the bound sits far below one
            // array, so that the runtime's small allocations on this thread (a tier's rejit, a type's first use) do not count.
            long before = GC.GetAllocatedBytesForCurrentThread();
            int? retry = SplitCalibration.Measure();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            retry.Should().BeNull();
            allocated.Should().BeLessThan(32 * 1024, "a new array would be 128 KB");
        }
        finally
        {
            WorkerTeam.SimulateNoThreads(false);
            SplitCalibration.Reset();
        }
    }

    [Fact]
    public void PartsFor_ShortOrLongPasses_FollowTheBounds()
    {
        ParallelRanges.PartsFor(SplitCalibration.Floor - 1).Should().Be(1, "a pass below the floor is never split");
        ParallelRanges.PartsFor(SplitCalibration.Ceiling).Should().Be(WorkerTeam.Size, "a pass at the ceiling is always split");
        ParallelRanges.PartsForRowsInPlace(SplitCalibration.Floor - 1).Should().Be(1);
        ParallelRanges.PartsForRowsInPlace(SplitCalibration.Floor).Should().Be(WorkerTeam.Size, "activations already split by samples split from the floor");
    }

    [Fact]
    public void PartsForInference_ShortBatch_FollowsTheMeasuredThreshold_LongBatchTheFloor()
    {
        SettledThreshold();
        int banded = ParallelRanges.BandedBatch;
        ParallelRanges.PartsForInference(SplitCalibration.Floor, banded).Should().Be(WorkerTeam.Size, "a banded batch lies split by samples already");
        // One sample (a latency-bound Predict) lies whole on one core: its pass splits only where splitting pays.
        ParallelRanges.PartsForInference(SplitCalibration.Floor, 1).Should().Be(ParallelRanges.PartsFor(SplitCalibration.Floor));
        ParallelRanges.PartsForInference(SplitCalibration.Ceiling, 1).Should().Be(WorkerTeam.Size);
        ParallelRanges.PartsForInference(SplitCalibration.Floor, banded - 1).Should().Be(ParallelRanges.PartsFor(SplitCalibration.Floor));
    }
}
