using static NeuralNets.Tests.Serialization.CheckpointRuns;

namespace NeuralNets.Tests.Serialization;

[Collection(ProcessWideMeasurement.Name)] // changes Parallelism.MaxThreads: no other test runs meanwhile
public sealed class CheckpointThreadTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Fit_StraightOnOneThreadResumedOnAll_MatchesBitForBit()
    {
        var run = Named("nested dropout, momentum, per-step warm-up, clipping");
        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = 1;
            var straight = run.Build();
            var expected = Fit(straight.Trainer, run.Options(straight.Optimizer));
            string path = _temp.File("one-thread.ckpt.json");
            var interrupted = run.Build();
            Fit(interrupted.Trainer, run.Options(interrupted.Optimizer), callbacks: new CheckpointAndStop(2, path));

            Parallelism.MaxThreads = Parallelism.DefaultMaxThreads;
            var resumed = run.Build();
            var history = Fit(resumed.Trainer, run.Options(resumed.Optimizer), resumeFrom: path);

            Weights(resumed.Network).Should().BeEquivalentTo(Weights(straight.Network), o => o.WithStrictOrdering());
            Figures(history).Should().Equal(Figures(expected));
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }
}
