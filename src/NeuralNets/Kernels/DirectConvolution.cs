using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using NeuralNets.Layers;

namespace NeuralNets.Kernels;

/// <summary>
/// The forward pass of a stride-1 float convolution computed straight from a zero-padded copy of each image, without
/// unfolding it: every output vector (a run of output columns of one row) is multiply-added over the window's taps
/// (c, i, j) in the order of the unfolded matrix's rows, for a block of output channels at a time.
/// </summary>
/// <remarks>
/// <para>The arithmetic is the unfolded path's, step for step: each output starts from zero, takes one multiply-add
/// per tap in (c, i, j) order (fused or not, as the <see cref="IMultiplyAdd"/> family says), restarts from zero at the
/// same k-block boundaries as the packed product (<see cref="GemmProblem{T}.KBlock"/>) and adds the blocks' sums in
/// order, then adds the bias. So the output is the same bits as im2col followed by the packed product, at every vector
/// width; the caller only takes this path where that product would not cut k into pieces.</para>
/// <para>Why: unfolding copies every pixel kH·kW times, and in LeNet's convolutions the copy (and the write of the
/// product back to NCHW) cost more than the multiply-adds themselves (benchmarks/README.md).</para>
/// <para>Output vectors are <c>V</c> columns wide; a row whose width is not a multiple of V has its last vector's extra
/// lanes written into the start of the next row, which the next vector then overwrites with its own values. A band's
/// last row has nothing after it to overwrite the spill, so its last vector goes through a scratch vector instead.</para>
/// </remarks>
internal static partial class DirectConvolution
{
    /// <summary>Output channels per register tile on 512-bit vectors (32 registers), unless six pad less; 4 or 6 on narrower ones.</summary>
    private const int WideChannels = 8;

    /// <summary>
    /// Output channels per register tile on 256- and 128-bit vectors (16 registers on x86): by three output vectors in the
    /// fused family (twelve accumulators, three inputs and a weight: all sixteen), by two in the unfused one, whose
    /// multiply-add needs one more register for the product.
    /// </summary>
    private const int NarrowChannels = 4;

    /// <summary>
    /// Output channels per register tile on 256- and 128-bit vectors in the fused family for a layer whose channel count six
    /// divides with less padding than four does (LeNet's six): twelve accumulators, two input vectors and a weight in fifteen
    /// of x86's sixteen registers, where four-channel tiles padded six channels to eight.
    /// </summary>
    private const int SixChannels = 6;

    /// <summary>Whether <paramref name="window"/>'s forward pass of <typeparamref name="T"/> can be computed here, bit for bit as the unfolded product would.</summary>
    [MethodImpl(HotPath.Options)]
    public static bool Handles<T>(Window2D window, int outChannels)
        => typeof(T) == typeof(float) && window.StrideH == 1 && window.StrideW == 1
           && outChannels >= GemmPacked.MinimumRows && KernelWidth.MultiplyAdd >= 128;

    /// <summary>Output channels per tile at the kernels' current width, for a layer of <paramref name="outChannels"/>.</summary>
    /// <remarks>At 512 bits six-channel tiles (of four output vectors) where they pad less than eight-channel ones (4, 5, 6,
    /// 9–12, …: LeNet's first convolution). Below, in the fused family, four-channel tiles of three vectors unless six-channel
    /// ones of two pad less (6, 18, …): both keep twelve chains of multiply-adds, enough to cover two pipes' latency, and
    /// four channels by three vectors take four weights per twelve multiply-adds instead of six (faster for 16 to 64
    /// channels, slower where six channels would be padded to eight: benchmarks/README.md). The unfused family, a register short, takes four-channel tiles of two vectors
    /// (eight chains). Which tile computes a channel does not change its sums.</remarks>
    [MethodImpl(HotPath.Options)]
    public static int TileChannels(int outChannels) =>
        KernelWidth.MultiplyAdd == 512 ? (RoundUp(outChannels, SixChannels) < RoundUp(outChannels, WideChannels) ? SixChannels : WideChannels)
        : KernelWidth.FusedFamily && RoundUp(outChannels, SixChannels) < RoundUp(outChannels, NarrowChannels) ? SixChannels
        : NarrowChannels;

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>Output columns per vector at the kernels' current width (1 for the scalar loops).</summary>
    public static int VectorColumns => Math.Max(1, KernelWidth.MultiplyAdd / 32);

