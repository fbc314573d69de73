using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralNets.Kernels;

/// <summary>
/// The stride-1 passes on a zero-padded copy of a plane: every tap then reads a whole vector of columns without a bounds
/// check, and a vector of outputs keeps its sum in a register through all the taps. The padding's zeros add w·0 = 0 to a
/// chain; each element's chain is otherwise the one the row loops compute, so the bits do not depend on the vector width.
/// </summary>
internal sealed partial class DepthwiseConvolution<T>
{
    [ThreadStatic] private static T[]? t_padded;

    /// <summary>Whether the padded passes serve this window: stride 1, and padding no wider than the kernel less one (so dX's padded dY starts inside).</summary>
    private bool PaddedPasses => _window.StrideH == 1 && _window.StrideW == 1 && _window.PadH < _window.KernelH && _window.PadW < _window.KernelW;

    /// <summary>A plane copied into this thread's scratch with <paramref name="top"/> rows and <paramref name="left"/> columns of zeros before it, zeros after, <paramref name="rows"/> × <paramref name="columns"/> in all.</summary>
    private static Span<T> Padded(ReadOnlySpan<T> plane, int height, int width, int top, int left, int rows, int columns)
    {
        int size = rows * columns;
        if (t_padded is null || t_padded.Length < size) t_padded = new T[Math.Max(size, 1024)];
        var padded = t_padded.AsSpan(0, size);
        // Zeros only where the plane does not go: the rows above and below it, and each of its rows' margins.
        padded.Slice(0, top * columns).Clear();
        padded.Slice((top + height) * columns).Clear();
        for (int r = 0; r < height; r++)
        {
            var row = padded.Slice((r + top) * columns, columns);
            row.Slice(0, left).Clear();
            plane.Slice(r * width, width).CopyTo(row.Slice(left, width));
            row.Slice(left + width).Clear();
        }
        return padded;
    }

    // y[oy, ox] = b + Σ w[ky, kx]·P[oy + ky, ox + kx], the taps in order, for every output of one plane.
    [MethodImpl(HotPath.Options)]
    private void ForwardPadded(ReadOnlySpan<T> image, ReadOnlySpan<T> kernel, T bias, Span<T> result, int height, int width, int outH, int outW)
    {
        int kh = _window.KernelH, kw = _window.KernelW, columns = width + 2 * _window.PadW;
        var padded = Padded(image, height, width, _window.PadH, _window.PadW, height + 2 * _window.PadH, columns);
        for (int oy = 0; oy < outH; oy++)
        {
            int ox = 0;
            if (Vector.IsHardwareAccelerated)
                for (; ox + Vector<T>.Count <= outW; ox += Vector<T>.Count)
                {
                    var sum = new Vector<T>(bias);
                    for (int ky = 0; ky < kh; ky++)
                    {
                        var row = padded.Slice((oy + ky) * columns + ox);
                        for (int kx = 0; kx < kw; kx++) sum = new Vector<T>(row.Slice(kx)) * kernel[ky * kw + kx] + sum;
                    }
                    sum.CopyTo(result.Slice(oy * outW + ox));
                }
            for (; ox < outW; ox++)
            {
                T sum = bias;
                for (int ky = 0; ky < kh; ky++)
                    for (int kx = 0; kx < kw; kx++) sum = padded[(oy + ky) * columns + ox + kx] * kernel[ky * kw + kx] + sum;
                result[oy * outW + ox] = sum;
            }
        }
    }

    // dX[i, j] += Σ w[ky, kx]·Q[i + kh − 1 − ky, j + kw − 1 − kx], Q being dY with kh − 1 − pad rows (kw − 1 − pad columns) of zeros around it.
    [MethodImpl(HotPath.Options)]
    private void InputGradientPadded(ReadOnlySpan<T> gradient, ReadOnlySpan<T> kernel, Span<T> image, int height, int width, int outH, int outW)
    {
        int kh = _window.KernelH, kw = _window.KernelW, top = kh - 1 - _window.PadH, left = kw - 1 - _window.PadW;
        int columns = width + kw - 1;
        var padded = Padded(gradient, outH, outW, top, left, height + kh - 1, columns);
        for (int i = 0; i < height; i++)
        {
            int j = 0;
            if (Vector.IsHardwareAccelerated)
                for (; j + Vector<T>.Count <= width; j += Vector<T>.Count)
                {
                    var sum = new Vector<T>(image.Slice(i * width + j));
                    for (int ky = 0; ky < kh; ky++)
                    {
                        var row = padded.Slice((i + kh - 1 - ky) * columns + j);
                        for (int kx = 0; kx < kw; kx++) sum = new Vector<T>(row.Slice(kw - 1 - kx)) * kernel[ky * kw + kx] + sum;
                    }
                    sum.CopyTo(image.Slice(i * width + j));
                }
            for (; j < width; j++)
            {
                T sum = image[i * width + j];
                for (int ky = 0; ky < kh; ky++)
                    for (int kx = 0; kx < kw; kx++) sum = padded[(i + kh - 1 - ky) * columns + j + kw - 1 - kx] * kernel[ky * kw + kx] + sum;
                image[i * width + j] = sum;
            }
        }
    }

    // For one sample of one output channel: each tap's column sums s[t][ox] += dY[oy, ox]·P[oy + ky, ox + kx], and the bias's
    // s[taps][ox] += dY[oy, ox], row after row.
    [MethodImpl(HotPath.Options)]
    private void ParameterGradientsPadded(ReadOnlySpan<T> image, ReadOnlySpan<T> gradient, Span<T> sums, int height, int width, int outH, int outW)
    {
        int kh = _window.KernelH, kw = _window.KernelW, taps = kh * kw, columns = width + 2 * _window.PadW;
        var padded = Padded(image, height, width, _window.PadH, _window.PadW, height + 2 * _window.PadH, columns);
        for (int oy = 0; oy < outH; oy++)
        {
            int ox = 0;
            if (Vector.IsHardwareAccelerated)
                for (; ox + Vector<T>.Count <= outW; ox += Vector<T>.Count)
                {
                    var g = new Vector<T>(gradient.Slice(oy * outW + ox));
                    var biasSums = sums.Slice(taps * outW + ox);
                    (g + new Vector<T>(biasSums)).CopyTo(biasSums);
                    for (int ky = 0; ky < kh; ky++)
                    {
                        var row = padded.Slice((oy + ky) * columns + ox);
                        for (int kx = 0; kx < kw; kx++)
                        {
                            var tapSums = sums.Slice((ky * kw + kx) * outW + ox);
                            (g * new Vector<T>(row.Slice(kx)) + new Vector<T>(tapSums)).CopyTo(tapSums);
                        }
                    }
                }
            for (; ox < outW; ox++)
            {
                T g = gradient[oy * outW + ox];
                sums[taps * outW + ox] = g + sums[taps * outW + ox];
                for (int ky = 0; ky < kh; ky++)
                    for (int kx = 0; kx < kw; kx++)
                        sums[(ky * kw + kx) * outW + ox] = g * padded[(oy + ky) * columns + ox + kx] + sums[(ky * kw + kx) * outW + ox];
            }
        }
    }
}
