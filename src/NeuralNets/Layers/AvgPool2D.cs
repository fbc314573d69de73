using System.Runtime.CompilerServices;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using NeuralNets.Kernels;
using NeuralNets.Tensors;

namespace NeuralNets.Layers;

/// <summary>
/// Average pooling over NCHW images, channel by channel, as PyTorch's <c>nn.AvgPool2d</c>: by default zero padding is
/// counted in the average (<c>count_include_pad=True</c>), the output size rounds down and the stride defaults to the kernel.
/// </summary>
/// <remarks>
/// <c>y[n, c, r, q] = (1 / d) Σ_{i, j} x[n, c, r·sH − pH + i, q·sW − pW + j]</c>, x = 0 in the padding, where the divisor
/// d is kH·kW, except where a window overhangs the padded input in ceil mode: it counts the window's cells in the padded
/// input then (padding in, overhang out); with <c>countIncludePad: false</c> it counts only the window's input cells.
/// Each input in a window receives <c>dy / d</c>; overlapping windows add.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class AvgPool2D<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Window2D _window;
    private readonly T _scale;  // 1/(kH·kW), the divisor's reciprocal for a whole window
    private readonly bool _countIncludePad;
    private readonly TensorBuffer<T> _output = new();
    private readonly TensorBuffer<T> _inputGradient = new();
    private Tensor<T>? _input;
    private readonly PlaneActivation<T> _activation = new();  // the activation the last forward pass applied (ForwardActivated), if any
    private int _outH, _outW;
    private bool _uniform;  // whether every window of the last forward pass had the divisor kH·kW

    /// <summary>Creates the layer with a square window.</summary>
    /// <param name="kernel">Window height and width.</param>
    /// <param name="stride">Step between windows; the kernel size when null (non-overlapping windows).</param>
    /// <param name="padding">Zero padding on every side; at most half the kernel.</param>
    /// <param name="ceilMode">PyTorch's <c>ceil_mode</c>: round the output size up, so that a last window may overhang the
    /// padded input (its divisor leaves the overhang out); a window that would start in the right padding is left out.</param>
    /// <param name="countIncludePad">PyTorch's <c>count_include_pad</c>: whether the padding counts in the divisor (true, the
    /// default) or only the input cells under the window do.</param>
    public AvgPool2D(int kernel, int? stride = null, int padding = 0, bool ceilMode = false, bool countIncludePad = true)
        : this((kernel, kernel), stride is { } s ? (s, s) : null, (padding, padding), ceilMode, countIncludePad) { }

    /// <summary>Creates the layer with a rectangular window, stride and padding given as (height, width).</summary>
    /// <param name="kernel">Window (height, width).</param>
    /// <param name="stride">Step between windows; the kernel size when null.</param>
    /// <param name="padding">Zero padding; (0, 0) when null; at most half the kernel.</param>
    /// <param name="ceilMode">PyTorch's <c>ceil_mode</c>: round the output size up (see the other constructor).</param>
    /// <param name="countIncludePad">PyTorch's <c>count_include_pad</c>: whether the padding counts in the divisor.</param>
    public AvgPool2D((int Height, int Width) kernel, (int Height, int Width)? stride = null, (int Height, int Width)? padding = null,
        bool ceilMode = false, bool countIncludePad = true)
    {
        _window = PoolWindow.Create("AvgPool2D", kernel, stride, padding, ceilMode);
        _scale = T.One / T.CreateChecked(_window.KernelH * _window.KernelW);
        _countIncludePad = countIncludePad;
    }

    private AvgPool2D(AvgPool2D<T> source) => (_window, _scale, _countIncludePad) = (source._window, source._scale, source._countIncludePad);

    /// <inheritdoc/>
    public ILayer<T> CreateInferenceCopy() => new AvgPool2D<T>(this);

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters { get; } = [];

    /// <summary>Window (height, width).</summary>
    public (int Height, int Width) Kernel => (_window.KernelH, _window.KernelW);

    /// <summary>Stride (height, width).</summary>
    public (int Height, int Width) Stride => (_window.StrideH, _window.StrideW);

    /// <summary>Padding (height, width).</summary>
    public (int Height, int Width) Padding => (_window.PadH, _window.PadW);

    /// <summary>Whether the output size rounds up (PyTorch's <c>ceil_mode</c>).</summary>
    public bool CeilMode => _window.CeilMode;

    /// <summary>Whether the padding counts in the divisor (PyTorch's <c>count_include_pad</c>).</summary>
    public bool CountIncludePad => _countIncludePad;

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public Tensor<T> Forward(Tensor<T> input, bool training) => Pool(input, activation: null);

    /// <summary>
    /// The pool of an elementwise activation's output (one of the library's own), from the activation's input: each core
    /// applies the activation to one plane at a time and pools it while it is in its cache; <see cref="Backward"/> spreads each
    /// window's gradient into a plane of its own and applies the activation's derivative from there (<see cref="PlaneActivation{T}"/>).
    /// The same values, bit for bit, as the activation followed by the pool, without the pool reading the activation's output
    /// back or the gradient between them written out whole (<see cref="Sequential{T}"/> takes this path for every such pair).
    /// </summary>
    [MethodImpl(HotPath.Options)]
    internal Tensor<T> ForwardActivated(Tensor<T> input, Activation<T> activation) => Pool(input, activation);

    // Not inlined: the forward pass and its activating twin, each compiled fully optimised, would otherwise each compile this whole body.
    [MethodImpl(HotPath.Options | MethodImplOptions.NoInlining)]
    private Tensor<T> Pool(Tensor<T> input, Activation<T>? activation)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (channels, height, width) = PoolWindow.CheckInput(input, _window, this, out _outH, out _outW);
        _input = input;
        // Padding left out of the divisor changes the windows that cover it; ceil mode's overhang, the windows that reach past the padded input.
        _uniform = !_window.Overhangs(height, width) && (_countIncludePad || (_window.PadH == 0 && _window.PadW == 0));
        int batch = input.BatchSize(), planes = batch * channels, plane = height * width;
        var output = _output.Get(batch, [channels, _outH, _outW]);
        _activation.Begin(input, activation);
        // Planes are independent: each core takes a range of them.
        ParallelRanges.Run(new ForwardPlanes(this, output, height, width), planes, ParallelRanges.PartsForRowsInPlace((long)planes * plane));
        return output;
    }

    // dx[window(k)] += dy[k] / d(k)
    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public Tensor<T> Backward(Tensor<T> outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        var input = _input ?? throw PassOrder.BackwardBeforeForward(this);
        PoolWindow.CheckGradient(outputGradient, input, _outH, _outW, this);
        int planes = input.BatchSize() * (int)input.Lengths[1], height = (int)input.Lengths[2], width = (int)input.Lengths[3];
        int plane = height * width;
        var inputGradient = _inputGradient.GetLike(input);
        ParallelRanges.Run(new BackwardPlanes(this, outputGradient, inputGradient, height, width), planes, ParallelRanges.PartsForRowsInPlace((long)planes * plane));
        return inputGradient;
    }

    // The common 2×2 window with stride 2 and no padding, which the loops below take without asking each window's bounds:
    // only where every window is whole (in ceil mode an odd height or width adds a last window of one row or column).
    private bool TwoByTwo => _window is { KernelH: 2, KernelW: 2, StrideH: 2, StrideW: 2, PadH: 0, PadW: 0 } && _uniform;

    /// <summary>The reciprocal of output (<paramref name="row"/>, <paramref name="column"/>)'s divisor: 1/(kH·kW) unless its window is cut short.</summary>
    [MethodImpl(HotPath.Options)]
    private T Scale(int row, int column, int height, int width, (int Start, int End) rows, (int Start, int End) columns)
    {
        if (_uniform) return _scale;
        int divisor = _countIncludePad ? _window.PaddedArea(row, column, height, width) : (rows.End - rows.Start) * (columns.End - columns.Start);
        return divisor == _window.KernelH * _window.KernelW ? _scale : T.One / T.CreateTruncating(divisor);
    }

    // Planes [first, first + count) of the output, a chunk at a time, each chunk activated first when the pass applies an
    // activation; with the vectorised 2×2 windows, planes of even height as one tall plane (a call a plane cost more than a
    // small plane's windows).
    private readonly struct ForwardPlanes(AvgPool2D<T> layer, Tensor<T> output, int height, int width) : IRangeOperation
    {
        [MethodImpl(HotPath.Options)]
        public void Run(int first, int count)
        {
            int plane = height * width, outPlane = layer._outH * layer._outW;
            int chunk = layer._activation.Applies ? PlaneActivation<T>.PlanesPerChunk(plane) : count;
            bool stacks = layer.VectorTwoByTwo && height % 2 == 0;
            Span<T> y = output.Span();
            for (int p = first, n; p < first + count; p += n)
            {
                n = Math.Min(chunk, first + count - p);
                var source = layer._activation.Planes(p * plane, n * plane);
                if (stacks) layer.ForwardTwoByTwo(source, y.Slice(p * outPlane, n * outPlane), width, n * layer._outH);
                else for (int j = p; j < p + n; j++) layer.ForwardPlane(source.Slice((j - p) * plane, plane), y.Slice(j * outPlane, outPlane), height, width);
            }
        }
    }

    // The vectorised 2×2 windows: float, rows of at least four windows, and the CPU's pairwise adds.
    private bool VectorTwoByTwo => TwoByTwo && typeof(T) == typeof(float) && AveragePairs.IsSupported && _outW >= 4;

    // AveragePairs over rows of windows (a plane's, or a stack of planes').
    [MethodImpl(HotPath.Options)]
    private unsafe void ForwardTwoByTwo(ReadOnlySpan<T> source, Span<T> y, int width, int rows)
    {
        int outW = _outW;
        if (source.Length < 2 * rows * width || y.Length < rows * outW) throw BuffersTooShort();
        fixed (T* xs = source, ys = y)
            for (int r = 0; r < rows; r++)
                AveragePairs.Forward((float*)xs + 2 * r * width, (float*)xs + (2 * r + 1) * width, (float*)ys + r * outW, outW, float.CreateTruncating(_scale));
    }

    // Each window's sum: its rows' sums in order, each row's as FixedSum.Sum takes it (element after element from zero for a
    // row shorter than its 32 lanes, written out here without a call per row; FixedSum itself for longer rows).
    [MethodImpl(HotPath.Options)]
    private void ForwardPlane(ReadOnlySpan<T> source, Span<T> y, int height, int width)
    {
        int outH = _outH, outW = _outW;
        if (TwoByTwo)
        {
            if (VectorTwoByTwo)
            {
                ForwardTwoByTwo(source, y, width, outH);
                return;
            }
            // 2×2, stride 2, no padding: every window whole, its two rows' sums written out in the same order.
            T zero = T.Zero, scale = _scale;
            for (int r = 0, k = 0; r < outH; r++)
            {
                ReadOnlySpan<T> top = source.Slice(2 * r * width, width), bottom = source.Slice((2 * r + 1) * width, width);
                for (int q = 0; q < outW; q++, k++)
                    y[k] = (zero + (zero + top[2 * q] + top[2 * q + 1]) + (zero + bottom[2 * q] + bottom[2 * q + 1])) * scale;
            }
            return;
        }
        for (int r = 0, k = 0; r < outH; r++)
        {
            var rows = _window.Rows(r, height);
            var (rowStart, rowEnd) = rows;
            for (int q = 0; q < outW; q++, k++)
            {
                var columns = _window.Columns(q, width);
                var (columnStart, columnEnd) = columns;
                T sum = T.Zero;
                for (int i = rowStart; i < rowEnd; i++)
                {
                    var row = source.Slice(i * width + columnStart, columnEnd - columnStart);
                    if (row.Length >= FixedSum.Lanes) sum += FixedSum.Sum(row);
                    else
                    {
                        T rowSum = T.Zero;
                        foreach (var v in row) rowSum += v;
                        sum += rowSum;
                    }
                }
                y[k] = sum * Scale(r, q, height, width, rows, columns);
            }
        }
    }

    // Planes [first, first + count) of the input gradient; through the activation's derivative when the forward pass applied one.
    private readonly struct BackwardPlanes(AvgPool2D<T> layer, Tensor<T> outputGradient, Tensor<T> inputGradient, int height, int width) : IRangeOperation
    {
        [MethodImpl(HotPath.Options)]
        public void Run(int first, int count)
        {
            int plane = height * width, outPlane = layer._outH * layer._outW;
            ReadOnlySpan<T> dy = outputGradient.Span();
            Span<T> dx = inputGradient.Span();
            bool activated = layer._activation.Applies, stacks = layer.VectorTwoByTwoBackward && height % 2 == 0;
            int chunk = activated ? PlaneActivation<T>.PlanesPerChunk(plane) : count;
            Span<T> spread = activated ? PlaneActivation<T>.Scratch(chunk * plane) : default;
            for (int p = first, n; p < first + count; p += n)
            {
                n = Math.Min(chunk, first + count - p);
                var target = activated ? spread[..(n * plane)] : dx.Slice(p * plane, n * plane);
                if (stacks) layer.BackwardTwoByTwo(dy.Slice(p * outPlane, n * outPlane), target, width, n * layer._outH);
                else for (int j = p; j < p + n; j++) layer.BackwardPlane(dy.Slice(j * outPlane, outPlane), target.Slice((j - p) * plane, plane), height, width);
                if (activated) layer._activation.Differentiate(target, p * plane, dx.Slice(p * plane, n * plane));
            }
        }
    }

    // dx[window(k)] += dy[k] / d(k), output after output in order within the plane.
    [MethodImpl(HotPath.Options)]
    private void BackwardPlane(ReadOnlySpan<T> dy, Span<T> dx, int height, int width)
    {
        int outH = _outH, outW = _outW;
        if (VectorTwoByTwoBackward)
        {
            BackwardTwoByTwo(dy, dx, width, outH);
            return;
        }
        dx.Clear();
        if (TwoByTwo)
        {
            // Each input value under one window: its share added to zero, as the general loop adds it.
            T zero = T.Zero, scale = _scale;
            for (int r = 0, k = 0; r < outH; r++)
            {
                Span<T> top = dx.Slice(2 * r * width, width), bottom = dx.Slice((2 * r + 1) * width, width);
                for (int q = 0; q < outW; q++, k++)
                {
                    T share = zero + dy[k] * scale;
                    (top[2 * q], top[2 * q + 1], bottom[2 * q], bottom[2 * q + 1]) = (share, share, share, share);
                }
            }
            return;
        }
        for (int r = 0, k = 0; r < outH; r++)
        {
            var rows = _window.Rows(r, height);
            var (rowStart, rowEnd) = rows;
            for (int q = 0; q < outW; q++, k++)
            {
                var columns = _window.Columns(q, width);
                var (columnStart, columnEnd) = columns;
                T share = dy[k] * Scale(r, q, height, width, rows, columns);
                for (int i = rowStart; i < rowEnd; i++)
                    foreach (ref T v in dx.Slice(i * width + columnStart, columnEnd - columnStart)) v += share;
            }
        }
    }

    // The backward pass's vectorised 2×2 windows: float and rows of at least four windows.
    private bool VectorTwoByTwoBackward => TwoByTwo && typeof(T) == typeof(float) && Vector128.IsHardwareAccelerated && _outW >= 4;

    // Over rows of windows (a plane's, or a stack of planes'): every input under one window, written once (its share, as the
    // general loop adds it to zero); an odd width's last column and an odd height's last row (a plane's) under none.
    [MethodImpl(HotPath.Options)]
    private unsafe void BackwardTwoByTwo(ReadOnlySpan<T> dy, Span<T> dx, int width, int rows)
    {
        int outW = _outW;
        if (dy.Length < rows * outW || dx.Length < 2 * rows * width) throw BuffersTooShort();
        fixed (T* dys = dy, dxs = dx)
            for (int r = 0; r < rows; r++)
            {
                float* upper = (float*)dxs + 2 * r * width, lower = upper + width;
                AveragePairs.Backward((float*)dys + r * outW, upper, lower, outW, float.CreateTruncating(_scale));
                for (int c = 2 * outW; c < width; c++) upper[c] = lower[c] = 0f;
            }
        dx[(2 * rows * width)..].Clear();
    }

    // The message is built out of the hot methods, which the fully optimised compile then keeps small.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private InvalidOperationException BuffersTooShort() => new($"{this}: buffers shorter than the planes.");

    /// <inheritdoc/>
    public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape) => PoolWindow.OutputShape(inputShape, _window, ToString());

    /// <inheritdoc/>
    public LayerDescription Describe() => PoolWindow.Describe("AvgPool2D", _window, _countIncludePad);

    /// <summary>Prints like <c>AvgPool2D(2×2, stride 2)</c>, or <c>AvgPool2D(3×3, stride 2, padding 1, ceil mode, padding not counted)</c>.</summary>
    public override string ToString() => PoolWindow.Text("AvgPool2D", _window, _countIncludePad);
}
