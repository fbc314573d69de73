using System.Numerics;
using NeuralNets.Diagnostics;
using NeuralNets.Layers;
using NeuralNets.Serialization;

namespace NeuralNets.Tests.Layers;

/// <summary>The issue 16 layers: gradient checks, saving and loading, the builder, inference copies and bad input.</summary>
public class NewLayerTests
{
    public static TheoryData<string> Activations => ["GELU", "GELU-tanh", "ELU", "SiLU", "Softplus", "Softplus-sharp"];

    private static ILayer<T> Create<T>(string name) where T : unmanaged, IFloatingPointIeee754<T> => name switch
    {
        "GELU" => new GELU<T>(),
        "GELU-tanh" => new GELU<T>(tanhApproximation: true),
        "ELU" => new ELU<T>(0.7),
        "SiLU" => new SiLU<T>(),
        "Softplus" => new Softplus<T>(),
        "Softplus-sharp" => new Softplus<T>(beta: 3, threshold: 2),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Activations))]
    public void Activation_Backward_MatchesFiniteDifferences(string name)
    {
        var input = TestTensors.Random<double>(3, 4, 7);
        var span = input.ToArray();
        // Keep away from ELU's kink at 0 and Softplus's threshold switch, where a finite difference is meaningless.
        for (int i = 0; i < span.Length; i++) if (Math.Abs(span[i]) < 1e-3 || Math.Abs(span[i] * 3 - 2) < 1e-3) span[i] = 0.5;
        var result = GradientCheck.Layer(Create<double>(name), TestTensors.Create(span, 4, 7), seed: 7);
        result.MaxRelativeError.Should().BeLessThan(1e-7, $"{name}: {result}");
    }

    [Fact]
    public void Activations_KnownValues()
    {
        double Apply(ILayer<double> layer, double x) => layer.Forward(TestTensors.Create(new[] { x }, 1, 1), training: false).ToArray()[0];
        Apply(new GELU<double>(), 1).Should().BeApproximately(0.8413447460685429, 1e-15);   // Φ(1)
        Apply(new ELU<double>(2), -1).Should().BeApproximately(2 * (Math.Exp(-1) - 1), 1e-15);
        Apply(new SiLU<double>(), 2).Should().BeApproximately(2 / (1 + Math.Exp(-2)), 1e-15);
        Apply(new Softplus<double>(), 0).Should().BeApproximately(Math.Log(2), 1e-15);
        Apply(new Softplus<double>(beta: 2, threshold: 10), 6).Should().Be(6, "βx above the threshold gives x itself");
        // Where eˣ − 1 and ln(1 + eˣ) written out lose everything (.NET's double.ExpM1 and LogP1 are written out):
        // exact values from 60-digit arithmetic, to a relative 1e-15.
        Apply(new ELU<double>(2), -1e-10).Should().BeApproximately(-1.9999999999000001e-10, 2e-25);
        Apply(new Softplus<double>(), -40).Should().BeApproximately(4.248354255291589e-18, 5e-33);
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void Activation_LongBatchSplitAcrossThreads_EqualsOneSampleAtATime(string name)
    {
        // Long enough that ParallelRanges cuts it into ranges for the helper threads, as the built-in activations are.
        const int features = 1000, batch = 3 * NeuralNets.Kernels.SplitCalibration.Ceiling / features + 2;
        var x = TestTensors.Random<float>(11, batch, features);
        var dy = TestTensors.Random<float>(12, batch, features);
        var whole = Create<float>(name);
        var y = whole.Forward(x, training: true).ToArray();
        var dx = whole.Backward(dy).ToArray();
        var single = Create<float>(name);
        var (xs, dys) = (x.ToArray(), dy.ToArray());
        foreach (int n in new[] { 0, batch / 2, batch - 1 })
        {
            single.Forward(TestTensors.Create(xs.AsSpan(n * features, features).ToArray(), 1, features), training: true).ToArray()
                .Should().Equal(y.AsSpan(n * features, features).ToArray(), $"row {n} forward");
            single.Backward(TestTensors.Create(dys.AsSpan(n * features, features).ToArray(), 1, features)).ToArray()
                .Should().Equal(dx.AsSpan(n * features, features).ToArray(), $"row {n} backward");
        }
    }

    [Fact]
    public void GlobalAvgPool2D_GradientCheck_AndShape()
    {
        var pool = new GlobalAvgPool2D<double>();
        pool.OutputShape([4, 3, 5]).Should().Equal([4]);
        GradientCheck.Layer(pool, TestTensors.Random<double>(1, 2, 4, 3, 5)).MaxRelativeError.Should().BeLessThan(1e-8);
        var act = () => pool.Forward(TestTensors.Random<double>(1, 2, 4), training: false);
        act.Should().Throw<ShapeMismatchException>().WithMessage("*GlobalAvgPool2D*[N, C, H, W]*");
    }

    [Theory]
    [InlineData(3, 5, 7)]   // 15 planes: groups of four side by side and a tail of three
    [InlineData(2, 2, 1)]
    public void GlobalAvgPool2D_Float_EachMeanIsItsPlanesSumInDoubleInOrder(int batch, int channels, int size)
    {
        var x = TestTensors.Random<float>(9, batch, channels, size, size + 2);
        var values = x.ToArray();
        int plane = size * (size + 2);
        var expected = new float[batch * channels];
        for (int p = 0; p < expected.Length; p++)
        {
            double sum = 0;
            for (int i = 0; i < plane; i++) sum += values[p * plane + i];
            expected[p] = (float)(sum / plane);
        }
        new GlobalAvgPool2D<float>().Forward(x, training: true).ToArray().Should().Equal(expected);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BatchNorm2D_GradientCheck_TrainingAndInference(bool training)
    {
        var bn = new BatchNorm2D<double>(3);
        bn.Weight!.SetValue([1.5, 0.7, -0.4]);
        bn.Bias!.SetValue([0.1, -0.2, 0.3]);
        bn.SetRunningStatistics([0.2, -0.1, 0.4], [0.8, 1.3, 0.5]);
        var result = GradientCheck.Layer(bn, TestTensors.Random<double>(4, 2, 3, 2, 3), seed: 3, training: training);
        result.MaxRelativeError.Should().BeLessThan(1e-6, result.ToString());
    }

    [Fact]
    public void BatchNorm1D_GradientCheck_WithLengthAxis()
    {
        var bn = new BatchNorm1D<double>(2);
        bn.Weight!.SetValue([1.2, -0.8]);
        var result = GradientCheck.Layer(bn, TestTensors.Random<double>(5, 3, 2, 4), seed: 2, training: true);
        result.MaxRelativeError.Should().BeLessThan(1e-6, result.ToString());
    }

    [Fact]
    public void BatchNorm_RunningStatistics_AreNotParameters_AndFollowMomentum()
    {
        var bn = new BatchNorm1D<double>(1, momentum: 0.5);
        bn.Parameters.Select(p => p.Name).Should().Equal("weight", "bias");
        bn.Forward(TestTensors.Create(new[] { 1.0, 3.0 }, 2, 1), training: true);
        // Batch mean 2, unbiased variance 2: 0.5·0 + 0.5·2 and 0.5·1 + 0.5·2.
        bn.RunningMean.ToArray().Should().Equal([1.0]);
        bn.RunningVariance.ToArray().Should().Equal([1.5]);
        bn.Forward(TestTensors.Create(new[] { 5.0, 7.0 }, 2, 1), training: false);
        bn.RunningMean.ToArray().Should().Equal([1.0], "inference leaves the statistics alone");
    }

    [Fact]
    public void BatchNorm_OneValuePerChannel_RefusesToTrain()
    {
        var act = () => new BatchNorm1D<double>(3).Forward(TestTensors.Random<double>(1, 1, 3), training: true);
        act.Should().Throw<ArgumentException>().WithMessage("*more than one value per channel*");
    }

    [Fact]
    public void BatchNorm_InferenceCopy_SharesStatisticsReadOnly()
    {
        var bn = new BatchNorm2D<double>(2);
        var copy = bn.CreateInferenceCopy()!;
        bn.Forward(TestTensors.Random<double>(1, 4, 2, 3, 3), training: true);
        var x = TestTensors.Random<double>(2, 3, 2, 3, 3);
        copy.Forward(x, training: false).ToArray().Should().Equal(bn.Forward(x, training: false).ToArray(), "the copy reads the statistics training moved");
        var train = () => copy.Forward(x, training: true);
        train.Should().Throw<InvalidOperationException>().WithMessage("*inference copy*");
    }

    [Fact]
    public void Network_WithNewLayers_SavesAndLoads_StatisticsIncluded()
    {
        var network = Network.Sequential<float>(2, 6, 6)
            .Conv2D(4, kernel: 3).BatchNorm2D().GELU().Conv2D(3, kernel: 3).ELU(0.5).GlobalAvgPool2D()
            .Dense(5).BatchNorm1D(momentum: 0.2).SiLU().Softplus(2, 10).GELU(tanhApproximation: true).Dense(2).Build(seed: 4);
        for (int step = 0; step < 3; step++) network.Forward(TestTensors.Random<float>(step, 8, 2, 6, 6), training: true);
        network.Parameters.Should().HaveCount(12, "two convolutions, two dense layers and two batch norms, two tensors each; no statistics");
        using var dir = new TempDirectory();
        ModelFile.Save(network, dir.File("model.json"));
        var loaded = ModelFile.Load<float>(dir.File("model.json"));

        var x = TestTensors.Random<float>(9, 3, 2, 6, 6);
        loaded.Predict(x).ToArray().Should().Equal(network.Predict(x).ToArray());
        loaded.DescribeLayers().Should().Equal(network.DescribeLayers());
        ((BatchNorm2D<float>)loaded.Layers[1]).RunningVariance.ToArray().Should().Equal(((BatchNorm2D<float>)network.Layers[1]).RunningVariance.ToArray());
    }

    [Fact]
    public void BatchNorm_FileWithWrongStatistics_IsRefusedNamingTheSetting()
    {
        var network = Network.Sequential<double>(3).BatchNorm1D().Build(seed: 1);
        using var dir = new TempDirectory();
        string path = dir.File("bn.json");
        ModelFile.Save(network, path);
        string text = File.ReadAllText(path);
        string mean = network.Layers[0].Describe().TextSettings[BatchNorm<double>.RunningMeanSetting];
        File.WriteAllText(path, text.Replace(mean, mean[..^4], StringComparison.Ordinal));
        var act = () => ModelFile.Load<double>(path);
        act.Should().Throw<InvalidDataException>().WithMessage("*bn.json*BatchNorm1D*runningMean*3 float64 values*");
    }

    [Fact]
    public void Builder_RefusesBadSettingsAtOnce()
    {
        var builder = Network.Sequential<double>(3);
        ((Action)(() => builder.ELU(-1))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => builder.Softplus(beta: 0))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => builder.BatchNorm1D(momentum: 1.5))).Should().Throw<ArgumentOutOfRangeException>();
        var wrongShape = () => Network.Sequential<double>(3).BatchNorm2D().Build(seed: 1);
        wrongShape.Should().Throw<ShapeMismatchException>().WithMessage("*BatchNorm2D*[C, H, W]*");
    }
}
