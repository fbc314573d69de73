using System.Diagnostics;
using System.Globalization;
using Playground.Engine;

namespace Playground.Tests;

/// <summary>
/// The browser test's configuration trained natively with the page's own engine: how fast the test loss falls
/// (which the browser test's bounds rest on) and the epochs per second the page's figure is compared with.
/// </summary>
public class NativeSpeedTests
{
    /// <summary>Two spirals, two hidden layers of eight tanh neurons, Adam: the yardstick configuration.</summary>
    public const string Query = "data=spiral&points=500&noise=0&train=50&batch=10&features=x1,x2&layers=8,8&act=tanh&opt=adam&lr=0.03&seed=1";

    /// <summary>The browser test expects the displayed test loss under this within <see cref="EpochBound"/> epochs.</summary>
    public const double LossBound = 0.3;

    /// <summary>See <see cref="LossBound"/>.</summary>
    public const int EpochBound = 150;

    [Fact]
    public void Spirals_reach_the_bound_natively_and_report_epochs_per_second()
    {
        int threads = NeuralNets.Parallelism.MaxThreads;
        NeuralNets.Parallelism.MaxThreads = 1;   // as in the page (results do not depend on it, only the speed)
        try
        {
            var session = new TrainingSession(ConfigUrl.Decode(Query));
            var clock = Stopwatch.StartNew();
            while (session.Epoch < EpochBound) session.RunEpoch();
            double seconds = clock.Elapsed.TotalSeconds;
            int reached = session.TestLoss.ToList().FindIndex(l => l < LossBound);
            TestContext.Current.SendDiagnosticMessage(string.Create(CultureInfo.InvariantCulture,
                $"native, one thread: {EpochBound / seconds:F0} epochs/s; test loss {session.TestLoss[^1]:F4} after {EpochBound} epochs, first under {LossBound} at epoch {reached}"));
            reached.Should().BeInRange(1, EpochBound);
        }
        finally
        {
            NeuralNets.Parallelism.MaxThreads = threads;
        }
    }
}
