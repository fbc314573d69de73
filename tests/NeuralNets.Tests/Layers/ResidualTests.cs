using System.Numerics.Tensors;
using NeuralNets.Diagnostics;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Serialization;
using NeuralNets.Tensors;

namespace NeuralNets.Tests.Layers;

/// <summary>Residual blocks: the sum by hand, gradient checks with identity and projection shortcuts, shape errors, saving, threads.</summary>
public class ResidualTests
{
    private static Sequential<T> TinyResNet<T>(int seed) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        TinyResNets.Build<T>([2, 6, 6], width: 3, wider: 4, classes: 3, seed);

    [Fact]
    public void Forward_IdentityShortcut_AddsTheInputToTheBody()
    {
        var dense = new Dense<double>(2, 2, new Random(0));
        new[] { 1.0, 2, 3, 4 }.CopyTo(dense.Weight.ValueSpan);
        new[] { 0.5, -0.5 }.CopyTo(dense.Bias!.ValueSpan);
        var block = new Residual<double>(new Sequential<double>(dense));
        var x = TestTensors.Create(new[] { 1.0, -1, 2, 3 }, 2, 2);
        // body: [1·1 + 2·(−1) + 0.5, 3·1 + 4·(−1) − 0.5] = [−0.5, −1.5]; [2 + 6 + 0.5, 6 + 12 − 0.5] = [8.5, 17.5]
        block.Forward(x, training: true).ToArray().Should().Equal(0.5, -2.5, 10.5, 20.5);
        // dx = Wᵀ·dy + dy
        block.Backward(TestTensors.Create(new[] { 1.0, 0, 0, 1 }, 2, 2)).ToArray().Should().Equal(2, 2, 3, 5);
        block.Parameters.Select(p => p.Name).Should().Equal("0.0.weight", "0.0.bias");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PreActivationBody_IdentityShortcutSeesTheInputUnrectified(bool predict)
    {
        // A body that starts with an activation (pre-activation ResNets): the shortcut must add x, not ReLU(x), in training,
        // in inference and through Predict's inference copies.
        var network = Network.Sequential<double>(5).Dense(6).Residual(b => b.ReLU().Dense(6)).Build(seed: 3);
        var x = TestTensors.Random<double>(7, 4, 5);
        var first = (Dense<double>)network.Layers[0];
        var body = (Dense<double>)((Residual<double>)network.Layers[1]).Body.Layers[1];
        var h = first.Forward(x, training: false).ToArray();
        var expected = body.Forward(TestTensors.Create(h.Select(v => Math.Max(v, 0)).ToArray(), 4, 6), training: false).ToArray()
            .Zip(h, (fromBody, identity) => fromBody + identity).ToArray();
        h.Should().Contain(v => v < 0, "some inputs of the block are negative, so ReLU(x) and x differ");

        var output = predict ? network.Predict(x).ToArray() : network.Forward(x, training: true).ToArray();

        output.Should().Equal(expected, (a, b) => Math.Abs(a - b) <= 1e-12 * Math.Max(1, Math.Abs(b)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BackwardToParameters_BlockFirst_SameGradientsAsBackwardAndNoInputGradient(bool projection)
    {
        // A block first in the network: its branches add their parameter gradients and the block's input gradient is never
        // computed (its buffer from a full Backward keeps what was written into it).
        var network = Network.Sequential<float>(2, 6, 6)
            .Residual(b => b.Conv2D(2, 3, padding: 1).BatchNorm2D().ReLU().Conv2D(2, 3, padding: 1), shortcut: projection ? s => s.Conv2D(2, 1) : null)
            .ReLU().Flatten().Dense(3).Build(seed: 4);
        var x = TestTensors.Random<float>(21, 5, 2, 6, 6);
        var dy = TestTensors.Random<float>(22, 5, 3);
        SequentialBackwardToParametersTests.SameGradientsAsBackward(network, x, dy);

        network.Forward(x, training: true);
        var inputGradient = network.Backward(dy);
        inputGradient.Span().Fill(42f);
        network.Forward(x, training: true);
        network.BackwardToParameters(dy);
        inputGradient.ToArray().Should().OnlyContain(v => v == 42f);
    }

    [Fact]
    public void Backward_IdentityShortcutWithBatchNorm_MatchesFiniteDifferences()
    {
        var block = new Residual<double>(new Sequential<double>([3, 4, 4],
            new Conv2D<double>(3, 3, 3, new Random(1), padding: 1, bias: false), new BatchNorm2D<double>(3), new Tanh<double>(),
            new Conv2D<double>(3, 3, 3, new Random(2), padding: 1, bias: false), new BatchNorm2D<double>(3)));
        var result = GradientCheck.Layer(block, TestTensors.Random<double>(3, 2, 3, 4, 4), seed: 4, training: true);
        result.MaxRelativeError.Should().BeLessThan(1e-6, result.ToString());
    }

    [Fact]
    public void Backward_ProjectionShortcutWithBatchNorm_MatchesFiniteDifferences()
    {
        var block = new Residual<double>(
            new Sequential<double>([2, 5, 5], new Conv2D<double>(2, 4, 3, new Random(1), stride: 2, padding: 1, bias: false), new BatchNorm2D<double>(4),
                new Tanh<double>(), new Conv2D<double>(4, 4, 3, new Random(2), padding: 1, bias: false), new BatchNorm2D<double>(4)),
            new Sequential<double>([2, 5, 5], new Conv2D<double>(2, 4, 1, new Random(3), stride: 2, bias: false), new BatchNorm2D<double>(4)));
        var result = GradientCheck.Layer(block, TestTensors.Random<double>(5, 3, 2, 5, 5), seed: 6, training: true);
        result.MaxRelativeError.Should().BeLessThan(1e-6, result.ToString());
        block.Parameters.Select(p => p.Name).Should().Equal("0.0.weight", "0.1.weight", "0.1.bias", "0.3.weight", "0.4.weight", "0.4.bias",
            "1.0.weight", "1.1.weight", "1.1.bias");
    }

    [Fact]
    public void Network_TinyResNet_MatchesFiniteDifferencesInTrainingAndInference()
    {
        // Tanh for ReLU: batch statistics put many of a ReLU's inputs near its kink, where a finite difference straddles it
        // (the ReLU network's gradients are checked against PyTorch's in the training run instead).
        var network = TinyResNets.Build<double>([2, 6, 6], width: 3, wider: 4, classes: 3, seed: 3, tanh: true);
        var x = TestTensors.Random<double>(7, 4, 2, 6, 6);
        var labels = TestTensors.Create(new[] { 0.0, 2, 1, 2 }, 4);
        var training = GradientCheck.Network(network, new SoftmaxCrossEntropy<double>(), x, labels, training: true);
        training.MaxRelativeError.Should().BeLessThan(1e-5, training.ToString());
        var inference = GradientCheck.Network(network, new SoftmaxCrossEntropy<double>(), x, labels);
        inference.MaxRelativeError.Should().BeLessThan(1e-5, inference.ToString());
    }

    [Fact]
    public void Build_IdentityShortcutChangesShape_NamesBothShapes()
    {
        var build = () => Network.Sequential<double>(2, 6, 6).Residual(b => b.Conv2D(4, 3, padding: 1)).Build(seed: 0);
        build.Should().Throw<ShapeMismatchException>().WithMessage("*[2, 6, 6]*[4, 6, 6]*identity*");
        var projected = () => Network.Sequential<double>(2, 6, 6)
            .Residual(b => b.Conv2D(4, 3, stride: 2, padding: 1), shortcut: s => s.Conv2D(4, 1)).Build(seed: 0);
        projected.Should().Throw<ShapeMismatchException>().WithMessage("*[4, 3, 3]*shortcut makes [4, 6, 6]*");
    }

    [Fact]
    public void Forward_UnknownShapesThatDiffer_NamesBothShapes()
    {
        var block = new Residual<double>(new Sequential<double>(new Dense<double>(3, 2, new Random(0))));
        var forward = () => block.Forward(TestTensors.Random<double>(1, 2, 3), training: false);
        forward.Should().Throw<ShapeMismatchException>().WithMessage("*[2, 3]*[2, 2]*identity*");
    }

    [Fact]
    public void ModelFile_TinyResNet_RoundTripsDescriptionAndPredictions()
    {
        var network = TinyResNet<double>(seed: 5);
        var x = TestTensors.Random<double>(2, 3, 2, 6, 6);
        for (int i = 0; i < 3; i++) network.Forward(x, training: true);  // running statistics that are not the initial ones
        string path = Path.Combine(Path.GetTempPath(), $"residual-{Guid.NewGuid():N}.json");
        try
        {
            ModelFile.Save(network, path);
            var loaded = ModelFile.Load<double>(path);
            loaded.DescribeLayers().Should().Equal(network.DescribeLayers());
            loaded.Predict(x).ToArray().Should().Equal(network.Predict(x).ToArray());
            loaded.Parameters.Select(p => p.Name).Should().Equal(network.Parameters.Select(p => p.Name));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Create_DescriptionWithoutSequentialBranches_FailsNamingWhatItHeld()
    {
        var relu = LayerDescription.Of("ReLU");
        var body = new Sequential<double>(new ReLU<double>()).Describe();
        var notNetwork = () => LayerRegistry.Create<double>(LayerDescription.Of("Residual") with { Layers = [relu] });
        notNetwork.Should().Throw<InvalidDataException>().WithMessage("*inner layer 0 is a 'ReLU'*'Sequential'*");
        var three = () => LayerRegistry.Create<double>(LayerDescription.Of("Residual") with { Layers = [body, body, body] });
        three.Should().Throw<InvalidDataException>().WithMessage("*holds 3 networks*");
        var none = () => LayerRegistry.Create<double>(LayerDescription.Of("Residual"));
        none.Should().Throw<InvalidDataException>().WithMessage("*holds 0 networks*");
        LayerRegistry.Create<double>(LayerDescription.Of("Residual") with { Layers = [body, body] }).Should().BeOfType<Residual<double>>();
    }

    [Fact]
    public void LayerContract_IdentityAndProjectionBlocks_KeepEveryRule()
    {
        var identity = new Residual<double>(new Sequential<double>([3, 4, 4],
            new Conv2D<double>(3, 3, 3, new Random(1), padding: 1, bias: false), new BatchNorm2D<double>(3), new Tanh<double>(),
            new Conv2D<double>(3, 3, 3, new Random(2), padding: 1)));
        NeuralNets.Testing.NeuralNetsAssertionExtensions.Should(identity).SatisfyLayerContract([3, 4, 4]);
        var projection = new Residual<double>(new Sequential<double>(new Dense<double>(4, 3, new Random(3)), new Tanh<double>()),
            new Sequential<double>(new Dense<double>(4, 3, new Random(4), bias: false)));
        NeuralNets.Testing.NeuralNetsAssertionExtensions.Should(projection).SatisfyLayerContract([4]);
    }

    [Fact]
    public void Predict_ManyThreads_BitIdenticalToSerial()
    {
        var network = TinyResNet<double>(seed: 6);
        var x = TestTensors.Random<double>(3, 5, 2, 6, 6);
        network.Forward(x, training: true);
        var serial = network.Predict(x).ToArray();
        var results = new double[8][];
        Parallel.For(0, results.Length, i =>
        {
            for (int r = 0; r < 20; r++) results[i] = network.Predict(x).ToArray();
        });
        foreach (var result in results) result.Should().Equal(serial);
        network.Freeze().Predict(x).ToArray().Should().Equal(serial, "a frozen copy goes through the model file's form");
    }

    [Fact]
    public void ToStringAndSummary_NameTheBranches()
    {
        var network = TinyResNet<float>(seed: 0);
        network.Layers[3].ToString().Should().Be("Residual(body 5 layers, identity)");
        network.Layers[5].ToString().Should().Be("Residual(body 5 layers, shortcut 2 layers)");
        network.Summary().Should().Contain("Residual(body 5 layers, shortcut 2 layers)");
        network.ToString().Should().Contain("Residual(body 5 layers, identity)  → [3, 6, 6]");
    }
}
