using System.Numerics;
using NeuralNets.Diagnostics;
using NeuralNets.Kernels;
using NeuralNets.Layers;
using NeuralNets.Serialization;
using NeuralNets.Tests.Kernels;

namespace NeuralNets.Tests.Layers;

/// <summary>Hardtanh (ReLU6), Hardsigmoid and Hardswish: hand-computed values at and around their kinks, gradient checks, every vector width, files.</summary>
[Collection(NarrowedWidth.Name)]
public class HardActivationTests
{
    // Edges and specials: the kinks at ±3 (and the bounds), NaN, ±∞, ±0, and values between.
    private static readonly double[] Inputs = [-4, -3, -1.5, -0.0, 0, 0.75, 3, 4.5, 6, 7, double.NaN, double.PositiveInfinity, double.NegativeInfinity];

    public static TheoryData<string> Kinds => ["ReLU6", "Hardtanh", "Hardsigmoid", "Hardswish"];

    private static ILayer<T> Create<T>(string kind) where T : unmanaged, IFloatingPointIeee754<T> => kind switch
    {
        "ReLU6" => new Hardtanh<T>(0, 6),
        "Hardtanh" => new Hardtanh<T>(-0.5, 0.7),
        "Hardsigmoid" => new Hardsigmoid<T>(),
        "Hardswish" => new Hardswish<T>(),
        _ => throw new ArgumentException(kind),
    };

