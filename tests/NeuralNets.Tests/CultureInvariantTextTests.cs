using System.Globalization;
using System.Text.RegularExpressions;
using NeuralNets.Diagnostics;
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
        var saved = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            // Seeded data is not needed: no randomness beyond Build's seed.
            string.Format(CultureInfo.CurrentCulture, "{0}", 0.5).Should().Be("0,5", "the culture really is German");
            foreach (var item in Printables())
            {
                string text = item.ToString()!;
                Regex.IsMatch(text, @"\d,\d").Should().BeFalse($"{item.GetType().Name} printed \"{text}\"");
            }
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void OptimizerCheckMessage_UnderGermanCulture_HasNoDecimalComma()
    {
        var saved = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            var act = () => new Adam<double>([new Parameter<double>("w", 2)], learningRate: 0.01, beta1: 1.5);
            act.Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().StartWith("beta1 must lie in [0, 1), but was 1.5.");
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }
}
