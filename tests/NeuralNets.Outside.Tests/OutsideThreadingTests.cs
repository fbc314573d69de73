using System.Numerics.Tensors;
using NeuralNets.Layers;
using NeuralNets.Optimizers;
using NeuralNets.Outside.Tests.Components;
using NeuralNets.Tensors;

namespace NeuralNets.Outside.Tests;

/// <summary>The tests that change <see cref="Parallelism.MaxThreads"/> or count allocations run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OutsideProcessWide
{
    public const string Name = "Outside components, process-wide settings";
}

/// <summary>
/// The outside components run on the helper threads as built-in ones do: bit-identical whatever the thread count,
/// safe for Predict from many threads, and a training step allocates nothing.
/// </summary>
[Collection(OutsideProcessWide.Name)]
public sealed class OutsideThreadingTests
{
    private const int Batch = 64, Features = 8, Hidden = 256; // 64 × 256 values: long enough to be split

    private static (Sequential<float> Network, Func<float> Evaluate, IOptimizer<float> Optimizer) Training(int seed)
    {
        var network = OutsideData.Network(Features, Hidden, seed);
        var x = OutsideData.Inputs(Batch, Features, seed: 11);
        var y = OutsideData.Inputs(Batch, 1, seed: 12);
        var loss = new Huber<float>(0.5);
        var optimizer = new Sgd<float>(network.Parameters, 0.05);
        float Evaluate()
        {
            network.ZeroGradients();
            float value = loss.Forward(network.Forward(x, training: true), y);
            network.BackwardToParameters(loss.Backward());
            return value;
        }
        return (network, Evaluate, optimizer);
    }

    private static int[][] TrainedBits(int threads)
    {
        Parallelism.MaxThreads = threads;
        try
        {
            var (network, evaluate, optimizer) = Training(seed: 21);
            for (int i = 0; i < 25; i++) optimizer.Step(evaluate);
            return network.Parameters.Select(p => p.ValueSpan.ToArray().Select(BitConverter.SingleToInt32Bits).ToArray()).ToArray();
        }
        finally
        {
            Parallelism.MaxThreads = Parallelism.DefaultMaxThreads;
        }
    }

    [Fact]
    public void WaitForWarmUp_BeforeTheFirstStep_ReturnsAndChangesNoWeight()
    {
        var (network, evaluate, optimizer) = Training(seed: 21);
        var (twin, twinEvaluate, twinOptimizer) = Training(seed: 21);
        Parallelism.WaitForWarmUp();
        Parallelism.WaitForWarmUp(TimeSpan.Zero).Should().BeTrue("nothing was queued since");
        for (int i = 0; i < 3; i++)
        {
            optimizer.Step(evaluate);
            twinOptimizer.Step(twinEvaluate);
        }
        for (int p = 0; p < network.Parameters.Count; p++)
            network.Parameters[p].ValueSpan.ToArray().Should().Equal(twin.Parameters[p].ValueSpan.ToArray(), $"parameter {p}");
    }

    [Fact]
    public void Training_OneThreadAndTwo_GiveBitIdenticalWeights()
    {
        var one = TrainedBits(1);
        var two = TrainedBits(2);

        for (int i = 0; i < one.Length; i++) two[i].Should().Equal(one[i], $"parameter {i}");
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    public void UsersActivation_LongTensor_IsCutIntoOneRangePerThread(int threads, int ranges)
    {
        Parallelism.MaxThreads = threads;
        try
        {
            // Twice the longest split threshold the library can measure on a machine (4,096 to 65,536 elements): split
            // whatever it measured, and whenever (the value it reads before measuring is the default).
            int batch = 2 * 65_536 / Hidden;
            ParallelElementwise.MinimumLength.Should().BeInRange(4_096, 65_536);
            var activation = new RangeCounting();
            activation.Forward(OutsideData.Inputs(batch, Hidden, seed: 1), training: true);
            activation.Ranges.Should().Be(ranges);
        }
        finally
        {
            Parallelism.MaxThreads = Parallelism.DefaultMaxThreads;
        }
    }

    [Fact]
    public void Predict_FromFourThreadsAtOnce_MatchesSerialPredictionsBitForBit()
    {
        var (network, evaluate, optimizer) = Training(seed: 31);
        for (int i = 0; i < 5; i++) optimizer.Step(evaluate);
        var samples = Enumerable.Range(0, 8).Select(s => OutsideData.Inputs(Batch, Features, seed: 100 + s)).ToArray();
        var serial = samples.Select(s => network.Predict(s).ToArray()).ToArray();

        var wrong = 0;
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, t =>
        {
            for (int round = 0; round < 50; round++)
            {
                int s = (t + round) % samples.Length;
                if (!network.Predict(samples[s]).ToArray().SequenceEqual(serial[s])) Interlocked.Increment(ref wrong);
            }
        });

        wrong.Should().Be(0);
    }

    [Fact]
    public void Step_AfterWarmUp_AllocatesNothingOnTheTrainingThread()
    {
        var (_, evaluate, optimizer) = Training(seed: 41);
        for (int i = 0; i < 30; i++) optimizer.Step(evaluate); // buffers sized, the JIT's final code in place

        ThreadAllocation.LeastOf(() =>
        {
            for (int i = 0; i < 20; i++) optimizer.Step(evaluate);
        }).Should().Be(0);
    }

    /// <summary>The identity, counting the ranges it is called on, to show how the base class splits a user's activation.</summary>
    private sealed class RangeCounting : Activation<float>
    {
        private int _ranges;

        public int Ranges => _ranges;

        public override string Kind => "RangeCounting";

        protected override bool SplitsAcrossThreads => true;

        protected override void Activate(ReadOnlySpan<float> x, Span<float> y)
        {
            Interlocked.Increment(ref _ranges);
            x.CopyTo(y);
        }

        protected override void Differentiate(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => dy.CopyTo(dx);
    }
}
