using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NeuralNets.Layers;

namespace NeuralNets.Kernels;

/// <summary>
/// The weight gradient of a stride-1 float convolution without unfolding: straight from the padded images and the
/// rearranged output gradient.
/// </summary>
/// <remarks>
/// <para>For a chunk of samples (the chunking is the convolution's, fixed by the shapes),
/// <c>dW[o, c, i, j]</c> is one chain of multiply-adds over the chunk's output positions in order (sample, row, column):
/// <c>s ← x[c, r + i − pH, q + j − pW] · dY[o, r, q] + s</c> from s = 0. Each element is its own chain and the vectors
/// run across output channels, so every width (and the scalar loops) gives the same bits; the chunks' sums are then
/// added in chunk order by the caller, as before.</para>
/// </remarks>
internal static partial class DirectConvolution
{
    /// <summary>Taps per weight-gradient tile.</summary>
    private const int GradientTaps = 8;

    /// <summary>Most runs per run tile (<see cref="ITapRuns"/>).</summary>
    private const int MaxRuns = 5;

    /// <summary>Most taps per run tile: five runs of five.</summary>
    private const int MaxRunTaps = 25;

    /// <summary>Fewest output channels whose weight gradient is computed here (vectors run across the channels).</summary>
    public const int MinimumGradientChannels = 8;

    /// <summary>The vector width for vectors across <paramref name="outChannels"/> output channels: no wider than needed.</summary>
    [MethodImpl(HotPath.Options)]
    public static int ChannelBits(int outChannels)
    {
        int bits = KernelWidth.MultiplyAdd;
        while (bits > 128 && outChannels <= bits / 64) bits /= 2;
        return bits;
    }

    /// <summary>Output channels rounded up to whole vectors of <see cref="ChannelBits"/> (1 for the scalar loops).</summary>
    [MethodImpl(HotPath.Options)]
    public static int ChannelStride(int outChannels)
    {
        int lanes = Math.Max(1, ChannelBits(outChannels) / 32);
        return (outChannels + lanes - 1) / lanes * lanes;
    }

    /// <summary>Writes one sample's dY <c>[Cout, outH·outW]</c> position-major, <c>[outH·outW, stride]</c>, zero in the padding channels.</summary>
    [MethodImpl(HotPath.Options)]
    public static unsafe void TransposeGradient(ReadOnlySpan<float> dy, int outChannels, int plane, int stride, Span<float> transposed)
    {
        if (dy.Length < outChannels * plane || transposed.Length < plane * stride || stride < outChannels)
            throw new ArgumentException("Transposing an output gradient given buffers too short for its shape.");
        if (stride > outChannels) transposed[..(plane * stride)].Clear();
        fixed (float* source = dy)
        fixed (float* target = transposed)
            Transpose.Matrix(source, outChannels, plane, plane, target, stride);
    }

    /// <summary>
    /// One chunk's weight gradient <c>[Cout, K]</c> (written over <paramref name="weightGradient"/>), from its samples'
    /// padded images (<paramref name="paddedLength"/> apart) and transposed output gradients (<see cref="TransposeGradient"/>);
    /// or the columns of it that <paramref name="tapOffsets"/> name, when they are a range of its taps: row o of the
    /// result then starts <paramref name="rowLength"/> floats after row o − 1 (K for the whole gradient). Every element is
    /// its own chain, so a range's elements are the whole gradient's bits. <paramref name="tileSums"/> is scratch for the
    /// tiles' sums (<see cref="TileSumsLength"/> floats).
    /// </summary>
    [MethodImpl(HotPath.Options)]
    public static void WeightGradient(ReadOnlySpan<float> paddedImages, int paddedLength, int paddedWidth, ReadOnlySpan<int> tapOffsets,
        ReadOnlySpan<float> transposedGradients, int outChannels, int count, int outH, int outW, Span<float> weightGradient, int rowLength,
        Span<float> tileSums)
        => AnyWeightGradient(paddedImages, paddedLength, paddedWidth, tapOffsets, transposedGradients, outChannels, count, outH, outW, weightGradient,
            rowLength, tileSums, tapMajor: false);

