using System.Globalization;
using System.Text.RegularExpressions;
using NeuralNets.Data;
using NeuralNets.Diagnostics;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Schedules;
using NeuralNets.Tests.Optimizers;
using NeuralNets.Training;

namespace NeuralNets.Tests;

/// <summary>Text the library prints reads the same on every machine: under de-DE no decimal comma appears.</summary>
public class CultureInvariantTextTests
{
    private static IEnumerable<object> Printables()
    {
        var parameters = new[] { new Parameter<double>("w", 2, 3) };
        foreach (string name in OptimizerCatalog.Names) yield return OptimizerCatalog.Create(name, parameters);
        yield return new ExponentialDecay(0.05, 0.95);
        yield return new StepDecay(0.05, 3, 0.5);
        yield return new CosineAnnealing(0.05, 10, 1e-4);
        var network = Network.Sequential<double>(1, 12, 12).Conv2D(2, kernel: 3, padding: 1).LeakyReLU(0.05).MaxPool2D(2).AvgPool2D(3, stride: 1, padding: 1)
            .Flatten().Dropout(0.25).Dense(4).Sigmoid().Dense(3).Tanh().ReLU().Softmax().Build(seed: 1);
        yield return network;
        foreach (var layer in network.Layers) yield return layer;
        foreach (var p in network.Parameters) yield return p;
        yield return new EpochReport(2, 10, 0.4121, 0.441, TimeSpan.FromSeconds(1.25)) { Metrics = Accuracy(0.8512), ValidationMetrics = Accuracy(0.843) };
        yield return new Evaluation(0.25, Accuracy(0.5));
        yield return new GradientCheckResult(1.5e-7, "w", 3, 0.125, 0.1250001, 6);
        yield return new TrainingDivergedException(1, 2, 1.5, weightsRestored: true).Message;
    }

    private static NeuralNets.Training.Metrics.MetricValues Accuracy(double value) => new([new("accuracy", value, HigherIsBetter: true)]);

    [Fact]
    public void ToString_UnderGermanCulture_HasNoDecimalComma()
    {
        using var german = CultureScope.Of("de-DE");
        // Seeded data is not needed: no randomness beyond Build's seed.
        string.Format(CultureInfo.CurrentCulture, "{0}", 0.5).Should().Be("0,5", "the culture really is German");
        foreach (var item in Printables())
        {
            string text = item.ToString()!;
            Regex.IsMatch(text, @"\d,\d").Should().BeFalse($"{item.GetType().Name} printed \"{text}\"");
        }
    }

    [Fact]
    public void AttackCheckMessages_UnderGermanCulture_HaveNoDecimalComma()
    {
        var network = Network.Sequential<double>(2).Dense(2).Build(seed: 1);
        var loss = new MeanSquaredError<double>();
        var input = TestTensors.Create([0.25, 0.75], 1, 2);
        using var german = CultureScope.Of("de-DE");
        var budget = () => Adversarial.FastGradientSign(network, loss, input, input, epsilon: -0.5);
        budget.Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().StartWith("ε must be non-negative and finite, but was -0.5.");
        var range = () => Adversarial.FastGradientSign(network, loss, input, input, epsilon: 0.1, min: 1.5, max: 0.5);
        range.Should().Throw<ArgumentException>().Which.Message.Should().StartWith("The valid input range [1.5, 0.5] is empty.");
        var step = () => Adversarial.Targeted(network, loss, input, input, epsilon: 0.1, stepSize: -0.25, steps: 3);
        step.Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().StartWith("The step size must be positive and finite, but was -0.25.");
        var images = TestTensors.Create([0.25, 0.5, 0.75, 1.0], 1, 1, 2, 2);
        var panel = () => AdversarialPanel.Draw(network, images, images, ["a", "b"], new AdversarialPanelOptions { PixelRange = (1.5, 0.5) });
        panel.Should().Throw<ArgumentException>().Which.Message.Should().StartWith("The pixel range [1.5, 0.5] is empty.");
    }

    [Fact]
    public void NegativeCountsAndInfinity_ReadTheSameUnderSwedishAndGermanCultures()
    {
        // sv-SE writes a negative number with U+2212 (−), and de-DE and sv-SE write infinity as ∞.
        using (CultureScope.Of("sv-SE"))
        {
            string.Format(CultureInfo.CurrentCulture, "{0}", -1).Should().Be("\u22121", "the culture really is Swedish");
            var epoch = () => new ExponentialDecay(0.05, 0.95).LearningRate(-1);
            epoch.Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().StartWith("epoch is 1-based, but was -1.");
            var batches = () => new MiniBatches<double>(new Dataset<double>(TestTensors.Create([1.0, 2.0], 2, 1), TestTensors.Create([0.0, 1.0], 2, 1)), batchSize: -2);
            batches.Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().StartWith("Batch size must be positive, but was -2.");
        }
        using (CultureScope.Of("de-DE"))
        {
            var infinite = () => new Dataset<double>(TestTensors.Create([1.0, double.PositiveInfinity], 2, 1), TestTensors.Create([0.0, 1.0], 2, 1));
            infinite.Should().Throw<ArgumentException>().WithMessage("Features contains a non-finite value (Infinity) at sample 1, element 0.");
        }
    }

