using System.Numerics;
using NeuralNets.Kernels;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Kernels;

/// <summary>
/// The elementwise kernels, im2col and the float sigmoid give the same values bit for bit at every vector width
/// (512, 256, 128 bits, scalar; the sigmoid in both numeric families), so that ARM64's NEON and WebAssembly's SIMD paths are checked on x86 too.
/// Lengths are chosen to leave tails after every width's vectors.
/// </summary>
[Collection(NarrowedWidth.Name)]
public class ElementwiseWidthTests
{
    private static readonly int[] Lengths = [1, 3, 4, 7, 8, 15, 16, 17, 33, 67, 130];

    [Fact]
    public void Elementwise_Float_EveryWidthBitIdentical() => CheckElementwise<float>();

    [Fact]
    public void Elementwise_Double_EveryWidthBitIdentical() => CheckElementwise<double>();

    [Theory]
    [MemberData(nameof(NarrowedWidth.Families), MemberType = typeof(NarrowedWidth))]
    public void FloatSigmoid_EveryWidthBitIdentical(bool unfused)
    {
        foreach (int length in Lengths.Append(1000))
        {
            var x = Values<float>(length, length, scale: 120);
            x[0] = float.NaN;
            if (length > 2) x[2] = float.NegativeInfinity;
            var widths = NarrowedWidth.AtEveryWidth(() =>
            {
                var y = new float[length];
                FloatSigmoid.Compute(x, y);
                return y;
            }, unfused);
            foreach (var (bits, y) in widths) Bits(y).Should().Equal(Bits(widths[0].Result), $"{bits} bits, length {length}");
        }
    }

    [Theory]
    [InlineData(1, 12, 12, 5, 1, 2)]
    [InlineData(3, 9, 10, 3, 1, 1)]
    [InlineData(2, 28, 28, 5, 1, 2)]
    [InlineData(2, 11, 13, 3, 2, 1)]
    public void Im2Col_UnfoldAndFoldAdd_EveryWidthBitIdentical(int channels, int height, int width, int kernel, int stride, int padding)
    {
        var window = new Window2D(kernel, kernel, stride, stride, padding, padding);
        int outH = (height + 2 * padding - kernel) / stride + 1, outW = (width + 2 * padding - kernel) / stride + 1;
        int rows = channels * kernel * kernel, plane = outH * outW;
        var image = Values<float>(channels * height * width, 3, scale: 1);
        var columnsIn = Values<float>(rows * plane, 4, scale: 1);
        var widths = NarrowedWidth.AtEveryWidth(() =>
        {
            var columns = new float[rows * plane];
            Im2Col.Unfold<float>(image, channels, height, width, window, outH, outW, columns, plane);
            var folded = Values<float>(image.Length, 5, scale: 1);
            Im2Col.FoldAdd<float>(columnsIn, plane, channels, height, width, window, outH, outW, folded);
            return columns.Concat(folded).ToArray();
        });
        foreach (var (bits, result) in widths) Bits(result).Should().Equal(Bits(widths[0].Result), $"{bits} bits");
    }

    private static void CheckElementwise<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (int length in Lengths)
        {
            var y = Values<T>(length, 1, scale: 1);
            var dy = Values<T>(length, 2, scale: 2);
            var x = Values<T>(length, 3, scale: 2);
            // Subnormal, NaN, infinite and signed-zero entries, so that every mask is exercised.
            x[0] = T.NaN;
            if (length > 1) dy[1] = T.Epsilon;
            if (length > 3) x[3] = T.NegativeZero;
            if (length > 5) x[5] = T.PositiveInfinity;
            var widths = NarrowedWidth.AtEveryWidth(() =>
            {
                var results = new List<T>();
                var dx = new T[length];
                Elementwise.SigmoidBackward<T>(y, dy, dx);
                results.AddRange(dx);
                Elementwise.TanhBackward<T>(y, dy, dx);
                results.AddRange(dx);
                Elementwise.ZeroUnlessPositive<T>(x, dy, dx);
                results.AddRange(dx);
                Elementwise.Multiply<T>(x, dy, dx);
                results.AddRange(dx);
                Elementwise.SelectPositive<T>(x, dy, y, T.CreateChecked(0.01), dx);
                results.AddRange(dx);
                var flushed = (T[])dy.Clone();
                Elementwise.FlushSubnormals<T>(flushed);
                results.AddRange(flushed);
                var copy = new T[length];
                results.Add(Elementwise.CopyAllFinite<T>(x, copy) ? T.One : T.Zero);
                results.AddRange(copy);
                results.Add(Elementwise.CopyAllFinite<T>(dy, default) ? T.One : T.Zero);
                var sum = Values<T>(length, 4, scale: 1);
                Elementwise.AddRows<T>(Values<T>(length * 5, 5, scale: 1), length, sum);
                results.AddRange(sum);
                return results.ToArray();
            });
            foreach (var (bits, result) in widths)
                Bits(result).Should().Equal(Bits(widths[0].Result), $"{typeof(T).Name}, {bits} bits, length {length}");
        }
    }

    private static T[] Values<T>(int count, int seed, double scale) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        var values = new T[count];
        for (int i = 0; i < count; i++) values[i] = T.CreateChecked((random.NextDouble() * 2 - 1) * scale);
        return values;
    }

    // Compared as bits: NaN equals NaN, and −0 differs from +0.
    private static long[] Bits<T>(T[] values) where T : unmanaged, IFloatingPointIeee754<T>
        => values.Select(v => typeof(T) == typeof(float) ? BitConverter.SingleToInt32Bits((float)(object)v) : BitConverter.DoubleToInt64Bits((double)(object)v)).ToArray();
}
