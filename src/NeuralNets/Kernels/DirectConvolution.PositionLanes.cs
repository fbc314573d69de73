using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NeuralNets.Layers;

namespace NeuralNets.Kernels;

/// <summary>
/// The weight gradient of a stride-1 float convolution with few output channels (fewer than
/// <see cref="MinimumGradientChannels"/>), without unfolding: vectors run across output positions instead of channels.
/// </summary>
/// <remarks>
/// <para>Each sample's output gradient is spread over rows as wide as the padded image (<see cref="SpreadGradient"/>):
/// position (r, q) goes to <c>v = r·(W + 2pW) + q</c>, and the columns past the output's width, like the tail up to a
/// whole number of <see cref="PositionLanes"/>, hold zero. Tap (c, i, j) then reads the padded image at
/// <c>v + offset(c, i, j)</c>, so every product is one contiguous run of both operands.</para>
/// <para>The arithmetic, whatever the width: <c>dW[o, c, i, j]</c> of a chunk of samples keeps 16 lanes, lane l
/// multiply-adding the spread positions v ≡ l (mod 16) of every sample in order (sample, v); the lanes are then folded
/// in halves (lane i plus lane i + 8, then i + 4, i + 2, i + 1). A 512-bit vector holds the 16 lanes, 256- and 128-bit
/// vectors take them in two and four passes, the scalar loop in 16 variables: the same operations, so the same bits.
/// The zero columns add exact zeros for finite pixels; an infinite or NaN pixel that a tap reaches only through them
/// makes that tap's gradient NaN (such an image has no finite loss anyway).</para>
/// <para>Why: with channels across the vectors, LeNet's six-channel first convolution would leave a quarter of every
/// vector empty; the unfolded product it replaces copies each pixel 25 times (benchmarks/README.md).</para>
/// </remarks>
internal static partial class DirectConvolution
{
    /// <summary>The lanes every few-channel weight-gradient sum is kept in, whatever the vector width.</summary>
    public const int PositionLanes = 16;

    /// <summary>Output channels per position-lane tile: three (15 accumulators) with 32 vector registers, else two (10).</summary>
    private static int LaneTileChannels => MicroKernel128.ThirtyTwoRegisters ? 3 : 2;

    /// <summary>Taps per position-lane tile (one row of a 5×5 kernel).</summary>
    private const int LaneTileTaps = 5;

    /// <summary>Spread positions per sample and channel: the output rows at the padded width, rounded up to whole lanes.</summary>
    public static int SpreadLength(int outH, int paddedWidth) => (outH * paddedWidth + PositionLanes - 1) / PositionLanes * PositionLanes;

    /// <summary>
    /// Elements of one padded image for the few-channel weight gradient: the padded planes plus the zero slack that the
    /// spread rows' last, zero, positions read past them, rounded up to whole cache lines so that every image of a
    /// chunk starts on one.
    /// </summary>
    public static int SpreadImageLength(int channels, int height, int width, Window2D window)
        => (channels * (height + 2 * window.PadH) * (width + 2 * window.PadW) + window.KernelW + 2 * PositionLanes - 1) / PositionLanes * PositionLanes;

    /// <summary>Writes one sample's dY <c>[Cout, outH, outW]</c> as spread rows <c>[Cout, SpreadLength]</c>, zero between and after the rows.</summary>
    [MethodImpl(HotPath.Options)]
    public static unsafe void SpreadGradient(ReadOnlySpan<float> dy, int outChannels, int outH, int outW, int paddedWidth, Span<float> spread)
    {
        int length = SpreadLength(outH, paddedWidth);
        if (dy.Length < outChannels * outH * outW || spread.Length < outChannels * length || paddedWidth < outW)
            throw new ArgumentException("Spreading an output gradient given buffers too short for its shape.");
        // Rows are short (28 floats in LeNet): the few zero columns after each are written one by one too.
        fixed (float* source = dy)
        fixed (float* target = spread)
            for (int o = 0; o < outChannels; o++)
            {
                float* from = source + (nint)o * outH * outW, to = target + (nint)o * length;
                for (int r = 0; r < outH; r++, from += outW, to += paddedWidth)
                {
                    ShortRows.Copy(from, to, outW);
                    for (int q = outW; q < paddedWidth; q++) to[q] = 0f;
                }
                for (int v = outH * paddedWidth; v < length; v++) target[(nint)o * length + v] = 0f;
            }
    }

