using System.Runtime.CompilerServices;

namespace NeuralNets.Kernels;

/// <summary>
/// The direct forward pass with vectors across output channels instead of output columns, for layers whose rows leave
/// much of a column vector empty (LeNet's second convolution: rows of 10 in vectors of 8, so 16 lanes for 10 outputs).
/// </summary>
/// <remarks>
/// <para>A tile is two vectors of channels (a group of 32 at 512 bits, 16 at 256, 8 at 128) by six output positions, which run on
/// through the band's positions across row ends, each reading from its own place in the padded image. Each lane is one
/// output's chain of multiply-adds over the taps in (c, i, j) order with the same k-block restarts, and the bias is added
/// last, exactly as in the column tiles: the same bits, only other lanes hold them.</para>
/// <para>Only in the fused family (twelve accumulators, two weight vectors and an input: fifteen of sixteen registers at
/// 256 and 128 bits, fewer than half of AVX-512's thirty-two), and only where it fills clearly more lanes than the column
/// tiles would: at 512 bits rows of 8 fill half a column vector and rows of 24 three quarters, so layers with rows of 8, or
/// of about 17 to 28, take it there where their channels fill its groups (benchmarks/README.md, the thirty-second session).</para>
/// </remarks>
internal static partial class DirectConvolution
{
    /// <summary>Output positions per channel-lane tile.</summary>
    private const int ChannelTilePositions = 6;

    /// <summary>
    /// Tiles per band of positions written out together: a tile's outputs, one lane per channel, left one value at a time
    /// and took a seventh of the Keras layer's forward pass (benchmarks/README.md, the thirty-fourth session); a band of
    /// eight tiles leaves by whole-vector transposes, each channel's run of positions whole lines of its plane.
    /// </summary>
    private const int BandTiles = 8;

    /// <summary>
    /// Fewest taps for vectors across channels: each output leaves its tile through the band's transpose (one lane of a
    /// vector), which a short sum of taps does not pay for (measured from 9 to 150 taps when outputs left one value at a
    /// time: benchmarks/README.md, the twenty-fourth session; not measured again since the band write-out).
    /// </summary>
    private const int MinimumChannelLaneTaps = 32;

    /// <summary>Output channels per channel-lane tile: two vectors.</summary>
    private static int ChannelGroup => 2 * VectorColumns;

    /// <summary>
    /// Whether a layer of <paramref name="outChannels"/> channels with output rows <paramref name="outW"/> wide over
    /// <paramref name="taps"/> taps runs with vectors across channels: where they fill at least an eighth more lanes than
    /// column vectors would (counting the column tiles' padding channels too), over <see cref="MinimumChannelLaneTaps"/> taps or more.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    public static bool AcrossChannels(int outChannels, int outW, int taps)
    {
        int bits = KernelWidth.MultiplyAdd;
        if (bits is not (128 or 256 or 512) || !KernelWidth.FusedFamily || taps < MinimumChannelLaneTaps) return false;
        return ChannelVectorsFillMore(outChannels, outW, ChannelGroup);
    }

    /// <summary>Whether vectors across channels in groups of <paramref name="group"/> fill at least an eighth more lanes than column vectors would (counting the column tiles' padding channels too).</summary>
    [MethodImpl(HotPath.Options)]
    private static bool ChannelVectorsFillMore(int outChannels, int outW, int group)
    {
        long channelLanes = (long)outChannels * RoundUp(outW, VectorColumns) * RoundUp(outChannels, TileChannels(outChannels));
        long columnLanes = (long)outW * outChannels * RoundUp(outChannels, group);
        // Filled fractions compared by cross-multiplying: outChannels / R(C, group) against outW / R(W, lanes) · outChannels / R(C, tile).
        return 8 * channelLanes >= 9 * columnLanes;
    }

