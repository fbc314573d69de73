using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NeuralNets.Layers;

namespace NeuralNets.Kernels;

/// <summary>
/// The fold of a stride-1 float convolution's column gradient (<see cref="Im2Col.FoldAdd{T}"/>'s result) computed pixel vector
/// by pixel vector: each vector of input pixels sums, tap after tap in (c, i, j) order, the shifted row of dX̂ that lands on
/// it, in registers, and is stored once.
/// </summary>
/// <remarks>
/// <para>The scatter fold adds every tap's row onto the image, one short row at a time: in LeNet's second convolution that is
/// 1,500 read-modify-writes of ten floats per sample, and it cost more than the product before it (benchmarks/README.md).</para>
/// <para>Same bits: a pixel receives the same values in the same order, onto a zero start. Lanes whose tap falls outside
/// the output (padding, the row's ends) are replaced by +0 before the add, and a sum that starts at +0 is unchanged by adding
/// +0 (round to nearest gives −0 only for −0 + −0).</para>
/// </remarks>
internal static class GatherFold
{
    /// <summary>Elements the column gradient needs before its first and after its last element: the shifted loads read there (and drop it).</summary>
    public const int Slack = 64;

    /// <summary>Widest kernel gathered: its shifted loads stay within <see cref="Slack"/>.</summary>
    private const int MaxKernelWidth = 24;

    /// <summary>Tap masks held at once (one per tap column and pixel vector of a band): at least <see cref="MaxKernelWidth"/>.</summary>
    private const int MaxMasks = 64;

    /// <summary>Whether the fold of this window can be gathered: stride 1, on vectors, a kernel and padding the slack covers.</summary>
    [MethodImpl(HotPath.Options)]
    public static bool Handles(Window2D window)
        => window.StrideH == 1 && window.StrideW == 1 && KernelWidth.Exact >= 128 && window.KernelW <= MaxKernelWidth && window.PadW <= MaxKernelWidth;

