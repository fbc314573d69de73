using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using NeuralNets.Kernels;
using NeuralNets.Tensors;

namespace NeuralNets.Layers;

/// <summary>
/// Max pooling over NCHW images: each output is the largest input in its window, channel by
/// channel, as PyTorch's <c>nn.MaxPool2d</c> (padding counts as −∞; the stride defaults to the kernel; in ceil mode a last
/// window that overhangs the padded input takes the maximum of the inputs it covers).
/// </summary>
/// <remarks>
/// <c>y[n, c, r, q] = max_{i, j} x[n, c, r·sH − pH + i, q·sW − pW + j]</c>. The derivative is 1 at the
/// winning input (the first in row-major order on a tie; a NaN wins over any number) and 0 elsewhere, so Backward
/// routes each <c>dy</c> to its winner; where windows overlap, one input can win several and receives the sum.
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed class MaxPool2D<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Window2D _window;
    private readonly TensorBuffer<T> _output = new();
    private readonly TensorBuffer<T> _inputGradient = new();
    private Tensor<T>? _input;
    private int[] _winners = [];  // flat input index of each output's maximum
    private Tensor<T>? _rectifiedOutput;  // the last forward pass's output when it rectified it (ForwardRectified), else null
    private readonly PlaneActivation<T> _activation = new();  // the activation the last forward pass applied (ForwardActivated), if any
    private int _outH, _outW;
    private bool _overhangs;  // whether the last forward pass had windows overhanging the padded input (ceil mode)

    /// <summary>Creates the layer with a square window.</summary>
    /// <param name="kernel">Window height and width.</param>
    /// <param name="stride">Step between windows; the kernel size when null (non-overlapping windows).</param>
    /// <param name="padding">Implicit −∞ padding on every side; at most half the kernel.</param>
    /// <param name="ceilMode">PyTorch's <c>ceil_mode</c>: round the output size up, so that a last window may overhang the
    /// padded input (it takes the maximum of the inputs it covers); a window that would start in the right padding is left out.</param>
    public MaxPool2D(int kernel, int? stride = null, int padding = 0, bool ceilMode = false)
        : this((kernel, kernel), stride is { } s ? (s, s) : null, (padding, padding), ceilMode) { }

    /// <summary>Creates the layer with a rectangular window, stride and padding given as (height, width).</summary>
    /// <param name="kernel">Window (height, width).</param>
    /// <param name="stride">Step between windows; the kernel size when null.</param>
    /// <param name="padding">Implicit −∞ padding; (0, 0) when null; at most half the kernel.</param>
    /// <param name="ceilMode">PyTorch's <c>ceil_mode</c>: round the output size up (see the other constructor).</param>
    public MaxPool2D((int Height, int Width) kernel, (int Height, int Width)? stride = null, (int Height, int Width)? padding = null, bool ceilMode = false)
    {
        _window = PoolWindow.Create("MaxPool2D", kernel, stride, padding, ceilMode);
    }

    private MaxPool2D(Window2D window) => _window = window;

    // The common 2×2, stride-2 window without padding, which both passes take a path of their own for: only where every
    // window is whole (in ceil mode an odd height or width adds a last window of one row or column).
    private bool TwoByTwo { [MethodImpl(HotPath.Options)] get => _window is { KernelH: 2, KernelW: 2, StrideH: 2, StrideW: 2, PadH: 0, PadW: 0 } && !_overhangs; }

    /// <inheritdoc/>
    public ILayer<T> CreateInferenceCopy() => new MaxPool2D<T>(_window);

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

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public Tensor<T> Forward(Tensor<T> input, bool training) => Pool(input, rectify: false, activation: null);

    /// <summary>
    /// The pool of a <see cref="ReLU{T}"/>'s output, from the ReLU's input: the maximum of each window, rectified
    /// (<c>max(0, m)</c>; a NaN stays). Rectifying and taking maxima commute, and <see cref="Backward"/> then passes a
    /// window's gradient only where its maximum is positive or NaN, where the ReLU would have passed it: the same output and
    /// the same input gradient, bit for bit, as the ReLU followed by the pool, without the ReLU's two passes over the
    /// larger tensor (<see cref="Sequential{T}"/> takes this path for every ReLU followed by a MaxPool2D).
    /// </summary>
    [MethodImpl(HotPath.Options)]
    internal Tensor<T> ForwardRectified(Tensor<T> input) => Pool(input, rectify: true, activation: null);

    /// <summary>
    /// The pool of an elementwise activation's output (one of the library's own), from the activation's input: each core
    /// applies the activation to one plane at a time and pools it while it is in its cache; <see cref="Backward"/> routes each
    /// window's gradient into a plane of its own and applies the activation's derivative from there (<see cref="PlaneActivation{T}"/>).
    /// The same values, bit for bit, as the activation followed by the pool (each element is computed by the same functions
    /// from the same values), without the pool reading the activation's output back or the gradient between them written
    /// out whole (<see cref="Sequential{T}"/> takes this path for every such pair but ReLU's, which rectifies instead).
    /// </summary>
    [MethodImpl(HotPath.Options)]
    internal Tensor<T> ForwardActivated(Tensor<T> input, Activation<T> activation) => Pool(input, rectify: false, activation);

    // Not inlined: the forward pass and its rectifying and activating twins, each compiled fully optimised, would otherwise each compile this whole body.
    [MethodImpl(HotPath.Options | MethodImplOptions.NoInlining)]
    private Tensor<T> Pool(Tensor<T> input, bool rectify, Activation<T>? activation)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (channels, height, width) = PoolWindow.CheckInput(input, _window, this, out _outH, out _outW);
        _input = input;
        _overhangs = _window.Overhangs(height, width);
        int batch = input.BatchSize(), planes = batch * channels, outPlane = _outH * _outW;
        if (_winners.Length < planes * outPlane) _winners = new int[planes * outPlane];
        var output = _output.Get(batch, [channels, _outH, _outW]);
        _rectifiedOutput = rectify ? output : null;
        _activation.Begin(input, activation);
        // Planes are independent: the batch is split by planes (whole samples when the split falls on them), one range per core.
        ParallelRanges.Run(new ForwardRange(this, output, height, width, rectify), planes, ParallelRanges.PartsFor(input.FlattenedLength));
        return output;
    }

    /// <summary>
    /// The forward pass over planes [first, first + count), a chunk of them at a time (each chunk activated first when the
    /// pass applies an activation). 2×2 windows over planes of even height take a chunk as one tall plane: its pairs of rows
    /// are its planes' pairs of rows, and a call a plane cost more than the windows of a small plane.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    private void ForwardPlanes(Span<T> y, int first, int count, int height, int width)
    {
        int plane = height * width, outPlane = _outH * _outW, chunk = _activation.Applies ? PlaneActivation<T>.PlanesPerChunk(plane) : count;
        bool stacks = TwoByTwo && height % 2 == 0;
        for (int p = first, n; p < first + count; p += n)
        {
            n = Math.Min(chunk, first + count - p);
            var source = _activation.Planes(p * plane, n * plane);
            if (stacks) ForwardTwoByTwo(source, p * plane, y.Slice(p * outPlane, n * outPlane), _winners.AsSpan(p * outPlane, n * outPlane), width, n * _outH);
            else
                for (int j = p; j < p + n; j++)
                    ForwardPlane(source.Slice((j - p) * plane, plane), j * plane, y.Slice(j * outPlane, outPlane), _winners.AsSpan(j * outPlane, outPlane), height, width);
        }
    }

    /// <summary>
    /// One plane's maxima from <paramref name="source"/> (that plane's values), which begins at flat input index
    /// <paramref name="planeStart"/>: the winners are stored as flat input indices.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    private void ForwardPlane(ReadOnlySpan<T> source, int planeStart, Span<T> y, Span<int> winners, int height, int width)
    {
        if (TwoByTwo)
        {
            ForwardTwoByTwo(source, planeStart, y, winners, width, _outH);
            return;
        }
        for (int r = 0; r < _outH; r++)
        {
            var (rowStart, rowEnd) = _window.Rows(r, height);
            for (int q = 0; q < _outW; q++)
            {
                var (columnStart, columnEnd) = _window.Columns(q, width);
                int winner = rowStart * width + columnStart;
                T best = source[winner];
                for (int i = rowStart; i < rowEnd; i++)
                {
                    int lineStart = i * width + columnStart;
                    var line = source.Slice(lineStart, columnEnd - columnStart);
                    for (int j = 0; j < line.Length; j++)
                    {
                        // A NaN wins over any number (the first NaN stays), so a window with a NaN gives NaN, as in PyTorch.
                        if (line[j] > best || (T.IsNaN(line[j]) && !T.IsNaN(best)))
                        {
                            best = line[j];
                            winner = lineStart + j;
                        }
                    }
                }
                int k = r * _outW + q;
                y[k] = best;
                winners[k] = planeStart + winner;
            }
        }
    }

    /// <summary>
    /// The common 2×2, stride 2 window without the general loop's bounds arithmetic, over <paramref name="rows"/> rows of
    /// windows (a plane's, or a stack of planes'): the same winners as the general loop (first maximum in row-major order; a
    /// NaN wins over numbers).
    /// </summary>
    [MethodImpl(HotPath.Options)]
    private void ForwardTwoByTwo(ReadOnlySpan<T> source, int planeStart, Span<T> y, Span<int> winners, int width, int rows)
    {
        if (typeof(T) == typeof(float) && (Sse.IsSupported || AdvSimd.Arm64.IsSupported) && _outW >= 4)
        {
            ForwardTwoByTwoSingle(MemoryMarshal.Cast<T, float>(source), planeStart, MemoryMarshal.Cast<T, float>(y), winners, width, rows);
            return;
        }
        int k = 0;
        for (int r = 0; r < rows; r++)
        {
            int top = 2 * r * width;
            var upper = source.Slice(top, 2 * _outW);
            var lower = source.Slice(top + width, 2 * _outW);
            for (int q = 0; q < _outW; q++, k++)
            {
                int column = 2 * q;
                T best = upper[column];
                int winner = top + column;
                T value = upper[column + 1];
                if (value > best || (T.IsNaN(value) && !T.IsNaN(best))) (best, winner) = (value, top + column + 1);
                value = lower[column];
                if (value > best || (T.IsNaN(value) && !T.IsNaN(best))) (best, winner) = (value, top + width + column);
                value = lower[column + 1];
                if (value > best || (T.IsNaN(value) && !T.IsNaN(best))) (best, winner) = (value, top + width + column + 1);
                y[k] = best;
                winners[k] = planeStart + winner;
            }
        }
    }

    /// <summary>
    /// <see cref="ForwardTwoByTwo"/> for float, four windows at a time (x86 and ARM64; eight with AVX2) and without branches
    /// (on random data the branchy form mispredicts about every other comparison). Each row's last group overlaps
    /// the one before it when the row's length is not a multiple of four; it writes the same values.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    private unsafe void ForwardTwoByTwoSingle(ReadOnlySpan<float> source, int planeStart, Span<float> y, Span<int> winners, int width, int rows)
    {
        var lanes = Vector128.Create(0, 2, 4, 6);
        var right = Vector128.Create(1);
        var below = Vector128.Create(width);
        var belowRight = Vector128.Create(width + 1);
        bool eightWide = Avx2.IsSupported && _outW >= 8;
        if (source.Length < 2 * rows * width || y.Length < rows * _outW || winners.Length < rows * _outW) throw BuffersTooShort();
        fixed (float* xs = source, ys = y)
        fixed (int* ws = winners)
        {
            for (int r = 0; r < rows; r++)
            {
                int top = planeStart + 2 * r * width, k = r * _outW;
                float* upper = xs + 2 * r * width, lower = upper + width;
                if (eightWide)
                {
                    ForwardRowEightWide(upper, width, top, ys + k, ws + k);
                    continue;
                }
                for (int q = 0; q < _outW; q += 4)
                {
                    if (q + 4 > _outW) q = _outW - 4;
                    var u0 = Vector128.Load(upper + 2 * q);
                    var u1 = Vector128.Load(upper + 2 * q + 4);
                    var l0 = Vector128.Load(lower + 2 * q);
                    var l1 = Vector128.Load(lower + 2 * q + 4);
                    var best = Evens(u0, u1); // upper left of each window
                    var offset = Vector128<int>.Zero;
                    Take(Odds(u0, u1), right, ref best, ref offset);
                    Take(Evens(l0, l1), below, ref best, ref offset);
                    Take(Odds(l0, l1), belowRight, ref best, ref offset);
                    best.Store(ys + k + q);
                    (Vector128.Create(top + 2 * q) + lanes + offset).Store(ws + k + q);
                }
            }
        }
    }

    /// <summary>
    /// One row of 2×2 windows, eight at a time with 256-bit vectors (a row of at least eight windows): the same comparisons in
    /// the same order as the four-wide loop. Within each 128-bit half the shuffles hold windows 0, 1, 4, 5 and 2, 3, 6, 7 of
    /// the eight; one permutation of the maxima and of the winners' offsets puts them in order.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    private unsafe void ForwardRowEightWide(float* upper, int width, int top, float* y, int* winners)
    {
        var lanes = Vector256.Create(0, 2, 4, 6, 8, 10, 12, 14);
        var right = Vector256.Create(1);
        var below = Vector256.Create(width);
        var belowRight = Vector256.Create(width + 1);
        float* lower = upper + width;
        for (int q = 0; q < _outW; q += 8)
        {
            // A row's last group overlaps the one before it when the row is not a multiple of eight: it writes the same values.
            if (q + 8 > _outW) q = _outW - 8;
            var u0 = Avx.LoadVector256(upper + 2 * q);
            var u1 = Avx.LoadVector256(upper + 2 * q + 8);
            var l0 = Avx.LoadVector256(lower + 2 * q);
            var l1 = Avx.LoadVector256(lower + 2 * q + 8);
            var best = Avx.Shuffle(u0, u1, 0b10_00_10_00); // upper left of each window
            var offset = Vector256<int>.Zero;
            Take(Avx.Shuffle(u0, u1, 0b11_01_11_01), right, ref best, ref offset);
            Take(Avx.Shuffle(l0, l1, 0b10_00_10_00), below, ref best, ref offset);
            Take(Avx.Shuffle(l0, l1, 0b11_01_11_01), belowRight, ref best, ref offset);
            Avx2.Permute4x64(best.AsDouble(), 0b11_01_10_00).AsSingle().Store(y + q);
            (Vector256.Create(top + 2 * q) + lanes + Avx2.Permute4x64(offset.AsInt64(), 0b11_01_10_00).AsInt32()).Store(winners + q);
        }
    }

    // The window's candidate wins if it is greater, or NaN where the best so far is not.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Take(Vector256<float> candidate, Vector256<int> candidateOffset, ref Vector256<float> best, ref Vector256<int> offset)
    {
        var wins = Vector256.GreaterThan(candidate, best) | Vector256.AndNot(Vector256.Equals(best, best), Vector256.Equals(candidate, candidate));
        best = Vector256.ConditionalSelect(wins, candidate, best);
        offset = Vector256.ConditionalSelect(wins.AsInt32(), candidateOffset, offset);
    }

    // [a0, a2, b0, b2] and [a1, a3, b1, b3]: the left and the right column of four windows (shufps on x86, uzp1 and uzp2 on ARM64).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Evens(Vector128<float> a, Vector128<float> b) =>
        Sse.IsSupported ? Sse.Shuffle(a, b, 0b10_00_10_00) : AdvSimd.Arm64.UnzipEven(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Odds(Vector128<float> a, Vector128<float> b) =>
        Sse.IsSupported ? Sse.Shuffle(a, b, 0b11_01_11_01) : AdvSimd.Arm64.UnzipOdd(a, b);

    // The window's candidate wins if it is greater, or NaN where the best so far is not.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Take(Vector128<float> candidate, Vector128<int> candidateOffset, ref Vector128<float> best, ref Vector128<int> offset)
    {
        var wins = Vector128.GreaterThan(candidate, best) | Vector128.AndNot(Vector128.Equals(best, best), Vector128.Equals(candidate, candidate));
        best = Vector128.ConditionalSelect(wins, candidate, best);
        offset = Vector128.ConditionalSelect(wins.AsInt32(), candidateOffset, offset);
    }

    // dx[winner(k)] += dy[k]
    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public Tensor<T> Backward(Tensor<T> outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        var input = _input ?? throw PassOrder.BackwardBeforeForward(this);
        PoolWindow.CheckGradient(outputGradient, input, _outH, _outW, this);
        var inputGradient = _inputGradient.GetLike(input);
        int height = (int)input.Lengths[2], width = (int)input.Lengths[3], planes = (int)(input.FlattenedLength / (height * width));
        // After ForwardRectified, each window's gradient passes where its (rectified) maximum is not zero; after
        // ForwardActivated, through the activation's derivative.
        ParallelRanges.Run(new BackwardRange(this, outputGradient, _rectifiedOutput, inputGradient, height, width), planes, ParallelRanges.PartsFor(input.FlattenedLength));
        return inputGradient;
    }

    /// <summary>
    /// The backward pass over planes [first, first + count): each window's gradient goes to its winner, in the same plane;
    /// with a <paramref name="rectified"/> output (empty otherwise), only where that output is not zero; after a pass that
    /// applied an activation, into this core's scratch plane, and from there through the activation's derivative.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    private void BackwardPlanes(ReadOnlySpan<T> dy, ReadOnlySpan<T> rectified, Span<T> dx, int first, int count, int height, int width)
    {
        int plane = height * width, outPlane = _outH * _outW;
        bool activated = _activation.Applies, stacks = VectorTwoByTwoBackward && height % 2 == 0;
        int chunk = activated ? PlaneActivation<T>.PlanesPerChunk(plane) : count;
        Span<T> routed = activated ? PlaneActivation<T>.Scratch(chunk * plane) : default;
        for (int p = first, n; p < first + count; p += n)
        {
            n = Math.Min(chunk, first + count - p);
            var target = activated ? routed[..(n * plane)] : dx.Slice(p * plane, n * plane);
            // As in the forward pass, planes of even height go as one tall plane.
            if (stacks)
                BackwardTwoByTwoSingle(MemoryMarshal.Cast<T, float>(dy.Slice(p * outPlane, n * outPlane)),
                    MemoryMarshal.Cast<T, float>(rectified.IsEmpty ? default : rectified.Slice(p * outPlane, n * outPlane)), _winners.AsSpan(p * outPlane, n * outPlane),
                    MemoryMarshal.Cast<T, float>(target), p * plane, width, n * _outH);
            else
                for (int j = p; j < p + n; j++)
                    BackwardPlane(dy.Slice(j * outPlane, outPlane), rectified.IsEmpty ? default : rectified.Slice(j * outPlane, outPlane),
                        _winners.AsSpan(j * outPlane, outPlane), target.Slice((j - p) * plane, plane), j * plane, width);
            if (activated) _activation.Differentiate(target, p * plane, dx.Slice(p * plane, n * plane));
        }
    }

    // The backward pass's vectorised 2×2 path: float, and rows of at least four windows.
    private bool VectorTwoByTwoBackward => typeof(T) == typeof(float) && Vector128.IsHardwareAccelerated && _outW >= 4 && TwoByTwo;

    /// <summary>One plane's input gradient into <paramref name="target"/> (that plane), which begins at flat input index <paramref name="planeStart"/>.</summary>
    [MethodImpl(HotPath.Options)]
    private void BackwardPlane(ReadOnlySpan<T> dy, ReadOnlySpan<T> rectified, ReadOnlySpan<int> winners, Span<T> target, int planeStart, int width)
    {
        if (VectorTwoByTwoBackward)
        {
            BackwardTwoByTwoSingle(MemoryMarshal.Cast<T, float>(dy), MemoryMarshal.Cast<T, float>(rectified), winners, MemoryMarshal.Cast<T, float>(target), planeStart, width, _outH);
            return;
        }
        target.Clear();
        if (rectified.IsEmpty) for (int k = 0; k < dy.Length; k++) target[winners[k] - planeStart] += dy[k];
        // ≤ is false for NaN: a NaN maximum passes its gradient, as the ReLU's derivative does.
        else for (int k = 0; k < dy.Length; k++) target[winners[k] - planeStart] += rectified[k] <= T.Zero ? T.Zero : dy[k];
    }

    /// <summary>
    /// <see cref="BackwardPlane"/> for float 2×2, stride-2 windows, which do not overlap, over <paramref name="rows"/> rows of
    /// windows (a plane's, or a stack of planes'): every input is written once, with its window's gradient where it won and
    /// zero elsewhere, four windows at a time, instead of clearing the plane and adding each gradient at its winner one by
    /// one. The same values: the gradient plus zero, as that addition gave.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    private unsafe void BackwardTwoByTwoSingle(ReadOnlySpan<float> dy, ReadOnlySpan<float> rectified, ReadOnlySpan<int> winners, Span<float> target,
        int planeStart, int width, int rows)
    {
        int outputs = rows * _outW, height = target.Length / width;
        bool masked = !rectified.IsEmpty, eightWide = Vector256.IsHardwareAccelerated && _outW >= 8;
        if (dy.Length < outputs || winners.Length < outputs || (masked && rectified.Length < outputs) || target.Length < 2 * rows * width)
            throw BuffersTooShort();
        var columns = Vector128.Create(0, 1, 2, 3);
        var firstTwo = Vector128.Create(0, 0, 1, 1);
        var lastTwo = Vector128.Create(2, 2, 3, 3);
        var below = Vector128.Create(width);
        var four = Vector128.Create(4);
        fixed (float* dys = dy, dxs = target, ys = rectified)
        fixed (int* ws = winners)
        {
            for (int r = 0; r < rows; r++)
            {
                int top = planeStart + 2 * r * width, k = r * _outW;
                float* upper = dxs + 2 * r * width, lower = upper + width;
                int q = 0;
                if (eightWide)
                {
                    BackwardRowEightWide(ws + k, dys + k, masked ? ys + k : null, upper, width, top);
                    q = _outW;
                }
                for (; q < _outW; q += 4)
                {
                    // A row's last group overlaps the one before it when the row is not a multiple of four: it writes the same values.
                    if (q + 4 > _outW) q = _outW - 4;
                    var rowWinners = Vector128.Load(ws + k + q);
                    var gradients = Vector128.Load(dys + k + q) + Vector128<float>.Zero;
                    if (masked) gradients = Vector128.AndNot(gradients, Vector128.LessThanOrEqual(Vector128.Load(ys + k + q), Vector128<float>.Zero));
                    // Each window's winner and gradient twice, against the two columns of its window.
                    var winnersLow = Vector128.Shuffle(rowWinners, firstTwo);
                    var winnersHigh = Vector128.Shuffle(rowWinners, lastTwo);
                    var gradientsLow = Vector128.Shuffle(gradients, firstTwo);
                    var gradientsHigh = Vector128.Shuffle(gradients, lastTwo);
                    var at = Vector128.Create(top + 2 * q) + columns;
                    Route(winnersLow, at, gradientsLow, upper + 2 * q);
                    Route(winnersHigh, at + four, gradientsHigh, upper + 2 * q + 4);
                    Route(winnersLow, at + below, gradientsLow, lower + 2 * q);
                    Route(winnersHigh, at + below + four, gradientsHigh, lower + 2 * q + 4);
                }
                // An odd width's last column belongs to no window.
                for (int c = 2 * _outW; c < width; c++) upper[c] = lower[c] = 0f;
            }
            // So does an odd height's last row (a plane's: stacks are of planes of even height).
            for (int row = 2 * rows; row < height; row++) new Span<float>(dxs + row * width, width).Clear();
        }
    }

    /// <summary>
    /// One row of <see cref="BackwardTwoByTwoSingle"/>, eight windows at a time with 256-bit vectors (a row of at least eight
    /// windows): each window's winner and gradient twice, against the two columns of its window, as in the four-wide loop.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    private unsafe void BackwardRowEightWide(int* winnersRow, float* dy, float* rectified, float* upper, int width, int top)
    {
        var firstFour = Vector256.Create(0, 0, 1, 1, 2, 2, 3, 3);
        var lastFour = Vector256.Create(4, 4, 5, 5, 6, 6, 7, 7);
        var columns = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        var below = Vector256.Create(width);
        var eight = Vector256.Create(8);
        float* lower = upper + width;
        for (int q = 0; q < _outW; q += 8)
        {
            // A row's last group overlaps the one before it when the row is not a multiple of eight: it writes the same values.
            if (q + 8 > _outW) q = _outW - 8;
            var winners = Vector256.Load(winnersRow + q);
            var gradients = Vector256.Load(dy + q) + Vector256<float>.Zero;
            if (rectified != null) gradients = Vector256.AndNot(gradients, Vector256.LessThanOrEqual(Vector256.Load(rectified + q), Vector256<float>.Zero));
            var winnersLow = Vector256.Shuffle(winners, firstFour);
            var winnersHigh = Vector256.Shuffle(winners, lastFour);
            var gradientsLow = Vector256.Shuffle(gradients, firstFour);
            var gradientsHigh = Vector256.Shuffle(gradients, lastFour);
            var at = Vector256.Create(top + 2 * q) + columns;
            Route(winnersLow, at, gradientsLow, upper + 2 * q);
            Route(winnersHigh, at + eight, gradientsHigh, upper + 2 * q + 8);
            Route(winnersLow, at + below, gradientsLow, lower + 2 * q);
            Route(winnersHigh, at + below + eight, gradientsHigh, lower + 2 * q + 8);
        }
    }

    // Stores the gradient where the winner is this input, zero elsewhere.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Route(Vector256<int> winners, Vector256<int> inputs, Vector256<float> gradients, float* target)
        => Vector256.ConditionalSelect(Vector256.Equals(winners, inputs).AsSingle(), gradients, Vector256<float>.Zero).Store(target);

    // The message is built out of the hot method, which the fully optimised compile then keeps small.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private InvalidOperationException BuffersTooShort() => new($"{this}: backward buffers shorter than the planes.");

    // Stores the gradient where the winner is this input, zero elsewhere.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Route(Vector128<int> winners, Vector128<int> inputs, Vector128<float> gradients, float* target)
        => Vector128.ConditionalSelect(Vector128.Equals(winners, inputs).AsSingle(), gradients, Vector128<float>.Zero).Store(target);

    /// <summary>Compiles the team's part runners of the two passes, for a warm-up (<see cref="LayerRehearsal"/>).</summary>
    internal static void PrepareSplitPasses()
    {
        ParallelRanges.Prepare<ForwardRange>();
        ParallelRanges.Prepare<BackwardRange>();
    }

    private readonly struct ForwardRange(MaxPool2D<T> layer, Tensor<T> output, int height, int width, bool rectify) : IRangeOperation
    {
        public void Run(int start, int length)
        {
            layer.ForwardPlanes(output.Span(), start, length, height, width);
            if (!rectify) return;
            // The planes' maxima, rectified by the core that just wrote them.
            int outPlane = layer._outH * layer._outW;
            var planes = output.Span().Slice(start * outPlane, length * outPlane);
            Elementwise.ZeroUnlessPositive(planes, planes, planes);
        }
    }

    private readonly struct BackwardRange(MaxPool2D<T> layer, Tensor<T> outputGradient, Tensor<T>? rectifiedOutput, Tensor<T> inputGradient, int height, int width)
        : IRangeOperation
    {
        public void Run(int start, int length) => layer.BackwardPlanes(outputGradient.Span(), rectifiedOutput is null ? default : rectifiedOutput.Span(),
            inputGradient.Span(), start, length, height, width);
    }

    /// <inheritdoc/>
    public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape) => PoolWindow.OutputShape(inputShape, _window, ToString());

    /// <inheritdoc/>
    public LayerDescription Describe() => PoolWindow.Describe("MaxPool2D", _window);

    /// <summary>Prints like <c>MaxPool2D(2×2, stride 2)</c>, or <c>MaxPool2D(3×3, stride 2, padding 1, ceil mode)</c>.</summary>
    public override string ToString() => PoolWindow.Text("MaxPool2D", _window);
}
