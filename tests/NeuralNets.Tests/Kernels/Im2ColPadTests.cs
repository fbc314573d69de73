using NeuralNets.Kernels;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Kernels;

/// <summary>
/// <see cref="Im2Col.Pad{T}"/> writes every element of the padded image, whatever the buffer held before (a scratch
/// buffer last used for another shape): the image in the middle, zeros around it.
/// </summary>
public class Im2ColPadTests
{
    public static TheoryData<int, int, int, int, int> Shapes()
    {
        var data = new TheoryData<int, int, int, int, int>();
        foreach (int width in new[] { 1, 3, 7, 8, 9, 16, 17, 33, 70 })
            foreach (var (padH, padW) in new[] { (0, 0), (1, 1), (2, 1), (0, 2), (3, 0) })
                data.Add(2, width % 5 + 1, width, padH, padW);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Pad_Float_ImageInTheMiddleZerosAround(int channels, int height, int width, int padH, int padW)
        => Check<float>(channels, height, width, padH, padW, float.NaN);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Pad_Double_ImageInTheMiddleZerosAround(int channels, int height, int width, int padH, int padW)
        => Check<double>(channels, height, width, padH, padW, double.NaN);

    private static void Check<T>(int channels, int height, int width, int padH, int padW, T stale) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var window = new Window2D(2 * padH + 1, 2 * padW + 1, 1, 1, padH, padW);
        var image = new T[channels * height * width];
        for (int i = 0; i < image.Length; i++) image[i] = T.CreateTruncating(i + 1);
        int paddedH = height + 2 * padH, paddedW = width + 2 * padW;
        // One element more than the padded image: the one after it must stay as it was.
        var padded = Enumerable.Repeat(stale, channels * paddedH * paddedW + 1).ToArray();
        Im2Col.Pad<T>(image, channels, height, width, window, padded);
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < paddedH; y++)
                for (int x = 0; x < paddedW; x++)
                {
                    int iy = y - padH, ix = x - padW;
                    T expected = iy >= 0 && iy < height && ix >= 0 && ix < width ? image[(c * height + iy) * width + ix] : T.Zero;
                    padded[(c * paddedH + y) * paddedW + x].Should().Be(expected, $"channel {c}, row {y}, column {x}");
                }
        T.IsNaN(padded[^1]).Should().BeTrue("the element after the padded image is not Pad's to write");
    }
}
