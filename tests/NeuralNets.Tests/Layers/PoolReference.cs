using System.Numerics;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Layers;

/// <summary>
/// A max or average pool written out one window at a time as PyTorch defines it, ceil mode and count_include_pad included:
/// each window's first maximum in row-major order takes its gradient; each average is its rows' sums (each from zero) in
/// order, times the reciprocal of its divisor, and spreads that share of its gradient, output after output.
/// </summary>
internal static class PoolReference
{
    public static (T[] Output, T[] InputGradient, int OutH, int OutW) Run<T>(ILayer<T> layer, T[] x, T[] dy, int planes, int height, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (kernel, stride, padding, ceilMode, max, countIncludePad) = layer switch
        {
            MaxPool2D<T> m => (m.Kernel, m.Stride, m.Padding, m.CeilMode, true, true),
            AvgPool2D<T> a => (a.Kernel, a.Stride, a.Padding, a.CeilMode, false, a.CountIncludePad),
            _ => throw new ArgumentException("not a pool", nameof(layer)),
        };
        int outH = Windows(height, kernel.Height, stride.Height, padding.Height, ceilMode), outW = Windows(width, kernel.Width, stride.Width, padding.Width, ceilMode);
        var output = new T[planes * outH * outW];
        var inputGradient = new T[x.Length];
        for (int p = 0, k = 0; p < planes; p++)
            for (int r = 0; r < outH; r++)
                for (int q = 0; q < outW; q++, k++)
                {
                    int top = r * stride.Height - padding.Height, left = q * stride.Width - padding.Width;
                    int r0 = Math.Max(top, 0), r1 = Math.Min(top + kernel.Height, height), c0 = Math.Max(left, 0), c1 = Math.Min(left + kernel.Width, width);
                    if (max)
                    {
                        int winner = -1;
                        for (int i = r0; i < r1; i++)
                            for (int j = c0; j < c1; j++)
                            {
                                int at = (p * height + i) * width + j;
                                if (winner < 0 || x[at] > x[winner]) winner = at;
                            }
                        output[k] = x[winner];
                        inputGradient[winner] += dy[k];
                        continue;
                    }
                    int divisor = countIncludePad
                        ? (Math.Min(top + kernel.Height, height + padding.Height) - top) * (Math.Min(left + kernel.Width, width + padding.Width) - left)
                        : (r1 - r0) * (c1 - c0);
                    T scale = T.One / T.CreateChecked(divisor), sum = T.Zero;
                    for (int i = r0; i < r1; i++)
                    {
                        T row = T.Zero;
                        for (int j = c0; j < c1; j++) row += x[(p * height + i) * width + j];
                        sum += row;
                    }
                    output[k] = sum * scale;
                    T share = dy[k] * scale;
                    for (int i = r0; i < r1; i++)
                        for (int j = c0; j < c1; j++) inputGradient[(p * height + i) * width + j] += share;
                }
        return (output, inputGradient, outH, outW);
    }

    /// <summary>PyTorch's pooling_output_shape: rounding down, or up with a last window that starts in the right padding left out.</summary>
    private static int Windows(int length, int kernel, int stride, int padding, bool ceilMode)
    {
        int span = length + 2 * padding - kernel;
        if (!ceilMode) return span / stride + 1;
        int windows = (int)Math.Ceiling(span / (double)stride) + 1;
        return (windows - 1) * stride >= length + padding ? windows - 1 : windows;
    }
}
