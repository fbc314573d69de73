using System.Numerics.Tensors;
using NeuralNets.Kernels;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Kernels;

/// <summary>
/// The float kernels of SiLU, ELU, Softplus and GELU's tanh form: the same bits at every vector width in each numeric
/// family, and close to the double formula (rounded to float) over a sweep that includes the extremes and NaN.
/// </summary>
[Collection(NarrowedWidth.Name)]
public class FloatActivationTests
{
    public static TheoryData<string, bool> Cases
    {
        get
        {
            var data = new TheoryData<string, bool>();
            foreach (string name in new[] { "SiLU", "ELU", "ELU(0.7)", "Softplus", "Softplus(2, 5)", "GELU(tanh)", "GELU" })
                foreach (bool unfused in new[] { false, true }) data.Add(name, unfused);
            return data;
        }
    }

    private static ILayer<T> Create<T>(string name) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> => name switch
    {
        "SiLU" => new SiLU<T>(),
        "ELU" => new ELU<T>(),
        "ELU(0.7)" => new ELU<T>(0.7),
        "Softplus" => new Softplus<T>(),
        "Softplus(2, 5)" => new Softplus<T>(2, 5),
        "GELU(tanh)" => new GELU<T>(tanhApproximation: true),
        "GELU" => new GELU<T>(),
        _ => throw new ArgumentException(name),
    };

    /// <summary>
    /// A sweep over [−110, 110] (denser over [−16, 16], where the functions bend), small magnitudes of both signs down
    /// to 1e-30, and ±0, ±∞, NaN, float's extremes: an odd count, so every width has a tail.
    /// </summary>
    private static float[] Inputs()
    {
        var x = new List<float>();
        for (int i = 0; i <= 1000; i++) x.Add(-110f + 0.22f * i);
        for (int i = 0; i <= 40000; i++) x.Add(-16f + 0.0008f * i);
        for (int e = -30; e <= 2; e++) x.AddRange([MathF.Pow(10, e) * 1.37f, -MathF.Pow(10, e) * 1.37f]);
        x.AddRange([0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.MaxValue, float.MinValue, 1e-45f, -1e-45f, 0.3399f, -0.3401f, 19.99f, 20.01f]);
        return [.. x];
    }

    private static (float[] Y, float[] Dx) Run(ILayer<float> layer, float[] x, float[] dy)
    {
        var input = System.Numerics.Tensors.Tensor.Create(x, [1, x.Length]);
        var y = layer.Forward(input, training: true).ToArray();
        var dx = layer.Backward(System.Numerics.Tensors.Tensor.Create(dy, [1, x.Length])).ToArray();
        return (y, dx);
    }