    /// <summary>
    /// The same weight gradient left tap-major in <paramref name="tileSums"/> (<c>[taps, Cout]</c>), for vectors across
    /// output channels that fill whole vectors (<see cref="ChannelStride"/> equal to <paramref name="outChannels"/>) only.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    public static void TapMajorWeightGradient(ReadOnlySpan<float> paddedImages, int paddedLength, int paddedWidth, ReadOnlySpan<int> tapOffsets,
        ReadOnlySpan<float> transposedGradients, int outChannels, int count, int outH, int outW, Span<float> tileSums)
    {
        if (!LeavesTapMajor(outChannels)) throw new ArgumentException("A tap-major weight gradient needs whole vectors of output channels.", nameof(outChannels));
        AnyWeightGradient(paddedImages, paddedLength, paddedWidth, tapOffsets, transposedGradients, outChannels, count, outH, outW, tileSums,
            tapOffsets.Length, tileSums, tapMajor: true);
    }

    /// <summary>Whether <see cref="TapMajorWeightGradient"/> takes <paramref name="outChannels"/> channels on this CPU: vectors, and whole ones.</summary>
    [MethodImpl(HotPath.Options)]
    public static bool LeavesTapMajor(int outChannels)
        => outChannels >= MinimumGradientChannels && ChannelBits(outChannels) >= 128 && ChannelStride(outChannels) == outChannels;

    [MethodImpl(HotPath.Options)]
    private static unsafe void AnyWeightGradient(ReadOnlySpan<float> paddedImages, int paddedLength, int paddedWidth, ReadOnlySpan<int> tapOffsets,
        ReadOnlySpan<float> transposedGradients, int outChannels, int count, int outH, int outW, Span<float> weightGradient, int rowLength,
        Span<float> tileSums, bool tapMajor)
    {
        int taps = tapOffsets.Length, stride = ChannelStride(outChannels), plane = outH * outW;
        if (paddedImages.Length < count * paddedLength || transposedGradients.Length < count * plane * stride || rowLength < taps
            || weightGradient.Length < (outChannels - 1) * rowLength + taps || tileSums.Length < TileSumsLength(taps, outChannels))
            throw new ArgumentException("Direct weight gradient given buffers too short for its shape.");
        int bits = ChannelBits(outChannels);
        bool fused = KernelWidth.FusedFamily;
        fixed (float* x = paddedImages)
        fixed (float* dy = transposedGradients)
        fixed (int* offsets = tapOffsets)
        fixed (float* dw = weightGradient)
        fixed (float* staging = tileSums)
        {
            var shape = new GradientShape(x, paddedLength, paddedWidth, dy, stride, count, outH, outW);
            var target = new GradientTarget(dw, rowLength);
            if (bits == 512) WeightGradient<Vector512<float>, Lanes512, Fused>(shape, offsets, taps, outChannels, target, staging, tapMajor);
            else if (bits == 256 && fused) WeightGradient<Vector256<float>, Lanes256, Fused>(shape, offsets, taps, outChannels, target, staging, tapMajor);
            else if (bits == 256) WeightGradient<Vector256<float>, Lanes256, Unfused>(shape, offsets, taps, outChannels, target, staging, tapMajor);
            else if (bits == 128 && fused) WeightGradient<Vector128<float>, Lanes128, Fused>(shape, offsets, taps, outChannels, target, staging, tapMajor);
            else if (bits == 128) WeightGradient<Vector128<float>, Lanes128, Unfused>(shape, offsets, taps, outChannels, target, staging, tapMajor);
            else if (fused) WeightGradientScalar<Fused>(shape, offsets, taps, outChannels, target);
            else WeightGradientScalar<Unfused>(shape, offsets, taps, outChannels, target);
        }
    }

    /// <summary>Where a chunk's inputs are: padded images, transposed gradients, and their shapes.</summary>
    private readonly unsafe struct GradientShape(float* images, int paddedLength, int paddedWidth, float* gradients, int stride, int count, int outH, int outW)
    {
        public readonly float* Images = images, Gradients = gradients;
        public readonly int PaddedLength = paddedLength, PaddedWidth = paddedWidth, Stride = stride, Count = count, OutH = outH, OutW = outW;
    }

    /// <summary>Where the weight gradient's rows go: row o of the computed taps at <c>Start + o · RowLength</c>.</summary>
    private readonly unsafe struct GradientTarget(float* start, int rowLength)
    {
        public readonly float* Start = start;
        public readonly int RowLength = rowLength;
    }

    /// <summary>Floats of scratch <see cref="WeightGradient"/> needs for <paramref name="taps"/> taps: their sums, tap-major, a row of <see cref="ChannelStride"/> each.</summary>
    public static int TileSumsLength(int taps, int outChannels) => taps * ChannelStride(outChannels);

    // The tiles' sums go to the scratch whole vector by vector, tap-major, and reach dW's channel-major rows in one
    // transposition at the end: lane by lane after every tile, the stores cost a small image's tile a fifth of its time.
    [MethodImpl(HotPath.Options)]
    private static unsafe void WeightGradient<TV, TLanes, TMultiplyAdd>(in GradientShape shape, int* offsets, int taps, int outChannels, GradientTarget dw,
        float* staging, bool tapMajor)
        where TV : unmanaged
        where TLanes : struct, IFloatLanes<TV>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        int lanes = TLanes.Count, stride = shape.Stride;
        int* group = stackalloc int[GradientTaps];
        int* runStarts = stackalloc int[MaxRuns];
        TV* sums = stackalloc TV[MaxRunTaps];
        // Runs of taps where the offsets run on (a stride-1 kernel's rows): five runs with 32 vector registers, else as
        // many as leave room in 16.
        int runLength = RunLength(offsets, taps);
        bool wide = MicroKernel128.ThirtyTwoRegisters;
        int runs = wide ? 5 : runLength == 5 ? 2 : 4;
        for (int o0 = 0; o0 < outChannels; o0 += lanes)
        {
            for (int t0 = 0, groupTaps; t0 < taps; t0 += groupTaps)
            {
                if (runLength > 0 && HoldsRuns(offsets, taps, t0, runs, runLength))
                {
                    groupTaps = runs * runLength;
                    for (int r = 0; r < runs; r++) runStarts[r] = offsets[t0 + r * runLength];
                    if (wide && runLength == 5) RunsTile<TV, TLanes, TMultiplyAdd, FiveRunsOfFive>(shape, runStarts, o0, sums);
                    else if (wide) RunsTile<TV, TLanes, TMultiplyAdd, FiveRunsOfThree>(shape, runStarts, o0, sums);
                    else if (runLength == 5) RunsTile<TV, TLanes, TMultiplyAdd, TwoRunsOfFive>(shape, runStarts, o0, sums);
                    else RunsTile<TV, TLanes, TMultiplyAdd, FourRunsOfThree>(shape, runStarts, o0, sums);
                }
                else
                {
                    // A last partial group repeats its last tap; those sums are dropped.
                    groupTaps = Math.Min(GradientTaps, taps - t0);
                    for (int t = 0; t < GradientTaps; t++) group[t] = offsets[t0 + Math.Min(t, groupTaps - 1)];
                    GradientTile<TV, TLanes, TMultiplyAdd>(shape, group, o0, sums);
                }
                for (int t = 0; t < groupTaps; t++) TLanes.Store(sums[t], ref staging[(nint)(t0 + t) * stride + o0], 0);
            }
        }
        // dw[o, t] = sums[t, o] for the computed taps and the real channels (copies: the same values).
        if (!tapMajor) Transpose.Matrix(staging, taps, outChannels, stride, dw.Start, dw.RowLength);
    }

    // The chain over a chunk's positions alone in its method, so that the eight accumulators stay in registers.
    [MethodImpl(HotPath.Options | MethodImplOptions.NoInlining)]
    private static unsafe void GradientTile<TV, TLanes, TMultiplyAdd>(in GradientShape shape, int* group, int o0, TV* sums)
        where TV : unmanaged
        where TLanes : struct, IFloatLanes<TV>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        TV s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default, s6 = default, s7 = default;
        nint t0 = group[0], t1 = group[1], t2 = group[2], t3 = group[3], t4 = group[4], t5 = group[5], t6 = group[6], t7 = group[7];
        int outH = shape.OutH, outW = shape.OutW, stride = shape.Stride;
        for (int n = 0; n < shape.Count; n++)
        {
            float* image = shape.Images + (nint)n * shape.PaddedLength;
            float* dy = shape.Gradients + (nint)n * outH * outW * stride + o0;
            for (int r = 0; r < outH; r++)
            {
                float* x = image + (nint)r * shape.PaddedWidth;
                for (int q = 0; q < outW; q++, x++, dy += stride)
                {
                    TV d = TLanes.Load(ref *dy, 0);
                    s0 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(x[t0]), d, s0);
                    s1 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(x[t1]), d, s1);
                    s2 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(x[t2]), d, s2);
                    s3 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(x[t3]), d, s3);
                    s4 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(x[t4]), d, s4);
                    s5 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(x[t5]), d, s5);
                    s6 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(x[t6]), d, s6);
                    s7 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(x[t7]), d, s7);
                }
            }
        }
        sums[0] = s0; sums[1] = s1; sums[2] = s2; sums[3] = s3; sums[4] = s4; sums[5] = s5; sums[6] = s6; sums[7] = s7;
    }

    /// <summary>The same chains one element at a time, for CPUs (or tests) without vectors.</summary>
    [MethodImpl(HotPath.Options)]
    private static unsafe void WeightGradientScalar<TMultiplyAdd>(in GradientShape shape, int* offsets, int taps, int outChannels, GradientTarget dw)
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        int outH = shape.OutH, outW = shape.OutW, stride = shape.Stride;
        for (int o = 0; o < outChannels; o++)
            for (int t = 0; t < taps; t++)
            {
                float s = 0f;
                nint tap = offsets[t];
                for (int n = 0; n < shape.Count; n++)
                {
                    float* image = shape.Images + (nint)n * shape.PaddedLength + tap;
                    float* dy = shape.Gradients + (nint)n * outH * outW * stride + o;
                    for (int r = 0; r < outH; r++)
                    {
                        float* x = image + (nint)r * shape.PaddedWidth;
                        for (int q = 0; q < outW; q++, dy += stride) s = TMultiplyAdd.Of(x[q], *dy, s);
                    }
                }
                dw.Start[(nint)o * dw.RowLength + t] = s;
            }
    }
}
