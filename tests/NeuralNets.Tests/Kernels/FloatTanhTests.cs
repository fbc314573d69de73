using NeuralNets.Kernels;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Kernels;

/// <summary>
/// The Tanh layer: float by its own kernel, the same bits at every vector width in each numeric family and within 2 ulp
/// of the exact tanh; double by the C library's tanh element by element, the same at every width too.
/// </summary>
[Collection(NarrowedWidth.Name)]
public class FloatTanhTests
{
    /// <summary>
    /// A sweep over [−12, 12] (step 3e-5, across the 0.5625 switch and the saturation near 9), every binade from 2⁻¹⁴⁹
    /// up in 64 steps, both signs, and ±0, ±∞, NaN, float's extremes: an odd count, so every width has a tail.
    /// </summary>
    private static float[] Inputs()
    {
        var x = new List<float>();
        for (int i = 0; i <= 800_000; i++) x.Add(-12f + 3e-5f * i);
        for (int e = -149; e < 128; e++)
            for (int k = 0; k < 64; k++)
            {
                float v = MathF.ScaleB(1f + k / 64f, e);
                if (float.IsFinite(v)) x.AddRange([v, -v]);
            }
        x.AddRange([0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, float.MaxValue, float.MinValue,
            2.44140625e-4f, MathF.BitDecrement(2.44140625e-4f), 0.5625f, MathF.BitIncrement(0.5625f), 10f, 9.01f]);
        return [.. x];
    }

    private static (T[] Y, T[] Dx) Run<T>(T[] x, T[] dy) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var layer = new Tanh<T>();
        var y = layer.Forward(System.Numerics.Tensors.Tensor.Create(x, [1, x.Length]), training: true).ToArray();
        var dx = layer.Backward(System.Numerics.Tensors.Tensor.Create(dy, [1, x.Length])).ToArray();
        return (y, dx);
    }

    private static float[] Gradients(int count)
    {
        var random = new Random(7);
        var dy = new float[count];
        for (int i = 0; i < count; i++) dy[i] = (float)(random.NextDouble() * 4 - 2);
        return dy;
    }

    [Theory]
    [MemberData(nameof(NarrowedWidth.Families), MemberType = typeof(NarrowedWidth))]
    public void Float_EveryWidth_GivesTheSameBits(bool unfused)
    {
        var x = Inputs();
        var dy = Gradients(x.Length);
        var results = NarrowedWidth.AtEveryWidth(() => Run(x, dy), unfused);
        foreach (var (bits, (y, dx)) in results.Skip(1))
        {
            y.Select(BitConverter.SingleToInt32Bits).Should().Equal(results[0].Result.Y.Select(BitConverter.SingleToInt32Bits), $"forward at {bits} bits");
            dx.Select(BitConverter.SingleToInt32Bits).Should().Equal(results[0].Result.Dx.Select(BitConverter.SingleToInt32Bits), $"backward at {bits} bits");
        }
    }

    [Theory]
    [MemberData(nameof(NarrowedWidth.Families), MemberType = typeof(NarrowedWidth))]
    public void Double_EveryWidth_GivesTheSameBits_AndIsTheLibrarysOwnTanh(bool unfused)
    {
        var x = Inputs().Select(v => (double)v).Concat([1e-300, -3.5e-310, 0.3, 19.5]).ToArray();
        var dy = Gradients(x.Length).Select(v => (double)v).ToArray();
        var results = NarrowedWidth.AtEveryWidth(() => Run(x, dy), unfused);
        // The library's tanh in the same numeric family (its exponential rounds by the family's multiply-adds).
        var expected = NarrowedWidth.InFamily(unfused, () => x.Select(v => BitConverter.DoubleToInt64Bits(NeuralNets.Kernels.DoubleTanh.Of(v))).ToArray());
        foreach (var (bits, (y, dx)) in results)
        {
            y.Select(BitConverter.DoubleToInt64Bits).Should().Equal(expected, $"forward at {bits} bits");
            dx.Select(BitConverter.DoubleToInt64Bits).Should().Equal(results[0].Result.Dx.Select(BitConverter.DoubleToInt64Bits), $"backward at {bits} bits");
        }
    }

    [Theory]
    [MemberData(nameof(NarrowedWidth.Families), MemberType = typeof(NarrowedWidth))]
    public void Float_StaysWithinTwoUlpOfTheExactTanh(bool unfused)
    {
        var x = Inputs();
        var (y, _) = NarrowedWidth.InFamily(unfused, () => Run(x, new float[x.Length]));
        double worst = 0;
        int worstAt = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double exact = Math.Tanh(x[i]);
            if (double.IsNaN(exact))
            {
                float.IsNaN(y[i]).Should().BeTrue($"tanh({x[i]}) is NaN");
                continue;
            }
            // The smaller of the two ulps around the rounded value, so that a power of two is not judged by the larger.
            float rounded = MathF.Abs((float)exact);
            double ulp = rounded == 0 ? float.Epsilon : Math.Min(MathF.BitIncrement(rounded) - rounded, rounded - MathF.BitDecrement(rounded));
            double error = Math.Abs(y[i] - exact) / ulp;
            if (error > worst) (worst, worstAt) = (error, i);
        }
        worst.Should().BeLessThanOrEqualTo(2, $"the worst error is at x = {x[worstAt]:R}");
    }

    [Fact]
    public void SpecialValues_KeepTheirSignAndLimits()
    {
        var (y, _) = Run([0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, -1e-45f, 30f, -30f], new float[8]);
        BitConverter.SingleToInt32Bits(y[0]).Should().Be(0, "tanh(+0) = +0");
        BitConverter.SingleToInt32Bits(y[1]).Should().Be(BitConverter.SingleToInt32Bits(-0f), "tanh(−0) = −0");
        y[2].Should().Be(1f);
        y[3].Should().Be(-1f);
        float.IsNaN(y[4]).Should().BeTrue();
        y[5].Should().Be(-1e-45f);
        y[6].Should().Be(1f);
        y[7].Should().Be(-1f);
    }
}
