using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Kernels;

namespace NeuralNets.Tests.Kernels;

/// <summary>Adam's one-pass update gives the bits of the ten elementwise passes it replaced, at every vector width.</summary>
[Collection(NarrowedWidth.Name)]
public class AdamStepTests
{
    [Fact]
    public void Float_EveryWidth_SameBitsAsTheTenPasses() => Check<float>();

    [Fact]
    public void Double_EveryWidth_SameBitsAsTheTenPasses() => Check<double>();

    private static void Check<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        // An odd length, so every width has a tail; extremes among ordinary values.
        const int length = 1000 + 13;
        var random = new Random(5);
        T[] w = Values<T>(random, length), g = Values<T>(random, length), m = Values<T>(random, length), v = Values<T>(random, length);
        for (int i = 0; i < length; i++) v[i] = T.Abs(v[i]);
        g[3] = T.NaN; g[7] = T.PositiveInfinity; g[11] = T.Zero; v[12] = T.Zero; g[12] = T.Zero; m[12] = T.Zero;
        g[17] = T.CreateTruncating(1e-40); v[19] = T.CreateTruncating(1e300); g[23] = T.CreateTruncating(-3e38);
        T b1 = T.CreateTruncating(0.9), b2 = T.CreateTruncating(0.999), root = T.CreateTruncating(1 / Math.Sqrt(1 - Math.Pow(0.999, 3)));
        T eps = T.CreateTruncating(1e-8), step = -(T.CreateTruncating(1e-3) / T.CreateTruncating(1 - Math.Pow(0.9, 3)));

        var (expectedW, expectedM, expectedV) = TenPasses(w, g, m, v, b1, b2, root, eps, step);
        foreach (var (bits, result) in NarrowedWidth.AtEveryWidth(() =>
        {
            T[] w2 = (T[])w.Clone(), m2 = (T[])m.Clone(), v2 = (T[])v.Clone();
            AdamStep.Apply<T>(w2, g, m2, v2, b1, T.One - b1, b2, T.One - b2, root, eps, step);
            return (w2, m2, v2);
        }))
        {
            Bits(result.w2).Should().Equal(Bits(expectedW), $"w at {bits} bits");
            Bits(result.m2).Should().Equal(Bits(expectedM), $"m at {bits} bits");
            Bits(result.v2).Should().Equal(Bits(expectedV), $"v at {bits} bits");
        }
    }

    // The update as it was written before: one TensorPrimitives pass per operation.
    private static (T[] W, T[] M, T[] V) TenPasses<T>(T[] w0, T[] g, T[] m0, T[] v0, T b1, T b2, T root, T eps, T step)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] w = (T[])w0.Clone(), m = (T[])m0.Clone(), v = (T[])v0.Clone(), scratch = new T[w.Length];
        TensorPrimitives.Multiply(m, b1, m);
        TensorPrimitives.MultiplyAdd(g, T.One - b1, m, m);
        TensorPrimitives.Multiply(v, b2, v);
        TensorPrimitives.Multiply(g, g, scratch);
        TensorPrimitives.MultiplyAdd(scratch, T.One - b2, v, v);
        TensorPrimitives.Sqrt(v, scratch);
        TensorPrimitives.Multiply(scratch, root, scratch);
        TensorPrimitives.Add(scratch, eps, scratch);
        TensorPrimitives.Divide(m, scratch, scratch);
        TensorPrimitives.MultiplyAdd(scratch, step, w, w);
        return (w, m, v);
    }

    private static T[] Values<T>(Random random, int length) where T : IFloatingPointIeee754<T> =>
        Enumerable.Range(0, length).Select(_ => T.CreateTruncating((random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-6, 4)))).ToArray();

    // NaN payloads compare as bits too: the same operations give the same NaN.
    private static long[] Bits<T>(T[] values) where T : unmanaged =>
        values.Select(value => typeof(T) == typeof(float) ? BitConverter.SingleToInt32Bits((float)(object)value) : BitConverter.DoubleToInt64Bits((double)(object)value)).ToArray();
}
