using NeuralNets.Diagnostics;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Layers;

public class ActivationTests
{
    public static TheoryData<string> Activations => ["Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Softmax", "LogSoftmax", "Hardtanh", "Hardsigmoid", "Hardswish"];

    private static ILayer<T> Create<T>(string name) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> => name switch
    {
        "Sigmoid" => new Sigmoid<T>(),
        "Tanh" => new Tanh<T>(),
        "ReLU" => new ReLU<T>(),
        "LeakyReLU" => new LeakyReLU<T>(0.1),
        "Softmax" => new Softmax<T>(),
        "LogSoftmax" => new LogSoftmax<T>(),
        "Hardtanh" => new Hardtanh<T>(0, 6),
        "Hardsigmoid" => new Hardsigmoid<T>(),
        "Hardswish" => new Hardswish<T>(),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Activations))]
    public void Backward_SeveralShapes_MatchesFiniteDifferences(string name)
    {
        foreach (var shape in new[] { new[] { 1, 4 }, new[] { 3, 7 }, new[] { 2, 3, 5 } })
        {
            var input = TestTensors.Random<double>(shape.Sum(), shape);
            // Keep inputs away from ReLU's kink, where a finite difference is meaningless.
            var span = input.ToArray();
            for (int i = 0; i < span.Length; i++) if (Math.Abs(span[i]) < 1e-3) span[i] = 0.5;
            input = TestTensors.Create(span, shape);
            var result = GradientCheck.Layer(Create<double>(name), input, seed: 7);
            result.MaxRelativeError.Should().BeLessThan(1e-7, $"{name} at [{string.Join(", ", shape)}]: {result}");
        }
    }

    [Fact]
    public void Sigmoid_Forward_MatchesFormula()
    {
        var y = new Sigmoid<double>().Forward(TestTensors.Create(new[] { 0.0, 2.0, -3.0 }, 1, 3), training: false).ToArray();
        y.Should().Equal(new[] { 0.5, 1 / (1 + Math.Exp(-2)), 1 / (1 + Math.Exp(3)) }, (a, b) => Math.Abs(a - b) < 1e-15);
    }

    [Fact]
    public void Softmax_LargeLogits_StaysFiniteAndSumsToOne()
    {
        var y = new Softmax<double>().Forward(TestTensors.Create(new[] { 1000.0, 999.0, -1000.0 }, 1, 3), training: false).ToArray();
        y.Should().OnlyContain(v => double.IsFinite(v));
        y.Sum().Should().BeApproximately(1.0, 1e-15);
        y[0].Should().BeApproximately(1 / (1 + Math.Exp(-1)), 1e-15);
    }

    [Fact]
    public void LeakyReLU_NegativeSlope_IsRejectedWithItsValue()
    {
        var act = () => new LeakyReLU<float>(-0.5);
        // The value is in the message, in the invariant culture; none is passed as ActualValue, whose line .NET writes in the current one.
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("LeakyReLU slope must be finite and non-negative, but was -0.5.*").WithParameterName("slope")
            .Which.ActualValue.Should().BeNull();
    }
}
