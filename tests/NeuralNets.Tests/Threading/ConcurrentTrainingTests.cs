using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Tests.Integration;

namespace NeuralNets.Tests.Threading;

/// <summary>
/// Different networks trained at the same time from different threads (a hyper-parameter search, a server training a
/// model per user): each gives the bits it gives when trained alone. The threads share the library's one helper team,
/// its calibrations and its per-thread scratch; none of that may leak from one network's pass into another's.
/// </summary>
public class ConcurrentTrainingTests
{
    private const int Threads = 4;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RandomNetworks_TrainingPassesFromFourThreadsAtOnce_GiveTheirSerialBits(bool large)
    {
        // Random networks of every layer kind (convolutions, pools, batch normalisation, dropout, dense layers and every
        // activation), each pass once alone and then each three times among the others on four threads.
        var drawn = Enumerable.Range(large ? 2001 : 1, large ? 8 : 24).Select(seed => (Seed: seed, Network: new RandomNetwork<float>(seed, large))).ToArray();
        var inputs = drawn.Select(d => (X: d.Network.Input(d.Seed + 100), Dy: d.Network.OutputGradient(d.Seed + 200))).ToArray();
        var serial = drawn.Select((d, i) => RandomNetwork<float>.TrainingPass(d.Network.Build(), inputs[i].X, inputs[i].Dy, inTurn: false)).ToArray();

        const int Rounds = 3;
        var concurrent = new List<float[]>[drawn.Length * Rounds];
        ManyThreads.Run(Threads, concurrent.Length, job =>
        {
            int i = job % drawn.Length;
            concurrent[job] = RandomNetwork<float>.TrainingPass(drawn[i].Network.Build(), inputs[i].X, inputs[i].Dy, inTurn: false);
        });

        for (int job = 0; job < concurrent.Length; job++)
        {
            int i = job % drawn.Length;
            concurrent[job].Count.Should().Be(serial[i].Count);
            for (int part = 0; part < serial[i].Count; part++)
                Bits.Of(concurrent[job][part]).Should().Equal(Bits.Of(serial[i][part]),
                    $"{drawn[i].Network.Description}, round {job / drawn.Length}: {RandomNetwork<float>.PartName(part)}");
        }
    }

    private static Sequential<float> Mlp(int seed) => Network.Sequential<float>(784).Dense(128).Sigmoid().Dense(10).Build(seed);

    private static Sequential<float> Cnn(int seed) =>
        Network.Sequential<float>(1, 28, 28)
            .Conv2D(6, kernel: 5, padding: 2).BatchNorm2D().ReLU().MaxPool2D(2)
            .Conv2D(16, kernel: 5).ReLU().MaxPool2D(2)
            .Flatten().Dense(32).ReLU().Dense(10)
            .Build(seed);

    /// <summary>Trains a network for a few steps of its optimizer and returns its parameters afterwards.</summary>
    private static float[] Trained(Func<int, Sequential<float>> build, int seed, bool adam)
    {
        var network = build(seed);
        var random = new Random(seed);
        int sampleLength = network.InputShape!.Aggregate(1, (a, b) => a * b);
        const int Batch = 32;
        var x = Tensor.Create(Enumerable.Range(0, Batch * sampleLength).Select(_ => (float)random.NextDouble()).ToArray(), [Batch, .. network.InputShape!]);
        var y = Tensor.Create(Enumerable.Range(0, Batch).Select(_ => (float)random.Next(10)).ToArray(), [Batch]);
        var loss = new SoftmaxCrossEntropy<float>();
        IOptimizer<float> optimizer = adam ? new Adam<float>(network.Parameters, learningRate: 1e-3) : new Momentum<float>(network.Parameters, learningRate: 0.05);
        float Evaluate()
        {
            network.ZeroGradients();
            float value = loss.Forward(network.Forward(x, training: true), y);
            network.Backward(loss.Backward());
            return value;
        }
        for (int step = 0; step < 4; step++) optimizer.Step(Evaluate);
        return network.Parameters.SelectMany(p => p.ValueSpan.ToArray()).ToArray();
    }

    [Fact]
    public void MlpsAndCnns_TrainedFromFourThreadsAtOnce_EndWithTheirSerialWeights()
    {
        // Same shapes on several threads at once too (the calibrations and scratch a shape keeps), with both optimizers.
        var jobs = Enumerable.Range(0, 12).Select(i => (Build: i % 3 == 0 ? (Func<int, Sequential<float>>)Cnn : Mlp, Seed: 10 + i, Adam: i % 2 == 0, Name: $"job {i}")).ToArray();
        var serial = jobs.Select(j => Trained(j.Build, j.Seed, j.Adam)).ToArray();
        var concurrent = new float[jobs.Length][];
        ManyThreads.Run(Threads, jobs.Length, i => concurrent[i] = Trained(jobs[i].Build, jobs[i].Seed, jobs[i].Adam));
        for (int i = 0; i < jobs.Length; i++)
            Bits.Of(concurrent[i]).Should().Equal(Bits.Of(serial[i]), $"{jobs[i].Name} ({(jobs[i].Adam ? "Adam" : "SGD with momentum")})");
    }
}
