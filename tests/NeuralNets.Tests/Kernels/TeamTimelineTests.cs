using NeuralNets.Kernels;

namespace NeuralNets.Tests.Kernels;

/// <summary>
/// The team's timeline (the benchmarks' <c>timeline</c> mode) records each job and its parts while on, and nothing while off.
/// It records every thread's jobs, so these tests run alone.
/// </summary>
[Collection(ProcessWideMeasurement.Name)]
public class TeamTimelineTests
{
    [Fact]
    public void Recording_AProductOnTheTeam_RecordsTheJobAndEachPartWithinIt()
    {
        var a = new float[128 * 256];
        var b = new float[256 * 784];
        var c = new float[128 * 784];
        KernelWarmUp.Wait();
        TeamTimeline.Start();
        TeamTimeline.Entry[] entries;
        try
        {
            // Two parts, on the team or (with one thread) both on this one: recorded either way.
            MatrixMultiply.Compute<float>(a, true, b, false, c, 128, 784, 256, accumulate: false, maxThreads: 2, parallelThreshold: 0);
        }
        finally
        {
            entries = TeamTimeline.Stop();
        }
        var jobs = entries.Where(e => e.Part == TeamTimeline.WholeJob).ToArray();
        jobs.Should().ContainSingle().Which.Kind.Name.Should().StartWith("GemmJob");
        var job = jobs[0];
        var parts = entries.Where(e => e.Part >= 0).ToArray();
        parts.Select(e => e.Part).Should().OnlyHaveUniqueItems().And.Contain(0).And.HaveCount(2);
        parts.Should().OnlyContain(e => e.Start >= job.Start && e.End <= job.End && e.Start <= e.End);
    }

    [Fact]
    public void Stopped_RecordsNothing()
    {
        KernelWarmUp.Wait();
        TeamTimeline.Start();
        TeamTimeline.Stop();
        MatrixMultiply.Compute<float>(new float[64 * 64], false, new float[64 * 64], false, new float[64 * 64], 64, 64, 64, accumulate: false, maxThreads: 2,
            parallelThreshold: 0);
        // What was recorded since the last start: nothing, the product ran while stopped.
        TeamTimeline.Stop().Should().BeEmpty();
    }
}
