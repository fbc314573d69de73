using System.Runtime.CompilerServices;

namespace NeuralNets.Kernels;

/// <summary>
/// The direct forward pass with one vector across output channels, for layers at 512 bits whose channels fill one vector
/// but not two (LeNet's second convolution: sixteen channels over rows of 10, which column vectors fill to 10 lanes of
/// sixteen, and a pair of channel vectors to sixteen of thirty-two).
/// </summary>
/// <remarks>A tile is one vector of channels by eight output positions, which run on through the band's positions across
/// row ends as in <see cref="AcrossChannels"/>'s tiles. Each lane is one output's chain of multiply-adds over the taps in
/// (c, i, j) order with the same k-block restarts, and the bias is added last, exactly as in the column tiles: the same
/// bits, only other lanes hold them. Eight positions, not more: each reads from its own place in the padded image, and
/// eight such addresses with the loop's own leave no general register spilled.</remarks>
internal static partial class DirectConvolution
{
    /// <summary>Output positions per one-vector channel tile.</summary>
    private const int OneVectorTilePositions = 8;

    /// <summary>
    /// Whether a layer runs with one vector across channels: in the fused family at 512 bits, where vectors across pairs
    /// of channel vectors (<see cref="AcrossChannels"/>) do not apply and one vector fills at least an eighth more lanes
    /// than the column tiles would, over <see cref="MinimumChannelLaneTaps"/> taps or more.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    public static bool AcrossOneChannelVector(int outChannels, int outW, int taps)
    {
        if (KernelWidth.MultiplyAdd != 512 || !KernelWidth.FusedFamily || taps < MinimumChannelLaneTaps || AcrossChannels(outChannels, outW, taps)) return false;
        return ChannelVectorsFillMore(outChannels, outW, VectorColumns);
    }

    /// <summary>One vector of channels by <see cref="OneVectorTilePositions"/> positions (<see cref="OneChannelVectorTile"/>).</summary>
    private readonly struct OneChannelVectorTileShape<TV, TLanes, TMultiplyAdd> : IChannelTile<TV>
        where TV : unmanaged
        where TLanes : struct, IFloatLanes<TV>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        public static int Vectors => 1;

        public static int Positions => OneVectorTilePositions;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static unsafe void Run(float* x, int* starts, int* offsets, int taps, int kBlock, float* w, TV* sums)
            => OneChannelVectorTile<TV, TLanes, TMultiplyAdd>(x, starts, offsets, taps, kBlock, w, sums);
    }

    // One vector of channels by eight positions: eight accumulators, a weight vector and an input. Each k-block's sums start
    // from zero and are added to the blocks' before them, in one call.
    [MethodImpl(HotPath.Options | MethodImplOptions.NoInlining)]
    private static unsafe void OneChannelVectorTile<TV, TLanes, TMultiplyAdd>(float* x, int* starts, int* offsets, int taps, int kBlock, float* w, TV* sums)
        where TV : unmanaged
        where TLanes : struct, IFloatLanes<TV>
        where TMultiplyAdd : struct, IMultiplyAdd
    {
        int lanes = TLanes.Count;
        float* x0 = x + starts[0], x1 = x + starts[1], x2 = x + starts[2], x3 = x + starts[3];
        float* x4 = x + starts[4], x5 = x + starts[5], x6 = x + starts[6], x7 = x + starts[7];
        for (int k0 = 0; k0 < taps; k0 += kBlock)
        {
            TV a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
            int k1 = Math.Min(taps, k0 + kBlock);
            bool add = k0 > 0;
            float* weights = w + (nint)k0 * lanes;
            for (int k = k0; k < k1; k++, weights += lanes)
            {
                int offset = offsets[k];
                TV weight = TLanes.Load(ref weights[0], 0);
                a0 = TLanes.MultiplyAdd<TMultiplyAdd>(weight, TLanes.Splat(x0[offset]), a0);
                a1 = TLanes.MultiplyAdd<TMultiplyAdd>(weight, TLanes.Splat(x1[offset]), a1);
                a2 = TLanes.MultiplyAdd<TMultiplyAdd>(weight, TLanes.Splat(x2[offset]), a2);
                a3 = TLanes.MultiplyAdd<TMultiplyAdd>(weight, TLanes.Splat(x3[offset]), a3);
                a4 = TLanes.MultiplyAdd<TMultiplyAdd>(weight, TLanes.Splat(x4[offset]), a4);
                a5 = TLanes.MultiplyAdd<TMultiplyAdd>(weight, TLanes.Splat(x5[offset]), a5);
                a6 = TLanes.MultiplyAdd<TMultiplyAdd>(weight, TLanes.Splat(x6[offset]), a6);
                a7 = TLanes.MultiplyAdd<TMultiplyAdd>(weight, TLanes.Splat(x7[offset]), a7);
            }
            Keep<TV, TLanes>(sums + 0, a0, add); Keep<TV, TLanes>(sums + 1, a1, add); Keep<TV, TLanes>(sums + 2, a2, add);
            Keep<TV, TLanes>(sums + 3, a3, add); Keep<TV, TLanes>(sums + 4, a4, add); Keep<TV, TLanes>(sums + 5, a5, add);
            Keep<TV, TLanes>(sums + 6, a6, add); Keep<TV, TLanes>(sums + 7, a7, add);
        }
    }
}
