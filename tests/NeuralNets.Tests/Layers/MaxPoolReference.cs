using System.Numerics;

namespace NeuralNets.Tests.Layers;

/// <summary>
/// The 2×2, stride-2 max pool written out one window at a time, for checking the layer's vector paths: each window's
/// first maximum in row-major order wins (a NaN wins over numbers), and takes the window's gradient. Shared by the test
/// suite and the portable checks.
/// </summary>
internal static class MaxPoolReference
{
    /// <summary>The maxima of <paramref name="values"/> (<c>[planes, height, width]</c>) and the input gradient that <paramref name="dy"/> gives.</summary>
    public static (T[] Maxima, T[] InputGradient) TwoByTwo<T>(T[] values, T[] dy, int planes, int height, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int outH = height / 2, outW = width / 2;
        var maxima = new T[planes * outH * outW];
        var inputGradient = new T[values.Length];
        for (int p = 0; p < planes; p++)
            for (int r = 0; r < outH; r++)
                for (int q = 0; q < outW; q++)
                {
                    int winner = -1;
                    foreach (int o in new[] { 0, 1, width, width + 1 })
                    {
                        int index = p * height * width + 2 * r * width + 2 * q + o;
                        if (winner < 0 || values[index] > values[winner] || (T.IsNaN(values[index]) && !T.IsNaN(values[winner]))) winner = index;
                    }
                    int k = (p * outH + r) * outW + q;
                    maxima[k] = values[winner];
                    inputGradient[winner] += dy[k];
                }
        return (maxima, inputGradient);
    }
}