    /// <summary>
    /// Writes over <paramref name="image"/> (<c>[C, H, W]</c>) the fold of sample <paramref name="sample"/>'s columns of
    /// the column gradient that starts <see cref="Slack"/> elements into <paramref name="columnsWithSlack"/> (<c>[C·kH·kW, rowStride]</c>, the sample's positions from <c>sample·outH·outW</c>), with
    /// <see cref="Slack"/> readable elements after it too.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    public static unsafe void Fold(ReadOnlySpan<float> columnsWithSlack, int rowStride, int sample, int channels, int height, int width,
        Window2D window, int outH, int outW, Span<float> image)
    {
        int rows = channels * window.KernelH * window.KernelW;
        if (columnsWithSlack.Length < rows * rowStride + 2 * Slack || image.Length < channels * height * width || width > 1 << 20)
            throw new ArgumentException("Gather fold given buffers too short for its shape.");
        int bits = KernelWidth.Exact;
        fixed (float* start = columnsWithSlack)
        fixed (float* target = image)
        {
            var plan = new Plan(start + Slack + (nint)sample * outH * outW, rowStride, channels, height, width, window, outH, outW);
            if (bits >= 512) Fold<Vector512<float>, Lanes512>(plan, target);
            else if (bits >= 256) Fold<Vector256<float>, Lanes256>(plan, target);
            else Fold<Vector128<float>, Lanes128>(plan, target);
        }
    }

    private readonly unsafe struct Plan(float* columns, int rowStride, int channels, int height, int width, Window2D window, int outH, int outW)
    {
        public readonly float* Columns = columns;
        public readonly int RowStride = rowStride, Channels = channels, Height = height, Width = width, OutH = outH, OutW = outW;
        public readonly int KernelH = window.KernelH, KernelW = window.KernelW, PadH = window.PadH, PadW = window.PadW;
    }

    [MethodImpl(HotPath.Options)]
    private static unsafe void Fold<TV, TLanes>(in Plan p, float* image)
        where TV : unmanaged
        where TLanes : struct, IFloatLanes<TV>
    {
        int lanes = TLanes.Count;
        float* scratch = stackalloc float[16];
        for (int l = 0; l < lanes; l++) scratch[l] = l;
        TV laneIndex = TLanes.Load(ref *scratch, 0), zero = default, outW = TLanes.Splat(p.OutW);
        TV* inside = stackalloc TV[MaxMasks];
        int vectors = (p.Width + lanes - 1) / lanes, band = Math.Max(1, Math.Min(vectors, MaxMasks / p.KernelW));
        for (int first = 0; first < vectors; first += band)
        {
            int count = Math.Min(band, vectors - first);
            for (int v = 0; v < count; v++)
            {
                // Pixel x takes tap column j from output column q = x − j + pW: the lanes where 0 ≤ q < outW.
                TV column = TLanes.Add(laneIndex, TLanes.Splat((first + v) * lanes + p.PadW));
                for (int j = 0; j < p.KernelW; j++)
                {
                    TV q = TLanes.Subtract(column, TLanes.Splat(j));
                    inside[v * p.KernelW + j] = TLanes.Select(TLanes.LessThan(q, zero), zero, TLanes.LessThan(q, outW));
                }
            }
            // Channels side by side, four or two at a time: their pixels' sums are independent chains (the same taps are
            // inside for every channel), so the adds overlap instead of each waiting for the one before it.
            int c = 0;
            for (; c + 4 <= p.Channels; c += 4) Channels<TV, TLanes, Four>(p, c, first, count, inside, image, scratch);
            for (; c + 2 <= p.Channels; c += 2) Channels<TV, TLanes, Two>(p, c, first, count, inside, image, scratch);
            for (; c < p.Channels; c++) Channels<TV, TLanes, One>(p, c, first, count, inside, image, scratch);
        }
    }

    // Channels c .. c + count − 1, every pixel row, the band of pixel vectors from vector `first`: each pixel sums its taps in
    // (i, j) order. Two pixel rows at a time, so that up to eight chains of adds overlap: each add waits for the one before it
    // in its chain. The band's vectors go one after another under each pair of rows, so that the lines of dX̂ the first vector
    // brought into the L1 cache serve the next ones too: vector by vector over the whole image, a four-channel group's
    // hundred tap rows (40 KB in LeNet's second convolution) were read from the L2 cache once for every vector.
    [MethodImpl(HotPath.Options)]
    private static unsafe void Channels<TV, TLanes, TCount>(in Plan p, int c, int first, int vectors, TV* inside, float* image, float* scratch)
        where TV : unmanaged
        where TLanes : struct, IFloatLanes<TV>
        where TCount : struct, IConstantCount
    {
        int count = TCount.Count, kernelArea = p.KernelH * p.KernelW, lanes = TLanes.Count;
        // Each channel's tap read through a pointer of its own and the output row below through one offset, so that every
        // load is a single addressing mode: computed per load from the channel's offset, the addresses took more
        // instructions than the loads and adds themselves.
        nint channelStride = (nint)kernelArea * p.RowStride, below = p.OutW, tapStep = p.RowStride - 1;
        for (int y = 0; y < p.Height; y += 2)
        {
            // The second row of the pair, if there is one: its sums are dropped otherwise.
            bool pair = y + 1 < p.Height;
            for (int v = 0; v < vectors; v++)
            {
                int x0 = (first + v) * lanes, valid = Math.Min(lanes, p.Width - x0);
                TV* masks = inside + v * p.KernelW;
                TV sum0 = default, sum1 = default, sum2 = default, sum3 = default;
                TV next0 = default, next1 = default, next2 = default, next3 = default;
                for (int i = 0; i < p.KernelH; i++)
                {
                    // Output row r = y − i + pH feeds pixel row y through tap row i, and row r + 1 feeds pixel row y + 1; a row
                    // outside the output adds nothing.
                    int r = y - i + p.PadH;
                    bool firstRow = (uint)r < (uint)p.OutH, second = pair && (uint)(r + 1) < (uint)p.OutH;
                    if (!firstRow && !second) continue;
                    // The tap's element for the vector's first pixel in each channel: each tap column one row of dX̂ further and
                    // one element left.
                    float* tap0 = p.Columns + (nint)(c * kernelArea + i * p.KernelW) * p.RowStride + (nint)r * p.OutW + x0 + p.PadW;
                    float* tap1 = tap0 + channelStride, tap2 = tap1 + channelStride, tap3 = tap2 + channelStride;
                    for (int j = 0; j < p.KernelW; j++, tap0 += tapStep, tap1 += tapStep, tap2 += tapStep, tap3 += tapStep)
                    {
                        TV mask = masks[j];
                        if (firstRow)
                        {
                            sum0 = TLanes.Add(sum0, TLanes.Masked(mask, TLanes.Load(ref *tap0, 0)));
                            if (count > 1) sum1 = TLanes.Add(sum1, TLanes.Masked(mask, TLanes.Load(ref *tap1, 0)));
                            if (count > 2) sum2 = TLanes.Add(sum2, TLanes.Masked(mask, TLanes.Load(ref *tap2, 0)));
                            if (count > 3) sum3 = TLanes.Add(sum3, TLanes.Masked(mask, TLanes.Load(ref *tap3, 0)));
                        }
                        if (second)
                        {
                            next0 = TLanes.Add(next0, TLanes.Masked(mask, TLanes.Load(ref tap0[below], 0)));
                            if (count > 1) next1 = TLanes.Add(next1, TLanes.Masked(mask, TLanes.Load(ref tap1[below], 0)));
                            if (count > 2) next2 = TLanes.Add(next2, TLanes.Masked(mask, TLanes.Load(ref tap2[below], 0)));
                            if (count > 3) next3 = TLanes.Add(next3, TLanes.Masked(mask, TLanes.Load(ref tap3[below], 0)));
                        }
                    }
                }
                StoreRows<TV, TLanes>(p, c, y, x0, valid, pair, sum0, next0, image, scratch);
                if (count > 1) StoreRows<TV, TLanes>(p, c + 1, y, x0, valid, pair, sum1, next1, image, scratch);
                if (count > 2) StoreRows<TV, TLanes>(p, c + 2, y, x0, valid, pair, sum2, next2, image, scratch);
                if (count > 3) StoreRows<TV, TLanes>(p, c + 3, y, x0, valid, pair, sum3, next3, image, scratch);
            }
        }
    }

    // Pixel rows y (and y + 1 with a pair) of channel c.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreRows<TV, TLanes>(in Plan p, int c, int y, int x0, int valid, bool pair, TV sum, TV next, float* image, float* scratch)
        where TV : unmanaged
        where TLanes : struct, IFloatLanes<TV>
    {
        float* line = image + ((nint)c * p.Height + y) * p.Width + x0;
        StoreRow<TV, TLanes>(sum, line, valid, scratch);
        if (pair) StoreRow<TV, TLanes>(next, line + p.Width, valid, scratch);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreRow<TV, TLanes>(TV sum, float* line, int valid, float* scratch)
        where TV : unmanaged
        where TLanes : struct, IFloatLanes<TV>
    {
        if (valid == TLanes.Count) TLanes.Store(sum, ref *line, 0);
        else
        {
            TLanes.Store(sum, ref *scratch, 0);
            for (int l = 0; l < valid; l++) line[l] = scratch[l];
        }
    }
}