    /// <summary>
    /// Output rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>) of one image with vectors across channels (see
    /// <see cref="ForwardRows"/>), in tiles of <typeparamref name="TTile"/>: a pair of channel vectors (<see cref="AcrossChannels"/>)
    /// or one (<see cref="AcrossOneChannelVector"/>).
    /// </summary>
    [MethodImpl(HotPath.Options)]
    private static unsafe void ChannelRows<TV, TLanes, TTile>(ReadOnlySpan<float> padded, int paddedWidth, ReadOnlySpan<int> tapOffsets,
        ReadOnlySpan<float> arrangedWeights, ReadOnlySpan<float> bias, int outChannels, int kBlock, Span<float> output, int outH, int outW, int rowStart, int rowEnd)
        where TV : unmanaged
        where TLanes : struct, IFloatLanes<TV>
        where TTile : struct, IChannelTile<TV>
    {
        int lanes = TLanes.Count, vectors = TTile.Vectors, positions = TTile.Positions, group = vectors * lanes;
        int taps = tapOffsets.Length, plane = outH * outW, first = rowStart * outW, end = rowEnd * outW;
        int band = positions * BandTiles;
        TV* sums = stackalloc TV[vectors * positions];
        int* starts = stackalloc int[positions];
        // A band's biased sums, [position][channel]: the band's tiles store them as they come, and the band leaves
        // transposed, each channel's positions a run of its plane.
        float* bandSums = stackalloc float[band * group];
        float* lane = stackalloc float[lanes];
        fixed (float* x = padded)
        fixed (int* offsets = tapOffsets)
        fixed (float* w = arrangedWeights)
        fixed (float* y = output)
        {
            for (int o0 = 0; o0 < outChannels; o0 += group)
            {
                int channels = Math.Min(group, outChannels - o0);
                float* weights = w + (nint)o0 * taps;
                // One or two vectors of bias, in registers.
                TV lowBias = LoadBias<TV, TLanes>(bias, o0, lane), highBias = vectors > 1 ? LoadBias<TV, TLanes>(bias, o0 + lanes, lane) : lowBias;
                // The row and column of the tile's first position, counted on rather than divided out.
                int row = rowStart, column = 0;
                for (int b0 = first; b0 < end; b0 += band)
                {
                    int bandEnd = Math.Min(end, b0 + band);
                    for (int p0 = b0; p0 < bandEnd; p0 += positions)
                    {
                        TileStarts(starts, positions, p0, end, ref row, ref column, outW, paddedWidth);
                        TTile.Run(x, starts, offsets, taps, kBlock, weights, sums);
                        // The bias last, as the column tiles add it.
                        float* at = bandSums + (nint)(p0 - b0) * group;
                        for (int v = 0; v < positions; v++)
                        {
                            TLanes.Store(TLanes.Add(sums[v], lowBias), ref at[v * group], 0);
                            if (vectors > 1) TLanes.Store(TLanes.Add(sums[positions + v], highBias), ref at[v * group + lanes], 0);
                        }
                    }
                    Transpose.Matrix(bandSums, bandEnd - b0, channels, group, y + (nint)o0 * plane + b0, plane);
                }
            }
        }
    }

    /// <summary>A channel-lane tile: how many vectors of channels by how many output positions, and its multiply-adds into <c>sums</c> ([vector][position]).</summary>
    private interface IChannelTile<TV> where TV : unmanaged
    {
        static abstract int Vectors { get; }

        static abstract int Positions { get; }

        static abstract unsafe void Run(float* x, int* starts, int* offsets, int taps, int kBlock, float* w, TV* sums);
    }

    /// <summary>Two vectors of channels by <see cref="ChannelTilePositions"/> positions (<see cref="ChannelTile"/>).</summary>
    private readonly struct ChannelPairTile<TV, TLanes, TMultiplyAdd> : IChannelTile<TV>
        where TV : unmanaged
        where TLanes : struct, IFloatLanes<TV>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        public static int Vectors => 2;