    [Fact]
    public void Records_PrintNumbersTheSameUnderGermanAndSwedishCultures()
    {
        // A record's generated ToString appends each member boxed, in the current culture; these write their own list.
        using (CultureScope.Of("de-DE"))
        {
            new PlaneRegion(-1.5, 1.5, -0.25, 2).ToString().Should().Be("PlaneRegion { XMin = -1.5, XMax = 1.5, YMin = -0.25, YMax = 2 }");
            new AdversarialTraining { Epsilon = 0.05, Fraction = 0.25 }.ToString().Should().Be("AdversarialTraining { Epsilon = 0.05, Fraction = 0.25, Min = 0, Max = 1 }");
            new ImageAugmentation { NoiseStandardDeviation = 0.125 }.ToString().Should().Contain("NoiseStandardDeviation = 0.125");
        }
        using (CultureScope.Of("sv-SE"))
        {
            string text = new TrainingOptions { Seed = -7, MaxGradientNorm = 0.5 }.ToString();
            text.Should().StartWith("TrainingOptions { Epochs = 10, BatchSize = 32, Shuffle = True, Seed = -7, ").And.Contain("MaxGradientNorm = 0.5, ");
        }
    }

    [Fact]
    public void NegativeClassInMessage_ReadsTheSameUnderSwedishCulture()
    {
        using var swedish = CultureScope.Of("sv-SE");
        var act = () => OneHot.Encode<double>([1, -1], 3);
        act.Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().StartWith("Sample 1 has class -1, outside [0, 3).");
    }

    [Fact]
    public void RangeChecks_WriteTheValueTheSameUnderSwedishAndGermanCultures()
    {
        // .NET's ArgumentOutOfRangeException.ThrowIf… helpers wrote "−3" (sv-SE) and "0,5" (de-DE), twice; the library's own
        // checks give the value once, in the message, in the invariant culture.
        using (CultureScope.Of("sv-SE"))
        {
            var dense = () => new NeuralNets.Layers.Dense<double>(-3, 2, seed: 1);
            dense.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("inputs").Which.Message.Should().Be("inputs must be positive, but was -3. (Parameter 'inputs')");
            var index = () => new Picture(4, 3).Get(-1, 0);
            index.Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().StartWith("x must lie in [0, 4), but was -1.");
        }
        using (CultureScope.Of("de-DE"))
        {
            double epsilon = -0.5;
            var positive = () => ArgumentRange.ThrowIfNegativeOrZero(epsilon);
            positive.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("epsilon").Which.Message.Should().StartWith("epsilon must be positive, but was -0.5.");
            var atMost = () => ArgumentRange.ThrowIfGreaterThan(1.5, 1.25, "rate");
            atMost.Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().StartWith("rate must be at most 1.25, but was 1.5.");
            var atLeast = () => ArgumentRange.ThrowIfLessThan(TimeSpan.FromMilliseconds(-1.5), TimeSpan.Zero, "timeout");
            atLeast.Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().StartWith("timeout must be at least 00:00:00, but was -00:00:00.0015000.");
        }
        // The same conditions as .NET's helpers, signed zeros and NaNs (of either sign bit) included.
        foreach (double value in new[] { -1.0, -0.0, 0.0, 1e-300, 2.0, double.NaN, -double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            Throws(() => ArgumentRange.ThrowIfNegative(value)).Should().Be(Throws(() => ArgumentOutOfRangeException.ThrowIfNegative(value)), $"ThrowIfNegative({value})");
            Throws(() => ArgumentRange.ThrowIfNegativeOrZero(value)).Should().Be(Throws(() => ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value)), $"ThrowIfNegativeOrZero({value})");
            Throws(() => ArgumentRange.ThrowIfLessThan(value, 0.0)).Should().Be(Throws(() => ArgumentOutOfRangeException.ThrowIfLessThan(value, 0.0)), $"ThrowIfLessThan({value})");
            Throws(() => ArgumentRange.ThrowIfGreaterThan(value, 0.0)).Should().Be(Throws(() => ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 0.0)), $"ThrowIfGreaterThan({value})");
            Throws(() => ArgumentRange.ThrowIfGreaterThanOrEqual(value, 0.0)).Should().Be(Throws(() => ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(value, 0.0)), $"ThrowIfGreaterThanOrEqual({value})");
        }
        foreach (int value in new[] { int.MinValue, -1, 0, 3, 4, int.MaxValue })
            Throws(() => ArgumentRange.ThrowIfNotIndex(value, 4)).Should().Be(value is < 0 or >= 4, $"ThrowIfNotIndex({value}, 4)");
    }

    private static bool Throws(Action check)
    {
        try
        {
            check();
            return false;
        }
        catch (ArgumentOutOfRangeException)
        {
            return true;
        }
    }

    [Fact]
    public void OptimizerCheckMessage_UnderGermanCulture_HasNoDecimalComma()
    {
        using var german = CultureScope.Of("de-DE");
        var act = () => new Adam<double>([new Parameter<double>("w", 2)], learningRate: 0.01, beta1: 1.5);
        act.Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().StartWith("beta1 must lie in [0, 1), but was 1.5.");
    }
}
