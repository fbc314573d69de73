using NeuralNets.Data;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Training;

namespace NeuralNets.Tests.Threading;

/// <summary>The host's settings change how many threads run and whether helpers spin, never the results.</summary>
[Collection(ProcessWideMeasurement.Name)] // they change process-wide settings: no other test runs meanwhile
public class ParallelismSettingsTests
{
    private static float[][] TrainMlp()
    {
        // Batch 64 through 784 → 128: every product and activation splits across the helper threads.
        var data = new Dataset<float>(TestTensors.Random<float>(1, 192, 784), TestTensors.Random<float>(2, 192, 10));
        var network = Network.Sequential<float>(784).Dense(128).Sigmoid().Dense(10).Build(seed: 5);
        var trainer = new Trainer<float>(network, new MeanSquaredError<float>(), new Adam<float>(network.Parameters, 1e-3));
        trainer.Fit(data, new TrainingOptions { Epochs = 2, BatchSize = 64, Seed = 3 });
        return network.Parameters.Select(p => p.ValueSpan.ToArray()).ToArray();
    }

    private static float[][] TrainCnn()
    {
        var data = new Dataset<float>(TestTensors.Random<float>(3, 32, 1, 28, 28), TestTensors.Random<float>(4, 32, 10));
        var network = Network.Sequential<float>(1, 28, 28).Conv2D(6, kernel: 5, padding: 2).ReLU().MaxPool2D(2)
            .Conv2D(16, kernel: 5).ReLU().MaxPool2D(2).Flatten().Dense(10).Build(seed: 6);
        var trainer = new Trainer<float>(network, new MeanSquaredError<float>(), new Sgd<float>(network.Parameters, 0.01));
        trainer.Fit(data, new TrainingOptions { Epochs = 1, BatchSize = 16, Seed = 3 });
        return network.Parameters.Select(p => p.ValueSpan.ToArray()).ToArray();
    }

    private static T WithSettings<T>(int maxThreads, TimeSpan idleSpin, Func<T> work)
    {
        try
        {
            Parallelism.MaxThreads = maxThreads;
            Parallelism.IdleSpin = idleSpin;
            return work();
        }
        finally
        {
            Parallelism.MaxThreads = Parallelism.DefaultMaxThreads;
            Parallelism.IdleSpin = Parallelism.DefaultIdleSpin;
        }
    }

    public static TheoryData<int, int> Settings => new() { { 1, 1 }, { 2, 0 }, { 3, 1 }, { 8, 0 }, { 16, 1 } };

    [Theory]
    [MemberData(nameof(Settings))]
    public void Fit_UnderEverySetting_GivesTheDefaultsWeightsBitForBit(int maxThreads, int spinMilliseconds)
    {
        var expectedMlp = TrainMlp();
        var expectedCnn = TrainCnn();
        var spin = TimeSpan.FromMilliseconds(spinMilliseconds);
        var mlp = WithSettings(maxThreads, spin, TrainMlp);
        var cnn = WithSettings(maxThreads, spin, TrainCnn);
        for (int p = 0; p < mlp.Length; p++) mlp[p].Should().Equal(expectedMlp[p], $"MLP parameter {p}");
        for (int p = 0; p < cnn.Length; p++) cnn[p].Should().Equal(expectedCnn[p], $"CNN parameter {p}");
    }

    [Fact]
    public void Fit_WhereNoThreadCanStart_RunsOnTheCallerWithTheSameWeights()
    {
        var expected = TrainCnn();
        float[][] actual;
        try
        {
            NeuralNets.Kernels.WorkerTeam.SimulateNoThreads(true);
            actual = TrainCnn();
        }
        finally
        {
            NeuralNets.Kernels.WorkerTeam.SimulateNoThreads(false);
        }
        for (int p = 0; p < actual.Length; p++) actual[p].Should().Equal(expected[p], $"parameter {p}");
    }

    [Fact]
    public void Settings_OutOfRange_AreRefusedAndLeaveTheSettingAlone()
    {
        int threads = Parallelism.MaxThreads;
        // Each error names the setting the caller wrote, not the setter's "value".
        ((Action)(() => Parallelism.MaxThreads = 0)).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("MaxThreads");
        ((Action)(() => Parallelism.MaxThreads = Parallelism.MaxThreadsLimit + 1)).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("MaxThreads");
        ((Action)(() => Parallelism.IdleSpin = TimeSpan.FromMilliseconds(-1))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("IdleSpin");
        ((Action)(() => Parallelism.IdleSpin = TimeSpan.FromSeconds(2))).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("IdleSpin");
        Parallelism.MaxThreads.Should().Be(threads);
        Parallelism.IdleSpin.Should().Be(Parallelism.DefaultIdleSpin);
    }

    [Fact]
    public void Defaults_AreTheProcessorCountAndOneMillisecond()
    {
        Parallelism.DefaultMaxThreads.Should().Be(Math.Clamp(Environment.ProcessorCount, 1, Parallelism.MaxThreadsLimit));
        Parallelism.DefaultIdleSpin.Should().Be(TimeSpan.FromMilliseconds(1));
        Parallelism.MaxThreads.Should().Be(Parallelism.DefaultMaxThreads);
    }
}