        public static int Positions => ChannelTilePositions;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static unsafe void Run(float* x, int* starts, int* offsets, int taps, int kBlock, float* w, TV* sums)
            => ChannelTile<TV, TLanes, TMultiplyAdd>(x, starts, offsets, taps, kBlock, w, sums);
    }

    /// <summary>The bias of channels [<paramref name="o"/>, + lanes) as a vector, zero past the last channel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe TV LoadBias<TV, TLanes>(ReadOnlySpan<float> bias, int o, float* scratch)
        where TV : unmanaged
        where TLanes : struct, IFloatLanes<TV>
    {
        int lanes = TLanes.Count;
        if (o + lanes <= bias.Length) return TLanes.Load(ref Unsafe.AsRef(in bias[o]), 0);
        for (int c = 0; c < lanes; c++) scratch[c] = o + c < bias.Length ? bias[o + c] : 0f;
        return TLanes.Load(ref *scratch, 0);
    }

    /// <summary>
    /// Where each of a tile's <paramref name="positions"/> output positions, from position <paramref name="p0"/> (at
    /// <paramref name="row"/>, <paramref name="column"/>) on across row ends, starts in the padded image; a last tile short
    /// of positions repeats its last one (not written). Moves <paramref name="row"/> and <paramref name="column"/> on to the next tile's first.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void TileStarts(int* starts, int positions, int p0, int end, ref int row, ref int column, int outW, int paddedWidth)
    {
        for (int v = 0, r = row, q = column; v < positions; v++)
        {
            starts[v] = r * paddedWidth + q;
            if (p0 + v + 1 < end && ++q == outW) (q, r) = (0, r + 1);
        }
        for (column += positions; column >= outW; column -= outW) row++;
    }

    // Two vectors of channels by six positions: twelve accumulators, two weight vectors and an input. Each k-block's sums
    // start from zero and are added to the blocks' before them, in one call (a call a block costs short blocks their speed).
    [MethodImpl(HotPath.Options | MethodImplOptions.NoInlining)]
    private static unsafe void ChannelTile<TV, TLanes, TMultiplyAdd>(float* x, int* starts, int* offsets, int taps, int kBlock, float* w, TV* sums)
        where TV : unmanaged
        where TLanes : struct, IFloatLanes<TV>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        int lanes = TLanes.Count;
        float* x0 = x + starts[0], x1 = x + starts[1], x2 = x + starts[2], x3 = x + starts[3], x4 = x + starts[4], x5 = x + starts[5];
        for (int k0 = 0; k0 < taps; k0 += kBlock)
        {
            TV a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default;
            TV b0 = default, b1 = default, b2 = default, b3 = default, b4 = default, b5 = default;
            int k1 = Math.Min(taps, k0 + kBlock);
            bool add = k0 > 0;
            float* weights = w + (nint)k0 * 2 * lanes;
            for (int k = k0; k < k1; k++, weights += 2 * lanes)
            {
                int offset = offsets[k];
                TV low = TLanes.Load(ref weights[0], 0), high = TLanes.Load(ref weights[lanes], 0);
                TV s = TLanes.Splat(x0[offset]);
                a0 = TLanes.MultiplyAdd<TMultiplyAdd>(low, s, a0); b0 = TLanes.MultiplyAdd<TMultiplyAdd>(high, s, b0);
                s = TLanes.Splat(x1[offset]);
                a1 = TLanes.MultiplyAdd<TMultiplyAdd>(low, s, a1); b1 = TLanes.MultiplyAdd<TMultiplyAdd>(high, s, b1);
                s = TLanes.Splat(x2[offset]);
                a2 = TLanes.MultiplyAdd<TMultiplyAdd>(low, s, a2); b2 = TLanes.MultiplyAdd<TMultiplyAdd>(high, s, b2);
                s = TLanes.Splat(x3[offset]);
                a3 = TLanes.MultiplyAdd<TMultiplyAdd>(low, s, a3); b3 = TLanes.MultiplyAdd<TMultiplyAdd>(high, s, b3);
                s = TLanes.Splat(x4[offset]);
                a4 = TLanes.MultiplyAdd<TMultiplyAdd>(low, s, a4); b4 = TLanes.MultiplyAdd<TMultiplyAdd>(high, s, b4);
                s = TLanes.Splat(x5[offset]);
                a5 = TLanes.MultiplyAdd<TMultiplyAdd>(low, s, a5); b5 = TLanes.MultiplyAdd<TMultiplyAdd>(high, s, b5);
            }
            // [half][position], as ChannelRows reads them.
            Keep<TV, TLanes>(sums + 0, a0, add); Keep<TV, TLanes>(sums + 1, a1, add); Keep<TV, TLanes>(sums + 2, a2, add);
            Keep<TV, TLanes>(sums + 3, a3, add); Keep<TV, TLanes>(sums + 4, a4, add); Keep<TV, TLanes>(sums + 5, a5, add);
            Keep<TV, TLanes>(sums + 6, b0, add); Keep<TV, TLanes>(sums + 7, b1, add); Keep<TV, TLanes>(sums + 8, b2, add);
            Keep<TV, TLanes>(sums + 9, b3, add); Keep<TV, TLanes>(sums + 10, b4, add); Keep<TV, TLanes>(sums + 11, b5, add);
        }
    }
}