    /// <summary>The formulas as PyTorch's kernels write them, in double, one element at a time.</summary>
    private static (double Y, double Dx) Expected(string kind, double x, double dy)
    {
        double Clamp(double v, double lower, double upper) => double.IsNaN(v) ? v : Math.Min(Math.Max(v, lower), upper);
        return kind switch
        {
            "ReLU6" => (Clamp(x, 0, 6), x > 0 && x < 6 ? dy : 0),
            "Hardtanh" => (Clamp(x, -0.5, 0.7), x > -0.5 && x < 0.7 ? dy : 0),
            "Hardsigmoid" => (Clamp(x + 3, 0, 6) / 6, x > -3 && x < 3 ? dy * (double)(1f / 6f) : 0),
            "Hardswish" => (x * Clamp(x + 3, 0, 6) / 6, x < -3 ? 0 : x >= 3 ? dy : dy * (x / 3 + 0.5)),
            _ => throw new ArgumentException(kind),
        };
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Double_EdgesAndSpecials_ArePyTorchs(string kind)
    {
        var layer = Create<double>(kind);
        // Twice over, so that each value is met by the vector loops and by the scalar tail.
        double[] x = [.. Inputs, .. Inputs];
        double[] dy = x.Select((_, i) => 0.25 + i).ToArray();
        var y = layer.Forward(TestTensors.Create(x, 2, Inputs.Length), training: true).ToArray();
        var dx = layer.Backward(TestTensors.Create(dy, 2, Inputs.Length)).ToArray();
        for (int i = 0; i < x.Length; i++)
        {
            var (expectedY, expectedDx) = Expected(kind, x[i], dy[i]);
            BitConverter.DoubleToInt64Bits(y[i]).Should().Be(BitConverter.DoubleToInt64Bits(expectedY), $"{kind}({x[i]}) = {expectedY}");
            BitConverter.DoubleToInt64Bits(dx[i]).Should().Be(BitConverter.DoubleToInt64Bits(expectedDx), $"{kind}′ at {x[i]} times {dy[i]} = {expectedDx}");
        }
    }

    [Fact]
    public void Values_AtKnownPoints()
    {
        // ReLU6 is the clamp to [0, 6]; Hardsigmoid(0) = ½ and its slope between ±3 is 1/6 (as a float, PyTorch's);
        // Hardswish(1) = 1·4/6, Hardswish(−3) = −0 and its slope at 0 is ½; −∞ through Hardswish is NaN (−∞·0), as in PyTorch.
        double Forward(ILayer<double> layer, double x) => layer.Forward(TestTensors.Create([x], 1, 1), false).ToArray()[0];
        Forward(new Hardtanh<double>(0, 6), 7.5).Should().Be(6);
        Forward(new Hardtanh<double>(0, 6), -2).Should().Be(0);
        Forward(new Hardsigmoid<double>(), 0).Should().Be(0.5);
        Forward(new Hardswish<double>(), 1).Should().Be(4.0 / 6);
        double.IsNegative(Forward(new Hardswish<double>(), -3)).Should().BeTrue("−3 · +0 is −0");
        double.IsNaN(Forward(new Hardswish<double>(), double.NegativeInfinity)).Should().BeTrue();
        var sigmoid = new Hardsigmoid<double>();
        sigmoid.Forward(TestTensors.Create([1.0], 1, 1), true);
        sigmoid.Backward(TestTensors.Create([1.0], 1, 1)).ToArray()[0].Should().Be(0.1666666716337204);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Float_MatchesTheFormulasInFloat(string kind)
    {
        var random = new Random(5);
        float[] x = Enumerable.Range(0, 203).Select(_ => (float)(random.NextDouble() * 16 - 8)).Concat(Inputs.Select(v => (float)v)).ToArray();
        float[] dy = x.Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var layer = Create<float>(kind);
        var y = layer.Forward(TestTensors.Create(x, 1, x.Length), true).ToArray();
        var dx = layer.Backward(TestTensors.Create(dy, 1, dy.Length)).ToArray();
        for (int i = 0; i < x.Length; i++)
        {
            // In float arithmetic throughout, as PyTorch's float kernels.
            float v = x[i], g = dy[i];
            float Clamp(float a, float lower, float upper) => float.IsNaN(a) ? a : MathF.Min(MathF.Max(a, lower), upper);
            (float Y, float Dx) expected = kind switch
            {
                "ReLU6" => (Clamp(v, 0, 6), v > 0 && v < 6 ? g : 0),
                "Hardtanh" => (Clamp(v, -0.5f, 0.7f), v > -0.5f && v < 0.7f ? g : 0),
                "Hardsigmoid" => (Clamp(v + 3, 0, 6) / 6, v > -3 && v < 3 ? g * (1f / 6f) : 0),
                _ => (v * Clamp(v + 3, 0, 6) / 6, v < -3 ? 0 : v >= 3 ? g : g * (v / 3 + 0.5f)),
            };
            BitConverter.SingleToInt32Bits(y[i]).Should().Be(BitConverter.SingleToInt32Bits(expected.Y), $"{kind}({v})");
            BitConverter.SingleToInt32Bits(dx[i]).Should().Be(BitConverter.SingleToInt32Bits(expected.Dx), $"{kind}′({v}) · {g}");
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryWidth_SameBits(string kind)
    {
        var random = new Random(9);
        double[] values = Enumerable.Range(0, 77).Select(_ => random.NextDouble() * 16 - 8).Concat(Inputs).ToArray();
        (long[], int[]) Run()
        {
            var doubles = Create<double>(kind);
            var y = doubles.Forward(TestTensors.Create(values, 1, values.Length), true);
            var dx = doubles.Backward(y).ToArray().Select(BitConverter.DoubleToInt64Bits).ToArray();
            var floats = Create<float>(kind);
            var fy = floats.Forward(TestTensors.Create(values.Select(v => (float)v).ToArray(), 1, values.Length), true);
            return (dx, floats.Backward(fy).ToArray().Select(BitConverter.SingleToInt32Bits).ToArray());
        }
        var results = NarrowedWidth.AtEveryWidth(Run);
        foreach (var (bits, (doubles, floats)) in results.Skip(1))
        {
            doubles.Should().Equal(results[0].Result.Item1, $"double at {bits} bits");
            floats.Should().Equal(results[0].Result.Item2, $"float at {bits} bits");
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void GradientCheck_Passes(string kind)
    {
        // Inputs over (−5, 5), so both sides of every kink are checked; none lies within ε of one, and the pieces are linear
        // or quadratic, so central differences of 1e-4 carry no truncation error worth the name.
        var x = TestTensors.Random<double>(3, 4, 37);
        var values = x.ToArray().Select(v => v * 5).ToArray();
        var result = GradientCheck.Layer(Create<double>(kind), TestTensors.Create(values, 4, 37), seed: 2, epsilon: 1e-4);
        result.Passed(1e-6).Should().BeTrue(result.ToString());
    }

    [Fact]
    public void Hardtanh_RefusesBoundsThatAreNotAnInterval()
    {
        FluentActions.Invoking(() => new Hardtanh<double>(1, 1)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*min 1 and max 1*");
        FluentActions.Invoking(() => new Hardtanh<float>(double.NaN, 1)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => Network.Sequential<double>(3).Hardtanh(2, -2)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Builder_ReLU6_IsHardtanhZeroToSix_AndSavesAndLoads()
    {
        var network = Network.Sequential<double>(4).Dense(5).ReLU6().Dense(5).Hardswish().Dense(3).Hardsigmoid().Dense(2).Hardtanh(-2, 0.5).Build(seed: 1);
        network.Layers[1].Describe().ToString().Should().Be("Hardtanh(min=0, max=6)");
        string path = Path.Combine(Path.GetTempPath(), $"hard-{Guid.NewGuid():N}.json");
        try
        {
            ModelFile.Save(network, path);
            var loaded = ModelFile.Load<double>(path);
            loaded.Describe().ToString().Should().Be(network.Describe().ToString());
            var x = TestTensors.Random<double>(8, 6, 4);
            loaded.Predict(x).ToArray().Should().Equal(network.Predict(x).ToArray());
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void ModelFile_BoundsOutOfOrder_AreRefusedNamingThem()
    {
        string path = Path.Combine(Path.GetTempPath(), $"hard-{Guid.NewGuid():N}.json");
        try
        {
            ModelFile.Save(Network.Sequential<double>(2).Hardtanh(-1, 1).Build(seed: 1), path);
            File.WriteAllText(path, File.ReadAllText(path).Replace("\"max\": 1", "\"max\": -3", StringComparison.Ordinal));
            FluentActions.Invoking(() => ModelFile.Load<double>(path)).Should().Throw<InvalidDataException>().WithMessage("*'min' (-1) must be below 'max' (-3)*");
        }
        finally { File.Delete(path); }
    }
}

/// <summary>ReLU6, Hardtanh, Hardsigmoid and Hardswish give PyTorch's outputs and input gradients bit for bit, in float and double (tests/PyTorchReference/activations.py).</summary>
public class HardActivationPyTorchTests
{
    public static TheoryData<int> RecordedCases => new(Enumerable.Range(0, PyTorchActivationValues.Cases.Length));

    [Theory]
    [MemberData(nameof(RecordedCases))]
    public void Recorded_SameBitsAsPyTorch(int index)
    {
        var c = PyTorchActivationValues.Cases[index];
        if (c.Single) Check<float>(c);
        else Check<double>(c);
    }

    private static void Check<T>(ActivationCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ILayer<T> layer = c.Name switch
        {
            "ReLU6" => new Hardtanh<T>(0, 6),
            "Hardtanh(-0.3, 0.45)" => new Hardtanh<T>(-0.3, 0.45),
            "Hardsigmoid" => new Hardsigmoid<T>(),
            "Hardswish" => new Hardswish<T>(),
            _ => throw new ArgumentException(c.Name),
        };
        T[] Of(double[] values) => values.Select(T.CreateChecked).ToArray();
        var y = layer.Forward(TestTensors.Create(Of(c.Input), 1, c.Input.Length), training: true).ToArray();
        var dx = layer.Backward(TestTensors.Create(Of(c.OutputGradient), 1, c.Input.Length)).ToArray();
        y.Should().Equal(Of(c.Output), $"{c.Name} forward, {typeof(T).Name}");
        dx.Should().Equal(Of(c.InputGradient), $"{c.Name} backward, {typeof(T).Name}");
    }
}
