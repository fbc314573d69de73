using System.Numerics.Tensors;
using NeuralNets.Diagnostics;
using NeuralNets.Layers;
using NeuralNets.Optimizers;
using NeuralNets.Outside.Tests.Components;
using NeuralNets.Serialization;
using NeuralNets.Training;

namespace NeuralNets.Outside.Tests;

/// <summary>
/// A Swish activation, a scale-and-shift layer and a Huber loss written outside the library: exact gradients, they
/// train, and they save and load through the registry like built-in layers.
/// </summary>
public sealed class OutsideComponentTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("neuralnets-outside-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static Tensor<double> Random(int seed, params int[] shape)
    {
        var random = new Random(seed);
        var values = new double[shape.Aggregate(1, (a, b) => a * b)];
        for (int i = 0; i < values.Length; i++) values[i] = 4 * random.NextDouble() - 2;
        return Tensor.Create(values, shape.Select(d => (nint)d).ToArray());
    }

    [Fact]
    public void GradientCheck_Swish_MatchesFiniteDifferences()
    {
        var result = GradientCheck.Layer(new Swish<double>(beta: 1.5), Random(1, 4, 5));
        result.Passed(1e-7).Should().BeTrue(result.ToString());
    }

    [Fact]
    public void GradientCheck_ScaleShift_MatchesFiniteDifferencesForInputAndParameters()
    {
        var layer = new ScaleShift<double>(5);
        var random = new Random(2);
        foreach (var p in layer.Parameters)
            for (int i = 0; i < p.Length; i++) p.ValueSpan[i] = 2 * random.NextDouble() - 1;

        var result = GradientCheck.Layer(layer, Random(3, 4, 5));

        result.Passed(1e-7).Should().BeTrue(result.ToString());
    }

    [Fact]
    public void GradientCheck_Huber_MatchesFiniteDifferencesOnBothSidesOfDelta()
    {
        // Differences spread over [−4, 4]: some inside δ = 0.8, most outside.
        var result = GradientCheck.Loss(new Huber<double>(delta: 0.8), Random(4, 6, 3), Random(5, 6, 3));
        result.Passed(1e-7).Should().BeTrue(result.ToString());
    }

    [Fact]
    public void Huber_KnownValues_AsComputedByHand()
    {
        // d = [0.5, −3]: ½·0.25 = 0.125 inside δ = 1; 1·(3 − 0.5) = 2.5 outside; mean 1.3125. Gradient clamp(d)/2 = [0.25, −0.5].
        var loss = new Huber<double>();
        var output = Tensor.Create(new[] { 1.5, -1.0 }, [2, 1]);
        var target = Tensor.Create(new[] { 1.0, 2.0 }, [2, 1]);

        loss.Forward(output, target).Should().Be(1.3125);
        loss.Backward().ToArray().Should().Equal(0.25, -0.5);
    }

    [Fact]
    public void Huber_TargetOfAnotherShape_ThrowsNamingTheLoss()
    {
        var act = () => new Huber<double>().Forward(Tensor.Create(new double[4], [2, 2]), Tensor.Create(new double[2], [2, 1]));
        act.Should().Throw<ShapeMismatchException>().WithMessage("*Huber(delta=1) target*");
    }

    [Fact]
    public void Fit_NetworkOfOutsideComponents_LossFallsToAFractionOfTheFirstEpoch()
    {
        var network = OutsideData.Network(features: 4, hidden: 32, seed: 3);
        var trainer = new Trainer<float>(network, new Huber<float>(), new Adam<float>(network.Parameters, 0.002));

        var history = trainer.Fit(OutsideData.Regression(512, 4, seed: 7), new TrainingOptions { Epochs = 40, BatchSize = 16, Seed = 1 }, cancellationToken: TestContext.Current.CancellationToken);

        history.Epochs[^1].TrainLoss.Should().BeLessThan(0.25 * history.Epochs[0].TrainLoss, string.Join(", ", history.Epochs.Select(e => e.TrainLoss)));
    }

    [Fact]
    public void SaveThenLoad_OutsideLayers_ComeBackThroughTheRegistryAndPredictBitForBit()
    {
        OutsideKinds.Register();
        var network = OutsideData.Network(features: 4, hidden: 16, seed: 5);
        var random = new Random(6);
        foreach (var p in network.Parameters)
            for (int i = 0; i < p.Length; i++) p.ValueSpan[i] = (float)(random.NextDouble() - 0.5);
        string path = Path.Combine(_folder, "outside.json");

        ModelFile.Save(network, path);
        var loaded = ModelFile.Load<float>(path);

        loaded.Layers.Select(l => l.GetType()).Should().Equal(network.Layers.Select(l => l.GetType()));
        ((Swish<float>)loaded.Layers[1]).Beta.Should().Be(1.5);
        loaded.Parameters.Select(p => p.Name).Should().Equal("0.weight", "0.bias", "2.scale", "2.shift", "3.weight", "3.bias");
        var x = OutsideData.Inputs(9, 4, seed: 8);
        loaded.Predict(x).ToArray().Should().Equal(network.Predict(x).ToArray());
    }

    [Fact]
    public void SaveThenLoad_OutsideLayersInsideANestedNetwork_RoundTrip()
    {
        OutsideKinds.Register();
        var inner = new Sequential<float>(new Swish<float>(0.5), new ScaleShift<float>(6));
        var network = new Sequential<float>([3], new Dense<float>(3, 6, seed: 1), inner, new Dense<float>(6, 2, seed: 2));
        string path = Path.Combine(_folder, "nested.json");

        ModelFile.Save(network, path);
        var loaded = ModelFile.Load<float>(path);

        loaded.Parameters.Select(p => p.Name).Should().Contain(["1.1.scale", "1.1.shift"]);
        var x = OutsideData.Inputs(5, 3, seed: 9);
        loaded.Predict(x).ToArray().Should().Equal(network.Predict(x).ToArray());
    }

    [Fact]
    public void LayerContract_Describe_NamesTheKindNotTheClass()
    {
        new Swish<double>(2).Describe().ToString().Should().Be("Swish(beta=2)");
        new ScaleShift<float>(3).Describe().Should().Be(new LayerDescription("ScaleShift", new Dictionary<string, double> { ["features"] = 3 }));
    }
}