    /// <summary>
    /// The weights <c>[Cout, K]</c> rearranged tile by tile, then tap by tap, <c>[tiles, K, tile channels]</c>, zero in the
    /// padding channels: one tap's weights for a tile of channels are adjacent, and a tile's taps follow each other.
    /// </summary>
    /// <remarks>A tile reads its K·tile weights once per pair of output vectors. Laid out tap-major across all channels, each
    /// tap's few weights came from a line of their own (a 3×3 layer of 32 input channels: 288 lines, 18 KB, beside the
    /// inputs' lines in a 32 KB L1); one block per tile takes a fraction of that (benchmarks/README.md).</remarks>
    [MethodImpl(HotPath.Options)]
    public static unsafe void ArrangeWeights(ReadOnlySpan<float> weight, int outChannels, int taps, int outW, Span<float> arranged)
    {
        int tile = ArrangedTile(outChannels, outW, taps);
        if (weight.Length < outChannels * taps || arranged.Length < taps * RoundedChannels(outChannels, outW, taps))
            throw new ArgumentException("Arranging weights given buffers too short for their shape.");
        fixed (float* source = weight)
        fixed (float* target = arranged)
        {
            // Each block is its tile of channels' rows of W transposed: [taps, tile]. The last block's lanes past Cout are zero.
            for (int first = 0; first < outChannels; first += tile)
            {
                int rows = Math.Min(tile, outChannels - first);
                float* block = target + (nint)first * taps;
                if (rows < tile) new Span<float>(block, taps * tile).Clear();
                Transpose.Matrix(source + (nint)first * taps, rows, taps, taps, block, tile);
            }
        }
    }

    /// <summary>Cout rounded up to whole tiles, for output rows <paramref name="outW"/> wide over <paramref name="taps"/> taps.</summary>
    [MethodImpl(HotPath.Options)]
    public static int RoundedChannels(int outChannels, int outW, int taps) => RoundUp(outChannels, ArrangedTile(outChannels, outW, taps));

    /// <summary>Output channels per tile: a channel-lane group (<see cref="AcrossChannels"/>), one channel vector (<see cref="AcrossOneChannelVector"/>) or a column tile's.</summary>
    [MethodImpl(HotPath.Options)]
    private static int ArrangedTile(int outChannels, int outW, int taps) =>
        AcrossChannels(outChannels, outW, taps) ? ChannelGroup : AcrossOneChannelVector(outChannels, outW, taps) ? VectorColumns : TileChannels(outChannels);

    /// <summary>Elements of the padded image buffer: the padded planes plus room for the last vectors' extra lanes.</summary>
    [MethodImpl(HotPath.Options)]
    public static int PaddedLength(int channels, int height, int width, Window2D window, int outW)
        => channels * (height + 2 * window.PadH) * (width + 2 * window.PadW) + VectorColumns * ((outW + VectorColumns - 1) / VectorColumns) + window.KernelW;

    /// <summary>Offsets, in the padded image, of every tap (c, i, j) in the unfolded matrix's row order.</summary>
    [MethodImpl(HotPath.Options)]
    public static void TapOffsets(int channels, int height, int width, Window2D window, Span<int> offsets)
    {
        int paddedH = height + 2 * window.PadH, paddedW = width + 2 * window.PadW, k = 0;
        for (int c = 0; c < channels; c++)
            for (int i = 0; i < window.KernelH; i++)
                for (int j = 0; j < window.KernelW; j++)
                    offsets[k++] = (c * paddedH + i) * paddedW + j;
    }

    /// <summary>Copies one image <c>[C, H, W]</c> into the zero-padded buffer <c>[C, H + 2pH, W + 2pW]</c> (the slack after it zero too).</summary>
    [MethodImpl(HotPath.Options)]
    public static void Pad(ReadOnlySpan<float> image, int channels, int height, int width, Window2D window, Span<float> padded)
    {
        Im2Col.Pad(image, channels, height, width, window, padded);
        padded[(channels * (height + 2 * window.PadH) * (width + 2 * window.PadW))..].Clear();
    }