    private static float[] Gradients(int count)
    {
        var random = new Random(5);
        var dy = new float[count];
        for (int i = 0; i < count; i++) dy[i] = (float)(random.NextDouble() * 4 - 2);
        return dy;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryWidth_GivesTheSameBits(string name, bool unfused)
    {
        var x = Inputs();
        var dy = Gradients(x.Length);
        var results = NarrowedWidth.AtEveryWidth(() => Run(Create<float>(name), x, dy), unfused);
        foreach (var (bits, (y, dx)) in results.Skip(1))
        {
            Bits(y).Should().Equal(Bits(results[0].Result.Y), $"forward at {bits} bits");
            Bits(dx).Should().Equal(Bits(results[0].Result.Dx), $"backward at {bits} bits");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float_StaysWithinAFewUlpOfTheDoubleFormula(string name, bool unfused)
    {
        var x = Inputs();
        var dy = Gradients(x.Length);
        var (y, dx) = NarrowedWidth.InFamily(unfused, () => Run(Create<float>(name), x, dy));
        var yd = x.Select(v => Reference(name, v).Y).ToArray();
        var dxd = x.Select((v, i) => Reference(name, v).Slope * dy[i]).ToArray();
        // GELU's erf form: Mills' ratio from a float Chebyshev series (about 4 ulp) times e^(−x²/2) and x.
        double ulps = name == "GELU" ? 6 : 4;
        Check("forward", x, y, yd, scale: null, ulps);
        // The gradient crosses zero (SiLU near −1.28, GELU near −0.75): there an ulp of the tiny true value is no
        // measure, so errors are also allowed up to a few ulp of |dy| (the scale of the terms that cancel).
        Check("backward", x, dx, dxd, scale: dy, ulps);
    }

    /// <summary>
    /// The function and its slope in double, written to stay accurate where the layers' double formulas cancel
    /// (e^x − 1 and log(1 + u) near 0, 1 + tanh u for very negative u), so that the float kernels are measured against
    /// the true values.
    /// </summary>
    private static (double Y, double Slope) Reference(string name, double x)
    {
        static double ExpM1(double v) => Math.Abs(v) < 1e-5 ? v + v * v / 2 + v * v * v / 6 : Math.Exp(v) - 1;
        static double Log1P(double u) => u < 1e-5 ? u - u * u / 2 + u * u * u / 3 : Math.Log(1 + u);
        static double Sigma(double v) => 1 / (1 + Math.Exp(-v));
        switch (name)
        {
            case "SiLU":
            {
                double s = Sigma(x), complement = Sigma(-x);
                return (x * s, s * (1 + x * complement));
            }
            case "ELU" or "ELU(0.7)":
            {
                double alpha = name == "ELU" ? 1 : (double)0.7f;
                return x > 0 ? (x, 1) : (alpha * ExpM1(x), alpha * Math.Exp(x));
            }
            case "Softplus" or "Softplus(2, 5)":
            {
                (double beta, double threshold) = name == "Softplus" ? (1.0, 20.0) : (2.0, 5.0);
                double z = beta * x;
                return z > threshold ? (x, 1) : ((Math.Max(z, 0) + Log1P(Math.Exp(-Math.Abs(z)))) / beta, Sigma(z));
            }
            case "GELU(tanh)":
            {
                const double k = 0.7978845608028654, c = 0.044715;
                // GELU′ is 0 below x = −20 and 1 above 20 to double precision; the formula's ∞·0 at ±∞ is not the limit.
                double clamped = Math.Clamp(x, -20, 20);
                double slopeU = 2 * k * (clamped + c * clamped * clamped * clamped), sU = Sigma(slopeU), cU = Sigma(-slopeU);
                double twiceU = 2 * k * (x + c * x * x * x), s = Sigma(twiceU), complement = Sigma(-twiceU);
                return (x * s, sU + 2 * clamped * sU * cU * k * (1 + 3 * c * clamped * clamped));
            }
            case "GELU":
            {
                // Φ(x) = ½erfc(−x/√2); GELU′ = Φ(x) + x·φ(x), 0 below x = −14 and 1 above 14 to float precision.
                double phi = 0.5 * MathNet.Numerics.SpecialFunctions.Erfc(-x / Math.Sqrt(2));
                double clamped = Math.Clamp(x, -14, 14);
                double slope = 0.5 * MathNet.Numerics.SpecialFunctions.Erfc(-clamped / Math.Sqrt(2)) + clamped * Math.Exp(-clamped * clamped / 2) / Math.Sqrt(2 * Math.PI);
                return (x * phi, slope);
            }
            default: throw new ArgumentException(name);
        }
    }

    private static void Check(string what, float[] x, float[] actual, double[] reference, float[]? scale, double ulps)
    {
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < x.Length; i++)
        {
            double expected = reference[i];
            if (double.IsNaN(expected))
            {
                float.IsNaN(actual[i]).Should().BeTrue($"{what} at x = {x[i]} is NaN in double");
                continue;
            }
            float rounded = (float)expected;
            if (Math.Abs(rounded) < 1.17549435e-38f)
            {
                Math.Abs(actual[i]).Should().BeLessThan(1.17549435e-38f, $"{what} at x = {x[i]}: the double result {expected} is below the normal floats");
                continue;
            }
            if (float.IsInfinity(rounded))
            {
                actual[i].Should().Be(rounded, $"{what} at x = {x[i]}");
                continue;
            }
            double ulp = MathF.BitIncrement(MathF.Abs(rounded)) - MathF.Abs(rounded);
            if (scale is not null) ulp = Math.Max(ulp, MathF.BitIncrement(MathF.Abs(scale[i])) - MathF.Abs(scale[i]));
            double error = Math.Abs(actual[i] - expected) / ulp;
            if (error > worst) (worst, worstAt) = (error, i);
        }
        worst.Should().BeLessThanOrEqualTo(ulps, $"{what}: the worst error is at x = {(worstAt < 0 ? 0 : x[worstAt])}");
    }

    // Every NaN counts as one value: which operand's NaN an x86 instruction passes on (its sign and payload) follows the
    // order the JIT gives the operands, which inlining can change between widths; that a result is NaN is what is promised.
    private static int[] Bits(float[] values) => values.Select(v => float.IsNaN(v) ? int.MinValue + 1 : BitConverter.SingleToInt32Bits(v)).ToArray();

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void SpecialValues_MatchTheDoubleFormula(float value)
    {
        foreach (string name in new[] { "SiLU", "ELU", "Softplus", "GELU(tanh)", "GELU" })
        {
            var (y, _) = Run(Create<float>(name), [value, value, value, value, value], [1, 1, 1, 1, 1]);
            var (yd, _) = Run(Create<double>(name), [value], [1]);
            y.Should().AllSatisfy(v => v.Should().Be((float)yd[0], $"{name}({value})"));
        }
    }

    private static (double[] Y, double[] Dx) Run(ILayer<double> layer, float[] x, float[] dy)
    {
        var input = System.Numerics.Tensors.Tensor.Create(x.Select(v => (double)v).ToArray(), [1, x.Length]);
        var y = layer.Forward(input, training: true).ToArray();
        var dx = layer.Backward(System.Numerics.Tensors.Tensor.Create(dy.Select(v => (double)v).ToArray(), [1, x.Length])).ToArray();
        return (y, dx);
    }
}