    /// <summary>Floats of the lane sums a chunk's weight gradient keeps (<see cref="WeightGradientAcrossPositions"/>'s scratch).</summary>
    public static int LaneSumsLength(int outChannels, int taps)
        => (outChannels + LaneTileChannels - 1) / LaneTileChannels * ((taps + LaneTileTaps - 1) / LaneTileTaps) * LaneTileChannels * LaneTileTaps * PositionLanes;

    // Where the lanes of the tile of channels from o0 and taps from t0 start among the lane sums.
    private static int TileStart(int taps, int o0, int t0)
    {
        int groups = (taps + LaneTileTaps - 1) / LaneTileTaps;
        return ((o0 / LaneTileChannels) * groups + t0 / LaneTileTaps) * LaneTileChannels * LaneTileTaps * PositionLanes;
    }

    /// <summary>
    /// One chunk's weight gradient <c>[Cout, K]</c> (written over <paramref name="weightGradient"/>) from its samples'
    /// padded images (<paramref name="imageLength"/> apart, <see cref="SpreadImageLength"/>) and spread output gradients
    /// (<see cref="SpreadGradient"/>, <c>Cout · spreadLength</c> apart); <paramref name="laneSums"/> is scratch
    /// (<see cref="LaneSumsLength"/>).
    /// </summary>
    [MethodImpl(HotPath.Options)]
    public static unsafe void WeightGradientAcrossPositions(ReadOnlySpan<float> paddedImages, int imageLength, ReadOnlySpan<int> tapOffsets,
        ReadOnlySpan<float> spreadGradients, int spreadLength, int outChannels, int count, Span<float> laneSums, Span<float> weightGradient)
    {
        int taps = tapOffsets.Length;
        if (spreadLength % PositionLanes != 0 || paddedImages.Length < count * imageLength || laneSums.Length < LaneSumsLength(outChannels, taps)
            || spreadGradients.Length < count * outChannels * spreadLength || weightGradient.Length < outChannels * taps)
            throw new ArgumentException("Few-channel weight gradient given buffers too short for its shape.");
        foreach (int offset in tapOffsets)
            if (offset < 0 || offset + spreadLength > imageLength)
                throw new ArgumentException("A tap reads past its padded image.");
        int bits = KernelWidth.MultiplyAdd;
        bool fused = KernelWidth.FusedFamily;
        fixed (float* x = paddedImages)
        fixed (float* dy = spreadGradients)
        fixed (int* offsets = tapOffsets)
        fixed (float* sums = laneSums)
        fixed (float* dw = weightGradient)
        {
            var shape = new SpreadShape(x, imageLength, dy, spreadLength, outChannels, count);
            if (bits == 512) AcrossPositions<Vector512<float>, Lanes512, Fused>(shape, offsets, taps, sums, dw);
            else if (bits == 256 && fused) AcrossPositions<Vector256<float>, Lanes256, Fused>(shape, offsets, taps, sums, dw);
            else if (bits == 256) AcrossPositions<Vector256<float>, Lanes256, Unfused>(shape, offsets, taps, sums, dw);
            else if (bits == 128 && fused) AcrossPositions<Vector128<float>, Lanes128, Fused>(shape, offsets, taps, sums, dw);
            else if (bits == 128) AcrossPositions<Vector128<float>, Lanes128, Unfused>(shape, offsets, taps, sums, dw);
            else if (fused) AcrossPositionsScalar<Fused>(shape, offsets, taps, dw);
            else AcrossPositionsScalar<Unfused>(shape, offsets, taps, dw);
        }
    }

    /// <summary>Where a chunk's padded images and spread gradients are, and their sizes.</summary>
    private readonly unsafe struct SpreadShape(float* images, int imageLength, float* gradients, int spreadLength, int outChannels, int count)
    {
        public readonly float* Images = images, Gradients = gradients;
        public readonly int ImageLength = imageLength, SpreadLength = spreadLength, OutChannels = outChannels, Count = count;
    }