    /// <summary>
    /// Output rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>) of every channel of one image:
    /// <c>y[o, r, q] = b[o] + Σ_blocks Σ_(c,i,j) w[o, c, i, j] · x[c, r + i − pH, q + j − pW]</c>.
    /// </summary>
    /// <param name="padded">The image, padded by <see cref="Pad"/>.</param>
    /// <param name="paddedWidth">W + 2pW.</param>
    /// <param name="tapOffsets">From <see cref="TapOffsets"/>.</param>
    /// <param name="arrangedWeights">From <see cref="ArrangeWeights"/>.</param>
    /// <param name="bias">b, Cout values.</param>
    /// <param name="outChannels">Cout.</param>
    /// <param name="kBlock">The packed product's k-block for this shape.</param>
    /// <param name="output">y of the image, <c>[Cout, outH, outW]</c>.</param>
    /// <param name="outH">Output height.</param>
    /// <param name="outW">Output width.</param>
    /// <param name="rowStart">First output row.</param>
    /// <param name="rowEnd">End of the output rows.</param>
    [MethodImpl(HotPath.Options)]
    public static void ForwardRows(ReadOnlySpan<float> padded, int paddedWidth, ReadOnlySpan<int> tapOffsets, ReadOnlySpan<float> arrangedWeights,
        ReadOnlySpan<float> bias, int outChannels, int kBlock, Span<float> output, int outH, int outW, int rowStart, int rowEnd)
    {
        if (output.Length < outChannels * outH * outW || bias.Length < outChannels || arrangedWeights.Length < tapOffsets.Length * RoundedChannels(outChannels, outW, tapOffsets.Length))
            throw new ArgumentException("Direct convolution given buffers too short for its shape.");
        int bits = KernelWidth.MultiplyAdd;
        if (AcrossChannels(outChannels, outW, tapOffsets.Length))
        {
            if (bits == 512) ChannelRows<Vector512<float>, Lanes512, ChannelPairTile<Vector512<float>, Lanes512, Fused>>(padded, paddedWidth, tapOffsets, arrangedWeights, bias, outChannels, kBlock, output, outH, outW, rowStart, rowEnd);
            else if (bits == 256) ChannelRows<Vector256<float>, Lanes256, ChannelPairTile<Vector256<float>, Lanes256, Fused>>(padded, paddedWidth, tapOffsets, arrangedWeights, bias, outChannels, kBlock, output, outH, outW, rowStart, rowEnd);
            else ChannelRows<Vector128<float>, Lanes128, ChannelPairTile<Vector128<float>, Lanes128, Fused>>(padded, paddedWidth, tapOffsets, arrangedWeights, bias, outChannels, kBlock, output, outH, outW, rowStart, rowEnd);
            return;
        }
        if (AcrossOneChannelVector(outChannels, outW, tapOffsets.Length))
        {
            ChannelRows<Vector512<float>, Lanes512, OneChannelVectorTileShape<Vector512<float>, Lanes512, Fused>>(padded, paddedWidth, tapOffsets, arrangedWeights, bias, outChannels, kBlock, output, outH, outW, rowStart, rowEnd);
            return;
        }
        if (bits == 512) Rows<Vector512<float>, Lanes512, Fused>(padded, paddedWidth, tapOffsets, arrangedWeights, bias, outChannels, kBlock, output, outH, outW, rowStart, rowEnd);
        else if (!KernelWidth.FusedFamily && bits == 256) Rows<Vector256<float>, Lanes256, Unfused>(padded, paddedWidth, tapOffsets, arrangedWeights, bias, outChannels, kBlock, output, outH, outW, rowStart, rowEnd);
        else if (bits == 256) Rows<Vector256<float>, Lanes256, Fused>(padded, paddedWidth, tapOffsets, arrangedWeights, bias, outChannels, kBlock, output, outH, outW, rowStart, rowEnd);
        else if (!KernelWidth.FusedFamily) Rows<Vector128<float>, Lanes128, Unfused>(padded, paddedWidth, tapOffsets, arrangedWeights, bias, outChannels, kBlock, output, outH, outW, rowStart, rowEnd);
        else Rows<Vector128<float>, Lanes128, Fused>(padded, paddedWidth, tapOffsets, arrangedWeights, bias, outChannels, kBlock, output, outH, outW, rowStart, rowEnd);
    }

