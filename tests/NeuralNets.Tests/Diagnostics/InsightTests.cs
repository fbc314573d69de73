using NeuralNets.Diagnostics;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Diagnostics;

/// <summary>Saliency, activation maximisation, feature maps and filters on networks small enough to check by hand.</summary>
public class InsightTests
{
    private static Sequential<double> Linear(out Dense<double> dense)
    {
        dense = new Dense<double>(4, 3, seed: 7);
        dense.Bias!.SetValue([0.5, -0.25, 1.0]);
        return new Sequential<double>([4], dense);
    }

    [Fact]
    public void Saliency_LinearNetwork_IsAbsoluteWeightRowOfTheClass()
    {
        var network = Linear(out var dense);
        var x = TestTensors.Random<double>(1, 2, 4);
        var map = Saliency.ForClass(network, x, targetClass: 2).ToArray();
        var row = dense.Weight.ValueSpan.Slice(8, 4).ToArray().Select(Math.Abs).ToArray();
        map.Should().Equal([.. row, .. row]);
        foreach (var p in network.Parameters) p.GradientSpan.ToArray().Should().OnlyContain(g => g == 0, "diagnostics leave no gradient behind");
    }

    [Fact]
    public void Saliency_PredictedClass_UsesEachSamplesArgMax()
    {
        var network = Linear(out var dense);
        var x = TestTensors.Random<double>(3, 5, 4);
        var scores = network.Predict(x).ToArray();
        var map = Saliency.ForPredictedClass(network, x).ToArray();
        for (int n = 0; n < 5; n++)
        {
            int c = Enumerable.Range(0, 3).MaxBy(k => scores[n * 3 + k]);
            map.AsSpan(n * 4, 4).ToArray().Should().Equal(dense.Weight.ValueSpan.Slice(c * 4, 4).ToArray().Select(Math.Abs));
        }
    }

    [Fact]
    public void Saliency_ClassOutOfRange_Throws()
    {
        var network = Linear(out _);
        var act = () => Saliency.ForClass(network, TestTensors.Random<double>(1, 1, 4), targetClass: 3);
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*3 classes, 0 to 2*");
    }

    private static Sequential<double> SmallCnn() =>
        Network.Sequential<double>(1, 8, 8).Conv2D(3, kernel: 3, padding: 1).ReLU().MaxPool2D(2).Flatten().Dense(4).Build(seed: 11);

    [Fact]
    public void ActivationMaximization_RaisesTheChannel_AndStaysInsideTheL2Ball()
    {
        var network = SmallCnn();
        var options = new ActivationMaximizationOptions { Steps = 60, StepSize = 0.5, MaxNorm = 3, Seed = 4 };
        var start = ActivationMaximization.ForChannel(network, layer: 0, channel: 1, options with { Steps = 1, StepSize = 1e-9 });
        var image = ActivationMaximization.ForChannel(network, layer: 0, channel: 1, options);

        image.Lengths.ToArray().Should().Equal(1, 1, 8, 8);
        Math.Sqrt(image.ToArray().Sum(v => v * v)).Should().BeLessThanOrEqualTo(3 + 1e-12);
        ActivationMaximization.MeanActivation(network, 0, 1, image)
            .Should().BeGreaterThan(ActivationMaximization.MeanActivation(network, 0, 1, start) + 0.1);
    }

    [Fact]
    public void ActivationMaximization_Class_RaisesItsScoreAboveTheOthers()
    {
        var network = SmallCnn();
        var image = ActivationMaximization.ForClass(network, targetClass: 2, new ActivationMaximizationOptions { Steps = 100, StepSize = 0.5, Seed = 1 });
        var scores = network.Predict(image).ToArray();
        Array.IndexOf(scores, scores.Max()).Should().Be(2);
    }

    [Fact]
    public void ActivationMaximization_SameSeedSameImage_OtherSeedOtherImage()
    {
        var network = SmallCnn();
        var options = new ActivationMaximizationOptions { Steps = 20, Seed = 5, Jitter = 2 };
        var first = ActivationMaximization.ForClass(network, 1, options).ToArray();
        ActivationMaximization.ForClass(network, 1, options).ToArray().Should().Equal(first);
        ActivationMaximization.ForClass(network, 1, options with { Seed = 6 }).ToArray().Should().NotEqual(first);
    }

    [Fact]
    public void ActivationMaximization_JitterOnVectorInput_ThrowsSayingWhy()
    {
        var network = Linear(out _);
        var act = () => ActivationMaximization.ForClass(network, 0, new ActivationMaximizationOptions { Jitter = 1 });
        act.Should().Throw<ArgumentException>().WithMessage("*Jitter to 0*");
        ActivationMaximization.ForClass(network, 0, new ActivationMaximizationOptions { Jitter = 0, Steps = 5 }).Lengths.ToArray().Should().Equal(1, 4);
    }

    [Fact]
    public void FeatureMaps_OnePerLayer_LastIsTheNetworksOutput()
    {
        var network = SmallCnn();
        var x = TestTensors.Random<double>(2, 1, 1, 8, 8);
        var maps = FeatureMaps.Of(network, x);
        maps.Select(m => m.Output.Lengths.ToArray()).Should().BeEquivalentTo(new[] { new nint[] { 1, 3, 8, 8 }, [1, 3, 8, 8], [1, 3, 4, 4], [1, 48], [1, 4] },
            o => o.WithStrictOrdering());
        maps[0].Layer.Should().StartWith("Conv2D(1 → 3");
        maps[^1].Output.ToArray().Should().Equal(network.Predict(x).ToArray());
        maps[1].Output.ToArray().Should().OnlyContain(v => v >= 0, "the ReLU's maps");
    }

    [Fact]
    public void Filters_AreTheWeightsAsImages()
    {
        var conv = new Conv2D<double>(2, 3, kernel: 3, seed: 1);
        var filters = Filters.Of(conv);
        filters.Lengths.ToArray().Should().Equal(6, 3, 3);
        filters.ToArray().Should().Equal(conv.Weight.ValueSpan.ToArray());
    }

    [Fact]
    public void Filters_GroupedConvolution_AreItsWeightsOfCinOverGroupsChannels()
    {
        var conv = new Conv2D<double>(4, 6, kernel: 3, seed: 1, groups: 2);
        var filters = Filters.Of(conv);
        filters.Lengths.ToArray().Should().Equal(12, 3, 3);
        filters.ToArray().Should().Equal(conv.Weight.ValueSpan.ToArray());
        Filters.Draw(new Conv2D<float>(3, 3, kernel: 3, seed: 1, groups: 3)).Width.Should().BeGreaterThan(0);
    }
}
