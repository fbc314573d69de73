using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using NeuralNets.Layers;
using NeuralNets.Tensors;

namespace NeuralNets.Kernels;

/// <summary>
/// A depthwise convolution (groups = Cin, each input channel c feeding its own m = Cout/Cin output channels c·m … c·m + m − 1)
/// computed directly, plane by plane: run as one im2col convolution per channel it spends its time handing over tiny
/// products and copying channels, at about 1.4× the speed of an ordinary convolution that does 32 times its work.
/// </summary>
/// <remarks>
/// Every output element, input-gradient element and weight-gradient lane is one chain of products rounded before they
/// are added (never fused), its terms in a fixed order: the bias, then the taps row by row; for dX the output channels, rows
/// and taps in order; for dW and db one running sum per output column over the samples and rows, then the columns added
/// left to right. Rows of stride-1 windows go through <see cref="Elementwise"/>'s exact vector loops, other strides through
/// scalar loops with the same chains, so the bits do not depend on the vector width; each plane (or each output channel,
/// for dW and db) is one thread's, so they do not depend on the thread count either. Not thread-safe: one per layer object.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
internal sealed partial class DepthwiseConvolution<T>(int inChannels, int outChannels, Window2D window) : IConvolutionPasses<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _inChannels = inChannels, _outChannels = outChannels, _multiplier = outChannels / inChannels;
    private readonly Window2D _window = window;
    private T[] _columnSums = [];     // per output channel: a running sum per output column for each tap, then for the bias
    private T[] _products = [];       // per output channel: one row of products

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public void Forward(Tensor<T> input, ArraySegment<T> weight, ArraySegment<T> bias, Tensor<T> output)
    {
        var shape = Shape.Of(input, output);
        ParallelRanges.Run(new ForwardPlanes(this, input, weight, bias, output, shape), shape.Batch * _outChannels,
            ParallelRanges.PartsFor((long)shape.Batch * _outChannels * shape.OutH * shape.OutW * _window.KernelH * _window.KernelW));
    }

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public void Backward(Tensor<T> input, Tensor<T> outputGradient, ArraySegment<T> weight, Span<T> weightGradient, bool accumulate,
        Span<T> biasGradient, Tensor<T>? inputGradient)
    {
        var shape = Shape.Of(input, outputGradient);
        long work = (long)shape.Batch * _outChannels * shape.OutH * shape.OutW * _window.KernelH * _window.KernelW;
        if (inputGradient is not null)
            ParallelRanges.Run(new InputGradientPlanes(this, outputGradient, weight, inputGradient, shape), shape.Batch * _inChannels, ParallelRanges.PartsFor(work));
        int taps = _window.KernelH * _window.KernelW, sumsPerChannel = (taps + 1) * shape.OutW;
        if (_columnSums.Length < _outChannels * sumsPerChannel) _columnSums = new T[_outChannels * sumsPerChannel];
        if (_products.Length < _outChannels * shape.OutW) _products = new T[_outChannels * shape.OutW];
        var gradients = new ParameterGradients(this, input, outputGradient, shape, _columnSums, _products);
        ParallelRanges.Run(gradients, _outChannels, ParallelRanges.PartsFor(work));
        // Each channel's column sums, added left to right, on this thread: the same order whatever ran them.
        for (int o = 0; o < _outChannels; o++)
        {
            var sums = _columnSums.AsSpan(o * sumsPerChannel, sumsPerChannel);
            for (int t = 0; t < taps; t++)
            {
                T total = SumInOrder(sums.Slice(t * shape.OutW, shape.OutW));
                ref T dw = ref weightGradient[o * taps + t];
                dw = accumulate ? dw + total : total;
            }
            if (!biasGradient.IsEmpty) biasGradient[o] += SumInOrder(sums.Slice(taps * shape.OutW, shape.OutW));
        }
    }

    private static T SumInOrder(ReadOnlySpan<T> values)
    {
        T sum = T.Zero;
        foreach (T value in values) sum += value;
        return sum;
    }

    // A plain struct, not a record: a record's generated ToString would print its numbers in the current culture.
    private readonly struct Shape(int batch, int height, int width, int outH, int outW)
    {
        public int Batch { get; } = batch;
        public int Height { get; } = height;
        public int Width { get; } = width;
        public int OutH { get; } = outH;
        public int OutW { get; } = outW;

        public static Shape Of(Tensor<T> input, Tensor<T> output) =>
            new(input.BatchSize(), (int)input.Lengths[2], (int)input.Lengths[3], (int)output.Lengths[2], (int)output.Lengths[3]);
    }

    // The output columns ox whose input column ox·stride − pad + kx lies inside the image: [first, end).
    private (int First, int End) Columns(int kx, int width, int outW)
    {
        int offset = kx - _window.PadW, stride = _window.StrideW;
        int first = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
        int last = width - 1 - offset;   // the largest ox·stride that stays inside
        int end = last < 0 ? 0 : Math.Min(outW, last / stride + 1);
        return (first, Math.Max(first, end));
    }

    private readonly struct ForwardPlanes(DepthwiseConvolution<T> owner, Tensor<T> input, ArraySegment<T> weight, ArraySegment<T> bias,
        Tensor<T> output, Shape shape) : IRangeOperation
    {
        [MethodImpl(HotPath.Options)]
        public void Run(int start, int length)
        {
            var window = owner._window;
            int plane = shape.Height * shape.Width, outPlane = shape.OutH * shape.OutW, taps = window.KernelH * window.KernelW;
            int channels = owner._outChannels;
            ReadOnlySpan<T> x = input.Span(), w = weight;
            Span<T> y = output.Span();
            for (int p = start; p < start + length; p++)
            {
                int n = p / channels, o = p % channels, c = o / owner._multiplier;
                var image = x.Slice((n * owner._inChannels + c) * plane, plane);
                var result = y.Slice(p * outPlane, outPlane);
                var kernel = w.Slice(o * taps, taps);
                if (owner.PaddedPasses)
                {
                    owner.ForwardPadded(image, kernel, bias.Count == 0 ? T.Zero : bias[o], result, shape.Height, shape.Width, shape.OutH, shape.OutW);
                    continue;
                }
                result.Fill(bias.Count == 0 ? T.Zero : bias[o]);
                for (int oy = 0; oy < shape.OutH; oy++)
                {
                    var row = result.Slice(oy * shape.OutW, shape.OutW);
                    for (int ky = 0; ky < window.KernelH; ky++)
                    {
                        int iy = oy * window.StrideH - window.PadH + ky;
                        if ((uint)iy >= (uint)shape.Height) continue;
                        var source = image.Slice(iy * shape.Width, shape.Width);
                        for (int kx = 0; kx < window.KernelW; kx++)
                        {
                            var (first, end) = owner.Columns(kx, shape.Width, shape.OutW);
                            owner.AddScaled(source, first * window.StrideW - window.PadW + kx, kernel[ky * window.KernelW + kx], row.Slice(first, end - first));
                        }
                    }
                }
            }
        }
    }

    // row[i] = source[begin + i·stride]·scale + row[i]: a vector loop for stride 1, the same chains one by one otherwise.
    [MethodImpl(HotPath.Options)]
    private void AddScaled(ReadOnlySpan<T> source, int begin, T scale, Span<T> row)
    {
        if (_window.StrideW == 1)
        {
            var segment = source.Slice(begin, row.Length);
            Elementwise.MultiplyAdd(segment, scale, row, row);
            return;
        }
        for (int i = 0; i < row.Length; i++) row[i] = source[begin + i * _window.StrideW] * scale + row[i];
    }

    private readonly struct InputGradientPlanes(DepthwiseConvolution<T> owner, Tensor<T> outputGradient, ArraySegment<T> weight,
        Tensor<T> inputGradient, Shape shape) : IRangeOperation
    {
        [MethodImpl(HotPath.Options)]
        public void Run(int start, int length)
        {
            var window = owner._window;
            int plane = shape.Height * shape.Width, outPlane = shape.OutH * shape.OutW, taps = window.KernelH * window.KernelW;
            int channels = owner._inChannels, multiplier = owner._multiplier;
            ReadOnlySpan<T> dy = outputGradient.Span(), w = weight;
            Span<T> dx = inputGradient.Span();
            for (int p = start; p < start + length; p++)
            {
                int n = p / channels, c = p % channels;
                var image = dx.Slice(p * plane, plane);
                image.Clear();
                for (int j = 0; j < multiplier; j++)
                {
                    int o = c * multiplier + j;
                    var gradient = dy.Slice((n * owner._outChannels + o) * outPlane, outPlane);
                    var kernel = w.Slice(o * taps, taps);
                    if (owner.PaddedPasses)
                    {
                        owner.InputGradientPadded(gradient, kernel, image, shape.Height, shape.Width, shape.OutH, shape.OutW);
                        continue;
                    }
                    for (int oy = 0; oy < shape.OutH; oy++)
                    {
                        var row = gradient.Slice(oy * shape.OutW, shape.OutW);
                        for (int ky = 0; ky < window.KernelH; ky++)
                        {
                            int iy = oy * window.StrideH - window.PadH + ky;
                            if ((uint)iy >= (uint)shape.Height) continue;
                            var target = image.Slice(iy * shape.Width, shape.Width);
                            for (int kx = 0; kx < window.KernelW; kx++)
                            {
                                var (first, end) = owner.Columns(kx, shape.Width, shape.OutW);
                                owner.ScatterScaled(row.Slice(first, end - first), kernel[ky * window.KernelW + kx], target, first * window.StrideW - window.PadW + kx);
                            }
                        }
                    }
                }
            }
        }
    }

    // target[begin + i·stride] = values[i]·scale + target[begin + i·stride].
    [MethodImpl(HotPath.Options)]
    private void ScatterScaled(ReadOnlySpan<T> values, T scale, Span<T> target, int begin)
    {
        if (_window.StrideW == 1)
        {
            var segment = target.Slice(begin, values.Length);
            Elementwise.MultiplyAdd(values, scale, segment, segment);
            return;
        }
        for (int i = 0; i < values.Length; i++)
        {
            ref T t = ref target[begin + i * _window.StrideW];
            t = values[i] * scale + t;
        }
    }

    private readonly struct ParameterGradients(DepthwiseConvolution<T> owner, Tensor<T> input, Tensor<T> outputGradient, Shape shape,
        T[] columnSums, T[] products) : IRangeOperation
    {
        [MethodImpl(HotPath.Options)]
        public void Run(int start, int length)
        {
            var window = owner._window;
            int plane = shape.Height * shape.Width, outPlane = shape.OutH * shape.OutW, taps = window.KernelH * window.KernelW;
            int outW = shape.OutW, sumsPerChannel = (taps + 1) * outW;
            ReadOnlySpan<T> x = input.Span(), dy = outputGradient.Span();
            for (int o = start; o < start + length; o++)
            {
                int c = o / owner._multiplier;
                var sums = columnSums.AsSpan(o * sumsPerChannel, sumsPerChannel);
                var product = products.AsSpan(o * outW, outW);
                sums.Clear();
                for (int n = 0; n < shape.Batch; n++)
                {
                    var image = x.Slice((n * owner._inChannels + c) * plane, plane);
                    var gradient = dy.Slice((n * owner._outChannels + o) * outPlane, outPlane);
                    if (owner.PaddedPasses)
                    {
                        owner.ParameterGradientsPadded(image, gradient, sums, shape.Height, shape.Width, shape.OutH, outW);
                        continue;
                    }
                    for (int oy = 0; oy < shape.OutH; oy++)
                    {
                        var row = gradient.Slice(oy * outW, outW);
                        var biasSums = sums.Slice(taps * outW, outW);
                        Elementwise.Add(row, biasSums, biasSums);
                        for (int ky = 0; ky < window.KernelH; ky++)
                        {
                            int iy = oy * window.StrideH - window.PadH + ky;
                            if ((uint)iy >= (uint)shape.Height) continue;
                            var source = image.Slice(iy * shape.Width, shape.Width);
                            for (int kx = 0; kx < window.KernelW; kx++)
                            {
                                var (first, end) = owner.Columns(kx, shape.Width, outW);
                                int count = end - first, begin = first * window.StrideW - window.PadW + kx;
                                var tapSums = sums.Slice((ky * window.KernelW + kx) * outW + first, count);
                                var scratch = product.Slice(0, count);
                                owner.Gather(source, begin, scratch);
                                Elementwise.Multiply(scratch, row.Slice(first, count), scratch);
                                Elementwise.Add(scratch, tapSums, tapSums);
                            }
                        }
                    }
                }
            }
        }
    }

    // row[i] = source[begin + i·stride].
    [MethodImpl(HotPath.Options)]
    private void Gather(ReadOnlySpan<T> source, int begin, Span<T> row)
    {
        if (_window.StrideW == 1)
        {
            source.Slice(begin, row.Length).CopyTo(row);
            return;
        }
        for (int i = 0; i < row.Length; i++) row[i] = source[begin + i * _window.StrideW];
    }
}