    // Sample by sample, every tile in turn: one sample's image and gradient rows stay in the L1 cache across the tiles,
    // while the tiles' lanes wait in memory between samples (each lane's chain keeps its order).
    [MethodImpl(HotPath.Options)]
    private static unsafe void AcrossPositions<TV, TLanes, TMultiplyAdd>(in SpreadShape shape, int* offsets, int taps, float* laneSums, float* dw)
        where TV : unmanaged
        where TLanes : struct, IFloatLanes<TV>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        int outChannels = shape.OutChannels, groups = (taps + LaneTileTaps - 1) / LaneTileTaps, tileChannels = LaneTileChannels;
        new Span<float>(laneSums, LaneSumsLength(outChannels, taps)).Clear();
        // A last partial group repeats its last tap, a last odd channel is computed twice; those copies' sums are dropped.
        int* grouped = stackalloc int[groups * LaneTileTaps];
        for (int t = 0; t < groups * LaneTileTaps; t++) grouped[t] = offsets[Math.Min(t, taps - 1)];
        nint sampleGradients = (nint)outChannels * shape.SpreadLength;
        for (int n = 0; n < shape.Count; n++)
        {
            float* image = shape.Images + (nint)n * shape.ImageLength, gradients = shape.Gradients + n * sampleGradients;
            for (int o0 = 0; o0 < outChannels; o0 += tileChannels)
            {
                float* d0 = gradients + (nint)o0 * shape.SpreadLength, d1 = gradients + (nint)Math.Min(o0 + 1, outChannels - 1) * shape.SpreadLength;
                float* d2 = gradients + (nint)Math.Min(o0 + 2, outChannels - 1) * shape.SpreadLength;
                for (int t0 = 0; t0 < taps; t0 += LaneTileTaps)
                {
                    float* sums = laneSums + TileStart(taps, o0, t0);
                    for (int first = 0; first < PositionLanes; first += TLanes.Count)
                    {
                        if (tileChannels == 3)
                            PositionTile3<TV, TLanes, TMultiplyAdd>(image + first, d0 + first, d1 + first, d2 + first, shape.SpreadLength, grouped + t0, sums + first);
                        else
                            PositionTile<TV, TLanes, TMultiplyAdd>(image + first, d0 + first, d1 + first, shape.SpreadLength, grouped + t0, sums + first);
                    }
                }
            }
        }
        for (int o0 = 0; o0 < outChannels; o0 += LaneTileChannels)
            for (int t0 = 0; t0 < taps; t0 += LaneTileTaps)
            {
                float* sums = laneSums + TileStart(taps, o0, t0);
                for (int c = 0; c < Math.Min(LaneTileChannels, outChannels - o0); c++)
                    for (int t = 0; t < Math.Min(LaneTileTaps, taps - t0); t++)
                        dw[(o0 + c) * taps + t0 + t] = FoldLanes(sums + (c * LaneTileTaps + t) * PositionLanes);
            }
    }

    // One sample's chains for one tile of two channels and five taps, alone in its method so that the ten accumulators
    // stay in registers (16 of them on AVX2). The lanes' sums are read from and written back to memory, 16 floats apart.
    [MethodImpl(HotPath.Options | MethodImplOptions.NoInlining)]
    private static unsafe void PositionTile<TV, TLanes, TMultiplyAdd>(float* x, float* d0, float* d1, nint length, int* group, float* sums)
        where TV : unmanaged
        where TLanes : struct, IFloatLanes<TV>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        const int lanes = PositionLanes;
        TV a0 = TLanes.Load(ref sums[0 * lanes], 0), a1 = TLanes.Load(ref sums[1 * lanes], 0), a2 = TLanes.Load(ref sums[2 * lanes], 0);
        TV a3 = TLanes.Load(ref sums[3 * lanes], 0), a4 = TLanes.Load(ref sums[4 * lanes], 0);
        TV b0 = TLanes.Load(ref sums[5 * lanes], 0), b1 = TLanes.Load(ref sums[6 * lanes], 0), b2 = TLanes.Load(ref sums[7 * lanes], 0);
        TV b3 = TLanes.Load(ref sums[8 * lanes], 0), b4 = TLanes.Load(ref sums[9 * lanes], 0);
        nint t0 = group[0], t1 = group[1], t2 = group[2], t3 = group[3], t4 = group[4];
        for (nint v = 0; v < length; v += PositionLanes)
        {
            TV g0 = TLanes.Load(ref d0[v], 0), g1 = TLanes.Load(ref d1[v], 0);
            TV x0 = TLanes.Load(ref x[v + t0], 0);
            a0 = TLanes.MultiplyAdd<TMultiplyAdd>(x0, g0, a0);
            b0 = TLanes.MultiplyAdd<TMultiplyAdd>(x0, g1, b0);
            TV x1 = TLanes.Load(ref x[v + t1], 0);
            a1 = TLanes.MultiplyAdd<TMultiplyAdd>(x1, g0, a1);
            b1 = TLanes.MultiplyAdd<TMultiplyAdd>(x1, g1, b1);
            TV x2 = TLanes.Load(ref x[v + t2], 0);
            a2 = TLanes.MultiplyAdd<TMultiplyAdd>(x2, g0, a2);
            b2 = TLanes.MultiplyAdd<TMultiplyAdd>(x2, g1, b2);
            TV x3 = TLanes.Load(ref x[v + t3], 0);
            a3 = TLanes.MultiplyAdd<TMultiplyAdd>(x3, g0, a3);
            b3 = TLanes.MultiplyAdd<TMultiplyAdd>(x3, g1, b3);
            TV x4 = TLanes.Load(ref x[v + t4], 0);
            a4 = TLanes.MultiplyAdd<TMultiplyAdd>(x4, g0, a4);
            b4 = TLanes.MultiplyAdd<TMultiplyAdd>(x4, g1, b4);
        }
        TLanes.Store(a0, ref sums[0 * lanes], 0); TLanes.Store(a1, ref sums[1 * lanes], 0); TLanes.Store(a2, ref sums[2 * lanes], 0);
        TLanes.Store(a3, ref sums[3 * lanes], 0); TLanes.Store(a4, ref sums[4 * lanes], 0);
        TLanes.Store(b0, ref sums[5 * lanes], 0); TLanes.Store(b1, ref sums[6 * lanes], 0); TLanes.Store(b2, ref sums[7 * lanes], 0);
        TLanes.Store(b3, ref sums[8 * lanes], 0); TLanes.Store(b4, ref sums[9 * lanes], 0);
    }

    // The tile of three channels and five taps for 32 registers: fifteen accumulators, and each image vector loaded feeds
    // three multiply-adds (eight loads per fifteen where the two-channel tile has seven per ten).
    [MethodImpl(HotPath.Options | MethodImplOptions.NoInlining)]
    private static unsafe void PositionTile3<TV, TLanes, TMultiplyAdd>(float* x, float* d0, float* d1, float* d2, nint length, int* group, float* sums)
        where TV : unmanaged
        where TLanes : struct, IFloatLanes<TV>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        const int lanes = PositionLanes;
        TV a0 = TLanes.Load(ref sums[0 * lanes], 0), a1 = TLanes.Load(ref sums[1 * lanes], 0), a2 = TLanes.Load(ref sums[2 * lanes], 0);
        TV a3 = TLanes.Load(ref sums[3 * lanes], 0), a4 = TLanes.Load(ref sums[4 * lanes], 0);
        TV b0 = TLanes.Load(ref sums[5 * lanes], 0), b1 = TLanes.Load(ref sums[6 * lanes], 0), b2 = TLanes.Load(ref sums[7 * lanes], 0);
        TV b3 = TLanes.Load(ref sums[8 * lanes], 0), b4 = TLanes.Load(ref sums[9 * lanes], 0);
        TV e0 = TLanes.Load(ref sums[10 * lanes], 0), e1 = TLanes.Load(ref sums[11 * lanes], 0), e2 = TLanes.Load(ref sums[12 * lanes], 0);
        TV e3 = TLanes.Load(ref sums[13 * lanes], 0), e4 = TLanes.Load(ref sums[14 * lanes], 0);
        nint t0 = group[0], t1 = group[1], t2 = group[2], t3 = group[3], t4 = group[4];
        for (nint v = 0; v < length; v += PositionLanes)
        {
            TV g0 = TLanes.Load(ref d0[v], 0), g1 = TLanes.Load(ref d1[v], 0), g2 = TLanes.Load(ref d2[v], 0);
            TV x0 = TLanes.Load(ref x[v + t0], 0);
            a0 = TLanes.MultiplyAdd<TMultiplyAdd>(x0, g0, a0); b0 = TLanes.MultiplyAdd<TMultiplyAdd>(x0, g1, b0); e0 = TLanes.MultiplyAdd<TMultiplyAdd>(x0, g2, e0);
            TV x1 = TLanes.Load(ref x[v + t1], 0);
            a1 = TLanes.MultiplyAdd<TMultiplyAdd>(x1, g0, a1); b1 = TLanes.MultiplyAdd<TMultiplyAdd>(x1, g1, b1); e1 = TLanes.MultiplyAdd<TMultiplyAdd>(x1, g2, e1);
            TV x2 = TLanes.Load(ref x[v + t2], 0);
            a2 = TLanes.MultiplyAdd<TMultiplyAdd>(x2, g0, a2); b2 = TLanes.MultiplyAdd<TMultiplyAdd>(x2, g1, b2); e2 = TLanes.MultiplyAdd<TMultiplyAdd>(x2, g2, e2);
            TV x3 = TLanes.Load(ref x[v + t3], 0);
            a3 = TLanes.MultiplyAdd<TMultiplyAdd>(x3, g0, a3); b3 = TLanes.MultiplyAdd<TMultiplyAdd>(x3, g1, b3); e3 = TLanes.MultiplyAdd<TMultiplyAdd>(x3, g2, e3);
            TV x4 = TLanes.Load(ref x[v + t4], 0);
            a4 = TLanes.MultiplyAdd<TMultiplyAdd>(x4, g0, a4); b4 = TLanes.MultiplyAdd<TMultiplyAdd>(x4, g1, b4); e4 = TLanes.MultiplyAdd<TMultiplyAdd>(x4, g2, e4);
        }
        TLanes.Store(a0, ref sums[0 * lanes], 0); TLanes.Store(a1, ref sums[1 * lanes], 0); TLanes.Store(a2, ref sums[2 * lanes], 0);
        TLanes.Store(a3, ref sums[3 * lanes], 0); TLanes.Store(a4, ref sums[4 * lanes], 0);
        TLanes.Store(b0, ref sums[5 * lanes], 0); TLanes.Store(b1, ref sums[6 * lanes], 0); TLanes.Store(b2, ref sums[7 * lanes], 0);
        TLanes.Store(b3, ref sums[8 * lanes], 0); TLanes.Store(b4, ref sums[9 * lanes], 0);
        TLanes.Store(e0, ref sums[10 * lanes], 0); TLanes.Store(e1, ref sums[11 * lanes], 0); TLanes.Store(e2, ref sums[12 * lanes], 0);
        TLanes.Store(e3, ref sums[13 * lanes], 0); TLanes.Store(e4, ref sums[14 * lanes], 0);
    }

    /// <summary>The same lanes in 16 variables, for CPUs (or tests) without vectors.</summary>
    [MethodImpl(HotPath.Options)]
    private static unsafe void AcrossPositionsScalar<TMultiplyAdd>(in SpreadShape shape, int* offsets, int taps, float* dw)
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        float* lanes = stackalloc float[PositionLanes];
        nint length = shape.SpreadLength;
        for (int o = 0; o < shape.OutChannels; o++)
            for (int t = 0; t < taps; t++)
            {
                new Span<float>(lanes, PositionLanes).Clear();
                for (int n = 0; n < shape.Count; n++)
                {
                    float* x = shape.Images + (nint)n * shape.ImageLength + offsets[t];
                    float* d = shape.Gradients + ((nint)n * shape.OutChannels + o) * length;
                    for (nint v = 0; v < length; v += PositionLanes)
                        for (int l = 0; l < PositionLanes; l++) lanes[l] = TMultiplyAdd.Of(x[v + l], d[v + l], lanes[l]);
                }
                dw[o * taps + t] = FoldLanes(lanes);
            }
    }

    /// <summary>The 16 lanes folded in halves: lane i plus lane i + 8, then i + 4, i + 2, i + 1.</summary>
    /// <remarks>Written out in locals: a loop over the lanes in memory made each level wait for the stores of the one
    /// before it, and a chunk folds every weight's lanes (150 for LeNet's first convolution).</remarks>
    [MethodImpl(HotPath.Options)]
    private static unsafe float FoldLanes(float* lanes)
    {
        float a0 = lanes[0] + lanes[8], a1 = lanes[1] + lanes[9], a2 = lanes[2] + lanes[10], a3 = lanes[3] + lanes[11];
        float a4 = lanes[4] + lanes[12], a5 = lanes[5] + lanes[13], a6 = lanes[6] + lanes[14], a7 = lanes[7] + lanes[15];
        float b0 = a0 + a4, b1 = a1 + a5, b2 = a2 + a6, b3 = a3 + a7;
        float c0 = b0 + b2, c1 = b1 + b3;
        return c0 + c1;
    }
}
