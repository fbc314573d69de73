using System.Numerics.Tensors;
using NeuralNets.Diagnostics;
using NeuralNets.Layers;
using NeuralNets.Losses;

namespace NeuralNets.Tests.Diagnostics;

/// <summary>
/// The scale-aware judgement: correct layers too large for the fixed floor pass on every seed at 1e-6, and slips larger than
/// the central difference's rounding still fail.
/// </summary>
public class GradientCheckScaleAwareTests
{
    private const int Seeds = 20;

    private static readonly GradientCheckOptions ScaleAware = new() { Judgement = GradientCheckJudgement.ScaleAware, Tolerance = 1e-6 };

    public static TheoryData<string> LargeLayers => [.. Large.Keys];

    private static readonly Dictionary<string, (Func<int, ILayer<double>> Make, int[] Input)> Large = new()
    {
        ["Dense(64, 33)"] = (seed => new Dense<double>(64, 33, seed: seed), [3, 64]),
        ["Dense(256, 64)"] = (seed => new Dense<double>(256, 64, seed: seed), [2, 256]),
        ["Conv2D 5×5, 16 outputs"] = (seed => new Conv2D<double>(3, 16, 5, seed: seed, padding: 2), [2, 3, 8, 8]),
    };

    [Theory]
    [MemberData(nameof(LargeLayers))]
    public void Layer_ScaleAwareOnLargeCorrectLayer_PassesOnEverySeed(string name)
    {
        var (make, shape) = Large[name];
        for (int seed = 1; seed <= Seeds; seed++)
        {
            var result = GradientCheck.Layer(make(seed), TestTensors.Random<double>(seed, shape), ScaleAware with { Seed = seed });

            result.Passed(ScaleAware.Tolerance).Should().BeTrue($"seed {seed}: {result}");
        }
    }

    [Fact]
    public void Layer_FixedFloorOnLargeCorrectLayer_FailsOnSomeSeed()
    {
        var (make, shape) = Large["Dense(256, 64)"];

        bool failed = Enumerable.Range(1, Seeds).Any(seed => !GradientCheck.Layer(make(seed), TestTensors.Random<double>(seed, shape), seed).Passed(1e-6));

        failed.Should().BeTrue("rounding of a 256 × 64 objective outgrows the fixed floor, which is why the scale-aware judgement exists");
    }

    [Theory]
    [MemberData(nameof(LargeLayers))]
    public void Layer_ScaleAwareWithOneWeightOffBy1e4_FailsAtThatElement(string name)
    {
        var (make, shape) = Large[name];
        const int slipped = 5;
        var layer = new SlippedLayer(make(1), parameter: 0, factor: 1 + 1e-4, slipped);

        var result = GradientCheck.Layer(layer, TestTensors.Random<double>(1, shape), ScaleAware with { Seed = 1 });

        result.Passed(ScaleAware.Tolerance).Should().BeFalse(result.ToString());
        result.Where.Should().Be(layer.Parameters[0].Name);
        result.Index.Should().Be(slipped);
    }

    [Theory]
    [MemberData(nameof(LargeLayers))]
    public void Layer_ScaleAwareWithWeightGradientDoubled_Fails(string name)
    {
        var (make, shape) = Large[name];
        var inner = make(1);
        var layer = new SlippedLayer(inner, parameter: 0, factor: 2, SlippedLayer.All(inner, 0));

        var result = GradientCheck.Layer(layer, TestTensors.Random<double>(1, shape), ScaleAware with { Seed = 1 });

        result.Passed(ScaleAware.Tolerance).Should().BeFalse(result.ToString());
        result.Where.Should().Be(layer.Parameters[0].Name);
        result.MaxRelativeError.Should().BeApproximately(0.5, 1e-6, result.ToString());
    }

    [Theory]
    [InlineData("cross-entropy")]
    [InlineData("mean squared error")]
    public void Network_ScaleAwareOnCorrectNetworks_PassesOnEverySeed(string lossName)
    {
        for (int seed = 1; seed <= Seeds; seed++)
        {
            var network = Network.Sequential<double>(64).Dense(33).Tanh().Dense(10).Build(seed);
            var (loss, target) = LossAndTarget(lossName, seed);

            var result = GradientCheck.Network(network, loss, TestTensors.Random<double>(seed, 5, 64), target, ScaleAware);

            result.Passed(ScaleAware.Tolerance).Should().BeTrue($"seed {seed}: {result}");
        }
    }

    [Fact]
    public void Network_ScaleAwareWithOneWeightOffBy1e4Inside_FailsAtThatElement()
    {
        var network = new Sequential<double>([64], new SlippedLayer(new Dense<double>(64, 33, seed: 1), 0, 1 + 1e-4, 7), new Tanh<double>(), new Dense<double>(33, 10, seed: 2));
        var (loss, target) = LossAndTarget("cross-entropy", 1);

        var result = GradientCheck.Network(network, loss, TestTensors.Random<double>(1, 5, 64), target, ScaleAware);

        result.Passed(ScaleAware.Tolerance).Should().BeFalse(result.ToString());
        result.Where.Should().Be(network.Parameters[0].Name);
        result.Index.Should().Be(7);
    }

    [Fact]
    public void Loss_ScaleAwareOnCorrectLoss_Passes()
    {
        var (loss, target) = LossAndTarget("cross-entropy", 3);

        var result = GradientCheck.Loss(loss, TestTensors.Random<double>(3, 5, 10), target, ScaleAware);

        result.Passed(ScaleAware.Tolerance).Should().BeTrue(result.ToString());
    }

    private static (ILoss<double> Loss, Tensor<double> Target) LossAndTarget(string name, int seed) => name == "cross-entropy"
        ? (new SoftmaxCrossEntropy<double>(), TestTensors.Create(Enumerable.Range(0, 5).Select(i => (double)((i * 3 + seed) % 10)).ToArray(), 5))
        : (new MeanSquaredError<double>(), TestTensors.Random<double>(seed + 100, 5, 10));
}