    [MethodImpl(HotPath.Options)]
    private static unsafe void Rows<TV, TLanes, TMultiplyAdd>(ReadOnlySpan<float> padded, int paddedWidth, ReadOnlySpan<int> tapOffsets,
        ReadOnlySpan<float> arrangedWeights, ReadOnlySpan<float> bias, int outChannels, int kBlock, Span<float> output, int outH, int outW, int rowStart, int rowEnd)
        where TV : unmanaged
        where TLanes : struct, IFloatLanes<TV>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        int lanes = TLanes.Count, vectorsPerRow = (outW + lanes - 1) / lanes, taps = tapOffsets.Length;
        int tileChannels = TileChannels(outChannels), plane = outH * outW;
        int units = (rowEnd - rowStart) * vectorsPerRow;
        // The tile's sums over the k-blocks so far: [channel][unit] vectors. With 32 registers, eight channels take three
        // output vectors a tile and six take four (24 accumulators, each tap's weights feeding three or four
        // multiply-adds); with 16, four channels take three in the fused family, two otherwise, and six take two.
        int perTile = KernelWidth.MultiplyAdd == 512 ? (tileChannels == SixChannels ? 4 : 3)
            : tileChannels == NarrowChannels && KernelWidth.FusedFamily ? 3 : 2;
        TV* sums = stackalloc TV[WideChannels * 3];
        float* scratch = stackalloc float[WideChannels * 2];
        int* positions = stackalloc int[4];
        int* valid = stackalloc int[4];
        float** inputs = stackalloc float*[4];
        TV* biases = stackalloc TV[WideChannels];
        fixed (float* x = padded)
        fixed (int* offsets = tapOffsets)
        fixed (float* w = arrangedWeights)
        fixed (float* y = output)
        {
            for (int o0 = 0; o0 < outChannels; o0 += tileChannels)
            {
                int channels = Math.Min(tileChannels, outChannels - o0);
                for (int c = 0; c < channels; c++) biases[c] = TLanes.Splat(bias[o0 + c]);
                // A whole tile over one k-block, of every channel of its tile, below 512 bits, stores its biased sums itself,
                // straight from its registers (a few-tap tile spent much of its time putting them aside and reading them
                // back, benchmarks/README.md, "twenty-fifth session").
                bool tilesStore = taps <= kBlock && channels == tileChannels && perTile < 4 && tileChannels != WideChannels;
                var tileTarget = new TileTarget<TV>(y + (nint)o0 * plane, plane, positions, biases);
                // The first output vector of the next tile: its row, and its place in the row. Counted on, not divided out:
                // with a few taps (LeNet's first layer: 25) the bookkeeping around a tile took as long as the tile.
                int row = rowStart, vector = 0;
                for (int u = 0; u < units; u += perTile)
                {
                    // The tile's output vectors: where each lies in its plane, how many of its lanes are outputs, and where its
                    // inputs start in the padded image; a last tile short of vectors repeats its last one (not written).
                    for (int v = 0, r = row, q = vector; v < 4; v++)
                    {
                        int column = q * lanes;
                        positions[v] = r * outW + column;
                        valid[v] = Math.Min(outW - column, lanes);
                        inputs[v] = x + r * paddedWidth + column;
                        if (u + v + 1 < units && ++q == vectorsPerRow) (q, r) = (0, r + 1);
                    }
                    for (vector += perTile; vector >= vectorsPerRow; vector -= vectorsPerRow) row++;
                    // Every vector of the tile whole, its extra lanes (if any) overwritten later in the band.
                    bool whole = u + perTile <= units && positions[perTile - 1] + lanes <= rowEnd * outW;
                    TileTarget<TV>* into = whole && tilesStore ? &tileTarget : null;
                    if (perTile == 4)
                        Tile6x4<TV, TLanes, TMultiplyAdd>(inputs[0], inputs[1], inputs[2], inputs[3], offsets, taps, kBlock, w + (nint)o0 * taps, sums);
                    else if (tileChannels == WideChannels && u + perTile <= units)
                        TileThreeVectors<TV, TLanes, TMultiplyAdd, Eight>(inputs[0], inputs[1], inputs[2], offsets, taps, kBlock, w + (nint)o0 * taps, sums, null);
                    else if (tileChannels == WideChannels && units - u == 2)
                        TileTwoVectors<TV, TLanes, TMultiplyAdd, Eight, Three>(inputs[0], inputs[1], offsets, taps, kBlock, w + (nint)o0 * taps, sums, null);
                    else if (tileChannels == WideChannels)
                        TileEightOneVector<TV, TLanes, TMultiplyAdd>(inputs[0], offsets, taps, kBlock, w + (nint)o0 * taps, sums);
                    else if (perTile == 3)
                        TileThreeVectors<TV, TLanes, TMultiplyAdd, Four>(inputs[0], inputs[1], inputs[2], offsets, taps, kBlock, w + (nint)o0 * taps, sums, into);
                    else if (tileChannels == SixChannels)
                        TileTwoVectors<TV, TLanes, TMultiplyAdd, Six, Two>(inputs[0], inputs[1], offsets, taps, kBlock, w + (nint)o0 * taps, sums, into);
                    else
                        TileTwoVectors<TV, TLanes, TMultiplyAdd, Four, Two>(inputs[0], inputs[1], offsets, taps, kBlock, w + (nint)o0 * taps, sums, into);
                    if (into != null) continue;
                    if (whole)
                    {
                        // A whole tile whose sums were set aside (over several k-blocks, or by a 512-bit tile): straight stores,
                        // channel by channel, rather than vector by vector through WriteOut's checks.
                        for (int c = 0; c < channels; c++)
                        {
                            float* target = y + (nint)(o0 + c) * plane;
                            TV* channelSums = sums + c * perTile;
                            for (int v = 0; v < perTile; v++) Put<TV, TLanes>(target, positions[v], biases[c], channelSums[v]);
                        }
                        continue;
                    }
                    for (int v = 0; v < perTile && u + v < units; v++)
                        for (int c = 0; c < channels; c++)
                            WriteOut<TV, TLanes>(TLanes.Add(sums[c * perTile + v], biases[c]), y + (o0 + c) * plane, positions[v], valid[v], rowEnd * outW, scratch);
                }
            }
        }
    }

    /// <summary>
    /// Stores the first <paramref name="valid"/> lanes of one output vector at <paramref name="position"/> of its plane. A
    /// whole vector is stored when its extra lanes land before <paramref name="bandEnd"/>, in outputs a later vector of
    /// this band overwrites; otherwise through <paramref name="scratch"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void WriteOut<TV, TLanes>(TV value, float* plane, int position, int valid, int bandEnd, float* scratch)
        where TV : unmanaged
        where TLanes : struct, IFloatLanes<TV>
    {
        if (position + TLanes.Count <= bandEnd)
        {
            TLanes.Store(value, ref plane[position], 0);
            return;
        }
        TLanes.Store(value, ref *scratch, 0);
        for (int i = 0; i < valid; i++) plane[position + i] = scratch[i];
    }

    // The k-loop of a tile alone in its method, so that the accumulators stay in registers with or without a profile; its
    // k-blocks too, each summed from zero and added to the blocks before it (a convolution's input gradient has one a tap,
    // Cout long, and a call a block cost LeNet's layer a fifth of its backward pass: benchmarks/README.md).
    // Eight channels by three output vectors for 32 registers (24 accumulators); four by three for 16 registers in the fused
    // family (twelve accumulators, three inputs and a weight).
    [MethodImpl(HotPath.Options | MethodImplOptions.NoInlining)]
    private static unsafe void TileThreeVectors<TV, TLanes, TMultiplyAdd, TChannels>(float* x0, float* x1, float* x2, int* offsets, int taps, int kBlock, float* w,
        TV* sums, TileTarget<TV>* into)
        where TV : unmanaged
        where TLanes : struct, IFloatLanes<TV>
        where TMultiplyAdd : struct, IMultiplyAdd
        where TChannels : struct, IConstantCount
    {
        int channels = TChannels.Count;
        for (int k0 = 0; k0 < taps; k0 += kBlock)
        {
            TV a0 = default, a1 = default, a2 = default, b0 = default, b1 = default, b2 = default, c0 = default, c1 = default, c2 = default;
            TV d0 = default, d1 = default, d2 = default, e0 = default, e1 = default, e2 = default, f0 = default, f1 = default, f2 = default;
            TV g0 = default, g1 = default, g2 = default, h0 = default, h1 = default, h2 = default;
            int k1 = Math.Min(taps, k0 + kBlock);
            bool add = k0 > 0;
            float* weights = w + (nint)k0 * channels;
            for (int k = k0; k < k1; k++, weights += channels)
            {
                int offset = offsets[k];
                TV v0 = TLanes.Load(ref x0[offset], 0), v1 = TLanes.Load(ref x1[offset], 0), v2 = TLanes.Load(ref x2[offset], 0);
                TV s = TLanes.Splat(weights[0]);
                a0 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v0, a0); a1 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v1, a1); a2 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v2, a2);
                s = TLanes.Splat(weights[1]);
                b0 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v0, b0); b1 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v1, b1); b2 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v2, b2);
                s = TLanes.Splat(weights[2]);
                c0 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v0, c0); c1 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v1, c1); c2 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v2, c2);
                s = TLanes.Splat(weights[3]);
                d0 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v0, d0); d1 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v1, d1); d2 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v2, d2);
                if (channels > 4)
                {
                    s = TLanes.Splat(weights[4]);
                    e0 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v0, e0); e1 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v1, e1); e2 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v2, e2);
                    s = TLanes.Splat(weights[5]);
                    f0 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v0, f0); f1 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v1, f1); f2 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v2, f2);
                    s = TLanes.Splat(weights[6]);
                    g0 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v0, g0); g1 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v1, g1); g2 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v2, g2);
                    s = TLanes.Splat(weights[7]);
                    h0 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v0, h0); h1 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v1, h1); h2 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v2, h2);
                }
            }
            if (into != null)
            {
                // Four channels only (the 512-bit eight-channel tile keeps its sums).
                float* planes = into->Planes;
                nint plane = into->Plane;
                TV* biases = into->Biases;
                nint p0 = into->Positions[0], p1 = into->Positions[1], p2 = into->Positions[2];
                Put<TV, TLanes>(planes, p0, p1, p2, biases[0], a0, a1, a2); planes += plane;
                Put<TV, TLanes>(planes, p0, p1, p2, biases[1], b0, b1, b2); planes += plane;
                Put<TV, TLanes>(planes, p0, p1, p2, biases[2], c0, c1, c2); planes += plane;
                Put<TV, TLanes>(planes, p0, p1, p2, biases[3], d0, d1, d2);
                return;
            }
            Keep<TV, TLanes>(sums + 0 * 3, a0, add); Keep<TV, TLanes>(sums + 0 * 3 + 1, a1, add); Keep<TV, TLanes>(sums + 0 * 3 + 2, a2, add);
            Keep<TV, TLanes>(sums + 1 * 3, b0, add); Keep<TV, TLanes>(sums + 1 * 3 + 1, b1, add); Keep<TV, TLanes>(sums + 1 * 3 + 2, b2, add);
            Keep<TV, TLanes>(sums + 2 * 3, c0, add); Keep<TV, TLanes>(sums + 2 * 3 + 1, c1, add); Keep<TV, TLanes>(sums + 2 * 3 + 2, c2, add);
            Keep<TV, TLanes>(sums + 3 * 3, d0, add); Keep<TV, TLanes>(sums + 3 * 3 + 1, d1, add); Keep<TV, TLanes>(sums + 3 * 3 + 2, d2, add);
            if (channels <= 4) continue;
            Keep<TV, TLanes>(sums + 4 * 3, e0, add); Keep<TV, TLanes>(sums + 4 * 3 + 1, e1, add); Keep<TV, TLanes>(sums + 4 * 3 + 2, e2, add);
            Keep<TV, TLanes>(sums + 5 * 3, f0, add); Keep<TV, TLanes>(sums + 5 * 3 + 1, f1, add); Keep<TV, TLanes>(sums + 5 * 3 + 2, f2, add);
            Keep<TV, TLanes>(sums + 6 * 3, g0, add); Keep<TV, TLanes>(sums + 6 * 3 + 1, g1, add); Keep<TV, TLanes>(sums + 6 * 3 + 2, g2, add);
            Keep<TV, TLanes>(sums + 7 * 3, h0, add); Keep<TV, TLanes>(sums + 7 * 3 + 1, h1, add); Keep<TV, TLanes>(sums + 7 * 3 + 2, h2, add);
        }
    }

    // Six channels by four output vectors for 32 registers (a six-channel layer at 512 bits, where eight-channel tiles would
    // leave a quarter of their multiply-adds on padding): 24 accumulators, four inputs and a weight. Its k-blocks in the one
    // call, as above.
    [MethodImpl(HotPath.Options | MethodImplOptions.NoInlining)]
    private static unsafe void Tile6x4<TV, TLanes, TMultiplyAdd>(float* x0, float* x1, float* x2, float* x3, int* offsets, int taps, int kBlock, float* w, TV* sums)
        where TV : unmanaged
        where TLanes : struct, IFloatLanes<TV>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        for (int k0 = 0; k0 < taps; k0 += kBlock)
        {
            TV a0 = default, a1 = default, a2 = default, a3 = default;
            TV b0 = default, b1 = default, b2 = default, b3 = default;
            TV c0 = default, c1 = default, c2 = default, c3 = default;
            TV d0 = default, d1 = default, d2 = default, d3 = default;
            TV e0 = default, e1 = default, e2 = default, e3 = default;
            TV f0 = default, f1 = default, f2 = default, f3 = default;
            int k1 = Math.Min(taps, k0 + kBlock);
            bool add = k0 > 0;
            float* weights = w + (nint)k0 * SixChannels;
            for (int k = k0; k < k1; k++, weights += SixChannels)
            {
                int offset = offsets[k];
                TV v0 = TLanes.Load(ref x0[offset], 0), v1 = TLanes.Load(ref x1[offset], 0), v2 = TLanes.Load(ref x2[offset], 0), v3 = TLanes.Load(ref x3[offset], 0);
                TV s = TLanes.Splat(weights[0]);
                a0 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v0, a0); a1 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v1, a1);
                a2 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v2, a2); a3 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v3, a3);
                s = TLanes.Splat(weights[1]);
                b0 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v0, b0); b1 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v1, b1);
                b2 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v2, b2); b3 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v3, b3);
                s = TLanes.Splat(weights[2]);
                c0 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v0, c0); c1 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v1, c1);
                c2 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v2, c2); c3 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v3, c3);
                s = TLanes.Splat(weights[3]);
                d0 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v0, d0); d1 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v1, d1);
                d2 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v2, d2); d3 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v3, d3);
                s = TLanes.Splat(weights[4]);
                e0 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v0, e0); e1 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v1, e1);
                e2 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v2, e2); e3 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v3, e3);
                s = TLanes.Splat(weights[5]);
                f0 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v0, f0); f1 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v1, f1);
                f2 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v2, f2); f3 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v3, f3);
            }
            Keep<TV, TLanes>(sums + 0 * 4, a0, add); Keep<TV, TLanes>(sums + 0 * 4 + 1, a1, add); Keep<TV, TLanes>(sums + 0 * 4 + 2, a2, add); Keep<TV, TLanes>(sums + 0 * 4 + 3, a3, add);
            Keep<TV, TLanes>(sums + 1 * 4, b0, add); Keep<TV, TLanes>(sums + 1 * 4 + 1, b1, add); Keep<TV, TLanes>(sums + 1 * 4 + 2, b2, add); Keep<TV, TLanes>(sums + 1 * 4 + 3, b3, add);
            Keep<TV, TLanes>(sums + 2 * 4, c0, add); Keep<TV, TLanes>(sums + 2 * 4 + 1, c1, add); Keep<TV, TLanes>(sums + 2 * 4 + 2, c2, add); Keep<TV, TLanes>(sums + 2 * 4 + 3, c3, add);
            Keep<TV, TLanes>(sums + 3 * 4, d0, add); Keep<TV, TLanes>(sums + 3 * 4 + 1, d1, add); Keep<TV, TLanes>(sums + 3 * 4 + 2, d2, add); Keep<TV, TLanes>(sums + 3 * 4 + 3, d3, add);
            Keep<TV, TLanes>(sums + 4 * 4, e0, add); Keep<TV, TLanes>(sums + 4 * 4 + 1, e1, add); Keep<TV, TLanes>(sums + 4 * 4 + 2, e2, add); Keep<TV, TLanes>(sums + 4 * 4 + 3, e3, add);
            Keep<TV, TLanes>(sums + 5 * 4, f0, add); Keep<TV, TLanes>(sums + 5 * 4 + 1, f1, add); Keep<TV, TLanes>(sums + 5 * 4 + 2, f2, add); Keep<TV, TLanes>(sums + 5 * 4 + 3, f3, add);
        }
    }

    // Four or six channels by two output vectors, for 16 registers: the four-channel tile of the unfused family, and the
    // six-channel one where six pads less (LeNet's first convolution at 256 and 128 bits; twelve accumulators, two inputs
    // and a weight in fifteen). Its k-blocks in the one call, as above. Also eight channels at 512 bits, for a band's last two
    // output vectors where the three-vector tile would compute a third nobody reads; its sums then set aside three vectors
    // apart, as that tile's (TStride: the vectors between one channel's sums and the next's).
    [MethodImpl(HotPath.Options | MethodImplOptions.NoInlining)]
    private static unsafe void TileTwoVectors<TV, TLanes, TMultiplyAdd, TChannels, TStride>(float* x0, float* x1, int* offsets, int taps, int kBlock, float* w,
        TV* sums, TileTarget<TV>* into)
        where TV : unmanaged
        where TLanes : struct, IFloatLanes<TV>
        where TMultiplyAdd : struct, IMultiplyAdd
        where TChannels : struct, IConstantCount
        where TStride : struct, IConstantCount
    {
        int channels = TChannels.Count, stride = TStride.Count;
        for (int k0 = 0; k0 < taps; k0 += kBlock)
        {
            TV a0 = default, a1 = default, b0 = default, b1 = default, c0 = default, c1 = default;
            TV d0 = default, d1 = default, e0 = default, e1 = default, f0 = default, f1 = default;
            TV g0 = default, g1 = default, h0 = default, h1 = default;
            int k1 = Math.Min(taps, k0 + kBlock);
            bool add = k0 > 0;
            float* weights = w + (nint)k0 * channels;
            for (int k = k0; k < k1; k++, weights += channels)
            {
                int offset = offsets[k];
                TV v0 = TLanes.Load(ref x0[offset], 0), v1 = TLanes.Load(ref x1[offset], 0);
                TV s = TLanes.Splat(weights[0]);
                a0 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v0, a0); a1 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v1, a1);
                s = TLanes.Splat(weights[1]);
                b0 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v0, b0); b1 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v1, b1);
                s = TLanes.Splat(weights[2]);
                c0 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v0, c0); c1 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v1, c1);
                s = TLanes.Splat(weights[3]);
                d0 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v0, d0); d1 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v1, d1);
                if (channels > 4)
                {
                    s = TLanes.Splat(weights[4]);
                    e0 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v0, e0); e1 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v1, e1);
                    s = TLanes.Splat(weights[5]);
                    f0 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v0, f0); f1 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v1, f1);
                }
                if (channels > 6)
                {
                    s = TLanes.Splat(weights[6]);
                    g0 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v0, g0); g1 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v1, g1);
                    s = TLanes.Splat(weights[7]);
                    h0 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v0, h0); h1 = TLanes.MultiplyAdd<TMultiplyAdd>(s, v1, h1);
                }
            }
            if (into != null)
            {
                // Four or six channels (eight keep their sums).
                float* planes = into->Planes;
                nint plane = into->Plane;
                TV* biases = into->Biases;
                nint p0 = into->Positions[0], p1 = into->Positions[1];
                Put<TV, TLanes>(planes, p0, p1, biases[0], a0, a1); planes += plane;
                Put<TV, TLanes>(planes, p0, p1, biases[1], b0, b1); planes += plane;
                Put<TV, TLanes>(planes, p0, p1, biases[2], c0, c1); planes += plane;
                Put<TV, TLanes>(planes, p0, p1, biases[3], d0, d1);
                if (channels <= 4) return;
                planes += plane;
                Put<TV, TLanes>(planes, p0, p1, biases[4], e0, e1); planes += plane;
                Put<TV, TLanes>(planes, p0, p1, biases[5], f0, f1);
                return;
            }
            Keep<TV, TLanes>(sums + 0 * stride, a0, add); Keep<TV, TLanes>(sums + 0 * stride + 1, a1, add);
            Keep<TV, TLanes>(sums + 1 * stride, b0, add); Keep<TV, TLanes>(sums + 1 * stride + 1, b1, add);
            Keep<TV, TLanes>(sums + 2 * stride, c0, add); Keep<TV, TLanes>(sums + 2 * stride + 1, c1, add);
            Keep<TV, TLanes>(sums + 3 * stride, d0, add); Keep<TV, TLanes>(sums + 3 * stride + 1, d1, add);
            if (channels <= 4) continue;
            Keep<TV, TLanes>(sums + 4 * stride, e0, add); Keep<TV, TLanes>(sums + 4 * stride + 1, e1, add);
            Keep<TV, TLanes>(sums + 5 * stride, f0, add); Keep<TV, TLanes>(sums + 5 * stride + 1, f1, add);
            if (channels <= 6) continue;
            Keep<TV, TLanes>(sums + 6 * stride, g0, add); Keep<TV, TLanes>(sums + 6 * stride + 1, g1, add);
            Keep<TV, TLanes>(sums + 7 * stride, h0, add); Keep<TV, TLanes>(sums + 7 * stride + 1, h1, add);
        }
    }

    // A band's last output vector for eight channels at 512 bits, where the three-vector tile would compute two nobody reads
    // (rows of 16 over 16 rows: 16 vectors a sample, a ninth of the work). Sums set aside as that tile's, three vectors apart.
    [MethodImpl(HotPath.Options | MethodImplOptions.NoInlining)]
    private static unsafe void TileEightOneVector<TV, TLanes, TMultiplyAdd>(float* x0, int* offsets, int taps, int kBlock, float* w, TV* sums)
        where TV : unmanaged
        where TLanes : struct, IFloatLanes<TV>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        const int Channels = 8, Stride = 3;
        for (int k0 = 0; k0 < taps; k0 += kBlock)
        {
            TV a0 = default, b0 = default, c0 = default, d0 = default, e0 = default, f0 = default, g0 = default, h0 = default;
            int k1 = Math.Min(taps, k0 + kBlock);
            bool add = k0 > 0;
            float* weights = w + (nint)k0 * Channels;
            for (int k = k0; k < k1; k++, weights += Channels)
            {
                TV v0 = TLanes.Load(ref x0[offsets[k]], 0);
                a0 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(weights[0]), v0, a0);
                b0 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(weights[1]), v0, b0);
                c0 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(weights[2]), v0, c0);
                d0 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(weights[3]), v0, d0);
                e0 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(weights[4]), v0, e0);
                f0 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(weights[5]), v0, f0);
                g0 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(weights[6]), v0, g0);
                h0 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(weights[7]), v0, h0);
            }
            Keep<TV, TLanes>(sums + 0 * Stride, a0, add); Keep<TV, TLanes>(sums + 1 * Stride, b0, add);
            Keep<TV, TLanes>(sums + 2 * Stride, c0, add); Keep<TV, TLanes>(sums + 3 * Stride, d0, add);
            Keep<TV, TLanes>(sums + 4 * Stride, e0, add); Keep<TV, TLanes>(sums + 5 * Stride, f0, add);
            Keep<TV, TLanes>(sums + 6 * Stride, g0, add); Keep<TV, TLanes>(sums + 7 * Stride, h0, add);
        }
    }

    /// <summary>Where a tile that stores its own sums puts them: channel c's output vector v at Planes + c·Plane + Positions[v], plus Biases[c].</summary>
    private readonly unsafe struct TileTarget<TV>(float* planes, nint plane, int* positions, TV* biases) where TV : unmanaged
    {
        public readonly float* Planes = planes;
        public readonly nint Plane = plane;
        public readonly int* Positions = positions;
        public readonly TV* Biases = biases;
    }

    // One output vector of a channel, the bias added last as every write-out adds it: the same sums.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Put<TV, TLanes>(float* plane, nint position, TV bias, TV sum)
        where TV : unmanaged
        where TLanes : struct, IFloatLanes<TV>
        => TLanes.Store(TLanes.Add(sum, bias), ref plane[position], 0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Put<TV, TLanes>(float* plane, nint p0, nint p1, TV bias, TV s0, TV s1)
        where TV : unmanaged
        where TLanes : struct, IFloatLanes<TV>
    {
        Put<TV, TLanes>(plane, p0, bias, s0);
        Put<TV, TLanes>(plane, p1, bias, s1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Put<TV, TLanes>(float* plane, nint p0, nint p1, nint p2, TV bias, TV s0, TV s1, TV s2)
        where TV : unmanaged
        where TLanes : struct, IFloatLanes<TV>
    {
        Put<TV, TLanes>(plane, p0, p1, bias, s0, s1);
        Put<TV, TLanes>(plane, p2, bias, s2);
    }

    // A later k-block's sum is added to the earlier ones', as the packed product adds each block's tile to C (the tile's
    // sums lie at [channel][vector]).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Keep<TV, TLanes>(TV* at, TV value, bool add)
        where TV : unmanaged
        where TLanes : struct, IFloatLanes<TV>
        => *at = add ? TLanes.Add(*at, value) : value;
}
