using System.Globalization;
using NeuralNets.Diagnostics;
using NeuralNets.Layers;
using NeuralNets.Losses;

namespace NeuralNets.Tests.Diagnostics;

/// <summary>GradientCheckOptions: the default is the check as it was; training passes and prior inputs are checked as the options say.</summary>
public class GradientCheckOptionsTests
{
    [Fact]
    public void Layer_DefaultOptions_GiveTheFixedFloorResultOfTheParameterOverload()
    {
        var input = TestTensors.Random<double>(4, 3, 64);

        var before = GradientCheck.Layer(new Dense<double>(64, 33, seed: 4), input, seed: 4);
        var options = GradientCheck.Layer(new Dense<double>(64, 33, seed: 4), input, new GradientCheckOptions { Seed = 4 });

        options.ToString().Should().Be(before.ToString());
        options.Tensors.Select(t => t.Floor).Should().AllBeEquivalentTo(1e-6);
    }

    [Fact]
    public void Network_DefaultOptions_GiveTheFixedFloorResultOfTheParameterOverload()
    {
        var network = Network.Sequential<double>(6).Dense(16).Sigmoid().Dense(4).Build(2);
        var input = TestTensors.Random<double>(2, 5, 6);
        var target = TestTensors.Create([0.0, 1, 2, 3, 1], 5);

        var before = GradientCheck.Network(network, new SoftmaxCrossEntropy<double>(), input, target);
        var options = GradientCheck.Network(network, new SoftmaxCrossEntropy<double>(), input, target, new GradientCheckOptions());

        options.ToString().Should().Be(before.ToString());
    }

    [Fact]
    public void Layer_TrainingDropout_PassesWithItsMasksHeldFixed()
    {
        var dropout = new Dropout<double>(0.5, seed: 3);

        var result = GradientCheck.Layer(dropout, TestTensors.Random<double>(3, 4, 6), training: true);

        result.Passed(1e-6).Should().BeTrue(result.ToString());
    }

    [Fact]
    public void Network_TrainingWithDropoutInside_PassesWithItsMasksHeldFixed()
    {
        var network = Network.Sequential<double>(6).Dense(8).Dropout(0.5).Tanh().Dense(3).Build(5);
        var target = TestTensors.Create([0.0, 1, 2, 1], 4);

        var result = GradientCheck.Network(network, new SoftmaxCrossEntropy<double>(), TestTensors.Random<double>(5, 4, 6), target, new GradientCheckOptions { Training = true });

        result.Passed(1e-5).Should().BeTrue(result.ToString());
    }

    [Fact]
    public void Layer_PriorInputBeforeAStaleBackward_Fails()
    {
        var input = TestTensors.Random<double>(1, 2, 5);

        var alone = GradientCheck.Layer(new StaleSquare(), input, new GradientCheckOptions());
        var afterPrior = GradientCheck.Layer(new StaleSquare(), input, new GradientCheckOptions { PriorInput = TestTensors.Random<double>(2, 2, 5) });

        alone.Passed(1e-6).Should().BeTrue("the probe pass had the same input as the checked one: {0}", alone);
        afterPrior.Passed(1e-6).Should().BeFalse("Backward read the prior pass's input: {0}", afterPrior);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1e-5)]
    public void Epsilon_NotPositive_ThrowsNamingIt(double epsilon)
    {
        var make = () => new GradientCheckOptions { Epsilon = epsilon };

        make.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Epsilon")
            .WithMessage(string.Create(CultureInfo.InvariantCulture, $"Epsilon must be positive, but was {epsilon}.*"));
    }

    [Fact]
    public void Tolerance_Zero_ThrowsNamingIt()
    {
        var make = () => new GradientCheckOptions { Tolerance = 0 };

        make.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Tolerance");
    }

    [Fact]
    public void ToString_UnderAnotherCulture_WritesInvariantNumbersAndThePriorInputsShape()
    {
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            var options = new GradientCheckOptions { Tolerance = 2.5e-6, PriorInput = TestTensors.Random<double>(1, 3, 4) };

            options.ToString().Should().Be("GradientCheckOptions { Judgement = FixedFloor, Epsilon = 1E-05, Floor = 1E-06, Tolerance = 2.5E-06, Seed = 0, Training = False, PriorInput = [3, 4] }");
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }
}
