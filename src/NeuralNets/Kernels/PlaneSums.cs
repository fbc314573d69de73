using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuralNets.Kernels;

/// <summary>
/// Batch normalisation's per-channel sums over the planes of <c>[N, C, spread]</c> values, in double, in one order whatever
/// the vector width: position <c>p</c> of each of a channel's planes goes to lane <c>p mod 16</c>, each lane gains its values
/// one addition at a time (sample after sample), and the sixteen lanes are then added as
/// <c>s_k = (l_k + l_{k+4}) + (l_{k+8} + l_{k+12})</c>, <c>(s_0 + s_1) + (s_2 + s_3)</c> before the sum joins <c>sums[c]</c>.
/// Each product and sum is rounded on its own (never fused), so four-double vectors, two-double vectors and one value at a
/// time give the same bits; sixteen chains keep the additions from waiting on each other, and each plane is read along
/// memory. With one value a plane it is the order of one value at a time.
/// </summary>
/// <remarks>
/// A lane starts at +0 and never becomes −0 (a sum is −0 only when both terms are), so the zeros that pad a plane's last
/// block leave every lane as it was: the vectors add a whole block where one value at a time adds only the plane's values.
/// </remarks>
internal static class PlaneSums
{
    /// <summary>The lanes of a channel's sum.</summary>
    public const int Lanes = 16;

    /// <summary>
    /// The doubles of lane storage a call over <paramref name="channels"/> channels needs: each call below takes its channels'
    /// lanes in its last argument (<c>lanes</c>, at least this long for <c>end − first</c> channels), and overwrites them.
    /// </summary>
    public static int LaneStorage(int channels) => 4 * Lanes * channels;

    /// <summary><c>sums[c] += x</c> over every value of the planes of channels <c>first</c> to <c>end</c>.</summary>
    [MethodImpl(HotPath.Options)]
    public static void Add<T>(ReadOnlySpan<T> x, int batch, int channels, int spread, int first, int end, Span<double> sums, Span<double> lanes)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        AddTerms<T, Value>(x, batch, channels, spread, first, end, [], sums, lanes);

    /// <summary><c>squares[c] += d·d</c>, <c>d = x − mean[c]</c>, over every value of the planes of channels <c>first</c> to <c>end</c>.</summary>
    [MethodImpl(HotPath.Options)]
    public static void AddSquaredDeviations<T>(ReadOnlySpan<T> x, int batch, int channels, int spread, int first, int end, ReadOnlySpan<double> mean,
        Span<double> squares, Span<double> lanes) where T : unmanaged, IFloatingPointIeee754<T> =>
        AddTerms<T, SquaredDeviation>(x, batch, channels, spread, first, end, mean, squares, lanes);

    /// <summary><c>sums[c] +=</c> the terms of every value of the planes of channels <c>first</c> to <c>end</c>, about <c>mean[c]</c> where the term has one.</summary>
    [MethodImpl(HotPath.Options)]
    private static void AddTerms<T, TTerm>(ReadOnlySpan<T> x, int batch, int channels, int spread, int first, int end, ReadOnlySpan<double> mean,
        Span<double> sums, Span<double> lanes) where T : unmanaged, IFloatingPointIeee754<T> where TTerm : struct, ITerm<TTerm>
    {
        if (IsShort(spread))
        {
            var chains = ShortPlaneChains(lanes, first, end, spread, 0);
            ReadOnlySpan<double> means = mean.IsEmpty ? [] : Spread(mean, lanes, first, end, spread, 1);
            for (int n = 0; n < batch; n++) TTerm.AddRow(ShortPlanes(x, n, channels, spread, first, end), means, chains);
            AddCombined(chains, first, end, spread, sums);
            return;
        }
        Span<double> tail = stackalloc double[Lanes];
        lanes = lanes[..((end - first) * Lanes)];
        lanes.Clear();
        for (int n = 0; n < batch; n++)
            for (int c = first; c < end; c++)
                AddPlane(ref Plane(x, n, channels, spread, c), spread, TTerm.For(mean, c), ref LanesOf(lanes, c - first, Lanes), tail);
        for (int c = first; c < end; c++) sums[c] += Combine(lanes.Slice((c - first) * Lanes, Lanes));
    }

    /// <summary>
    /// <c>sumDy[c] += g</c> and <c>sumDyXHat[c] += (g·(x − mean[c]))·inverse[c]</c> over every value of the planes of channels
    /// <c>first</c> to <c>end</c>, each sum in its own sixteen lanes.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    public static void AddGradientSums<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, int batch, int channels, int spread, int first, int end,
        ReadOnlySpan<double> mean, ReadOnlySpan<double> inverse, Span<double> sumDy, Span<double> sumDyXHat, Span<double> lanes)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (IsShort(spread))
        {
            Span<double> gradients = ShortPlaneChains(lanes, first, end, spread, 0), products = ShortPlaneChains(lanes, first, end, spread, 1);
            ReadOnlySpan<double> means = Spread(mean, lanes, first, end, spread, 2), inverses = Spread(inverse, lanes, first, end, spread, 3);
            for (int n = 0; n < batch; n++)
                ChannelRows.AddGradientSums(ShortPlanes(x, n, channels, spread, first, end), ShortPlanes(dy, n, channels, spread, first, end), means, inverses,
                    gradients, products);
            AddCombined(gradients, first, end, spread, sumDy);
            AddCombined(products, first, end, spread, sumDyXHat);
            return;
        }
        Span<double> tail = stackalloc double[2 * Lanes];
        lanes = lanes[..((end - first) * 2 * Lanes)];
        lanes.Clear();
        for (int n = 0; n < batch; n++)
            for (int c = first; c < end; c++)
                AddGradientPlane(ref Plane(x, n, channels, spread, c), ref Plane(dy, n, channels, spread, c), spread, mean[c], inverse[c],
                    ref LanesOf(lanes, c - first, 2 * Lanes), tail);
        for (int c = first; c < end; c++)
        {
            var channel = lanes.Slice((c - first) * 2 * Lanes, 2 * Lanes);
            sumDy[c] += Combine(channel[..Lanes]);
            sumDyXHat[c] += Combine(channel[Lanes..]);
        }
    }

    /// <summary>
    /// Whether planes of <paramref name="spread"/> values are shorter than a block of lanes (2×2 and 3×3 maps): each lane then
    /// gains one value a plane, position p's of each sample in turn, so each position's values of a channel form one chain,
    /// and a sample's planes of a range of channels are one run of memory. Such planes go through ChannelRows' chains, a
    /// sample's run at a time, as BatchNorm1D's rows do; each channel's chains are then its lanes (the rest +0, which a
    /// plane's padding leaves as they are). The same bits, without a block's padding and a call for every plane of a few
    /// values, which cost more than the values.
    /// </summary>
    public static bool IsShort(int spread) => spread < Lanes;

    // Sample n's values of channels first to end: one run of memory.
    private static ReadOnlySpan<T> ShortPlanes<T>(ReadOnlySpan<T> values, int n, int channels, int spread, int first, int end) =>
        values.Slice((n * channels + first) * spread, (end - first) * spread);

    // The index-th run of (end − first)·spread doubles of lane storage, cleared: one chain for each position of each channel.
    private static Span<double> ShortPlaneChains(Span<double> lanes, int first, int end, int spread, int index)
    {
        var chains = lanes.Slice(index * (end - first) * spread, (end - first) * spread);
        chains.Clear();
        return chains;
    }

    // Each channel's value repeated for each position of its plane, in the index-th run of lane storage.
    private static ReadOnlySpan<double> Spread(ReadOnlySpan<double> perChannel, Span<double> lanes, int first, int end, int spread, int index)
    {
        var spreadOut = lanes.Slice(index * (end - first) * spread, (end - first) * spread);
        for (int c = first; c < end; c++) spreadOut.Slice((c - first) * spread, spread).Fill(perChannel[c]);
        return spreadOut;
    }

    // sums[c] += each channel's chains as its sixteen lanes, the lanes past its plane +0.
    private static void AddCombined(ReadOnlySpan<double> chains, int first, int end, int spread, Span<double> sums)
    {
        Span<double> lanes = stackalloc double[Lanes];
        for (int c = first; c < end; c++)
        {
            lanes.Clear();
            chains.Slice((c - first) * spread, spread).CopyTo(lanes);
            sums[c] += Combine(lanes);
        }
    }

    // The first value of sample n's plane of channel c.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref T Plane<T>(ReadOnlySpan<T> values, int n, int channels, int spread, int c) =>
        ref Unsafe.Add(ref MemoryMarshal.GetReference(values), (n * channels + c) * spread);

    // The lanes of the channel at this index of a call's channels, each channel's a run of this many doubles.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref double LanesOf(Span<double> lanes, int index, int perChannel) =>
        ref Unsafe.Add(ref MemoryMarshal.GetReference(lanes), index * perChannel);

    /// <summary>The sixteen lanes added in the fixed order of the class remarks.</summary>
    [MethodImpl(HotPath.Options)]
    private static double Combine(ReadOnlySpan<double> lanes)
    {
        double s0 = (lanes[0] + lanes[4]) + (lanes[8] + lanes[12]), s1 = (lanes[1] + lanes[5]) + (lanes[9] + lanes[13]);
        double s2 = (lanes[2] + lanes[6]) + (lanes[10] + lanes[14]), s3 = (lanes[3] + lanes[7]) + (lanes[11] + lanes[15]);
        return (s0 + s1) + (s2 + s3);
    }

    /// <summary>What a value adds to its lane.</summary>
    private interface ITerm<TSelf> where TSelf : struct, ITerm<TSelf>
    {
        /// <summary>The term for channel c, about <c>mean[c]</c> where it has one.</summary>
        static abstract TSelf For(ReadOnlySpan<double> mean, int c);

        /// <summary>A row of short planes' terms added to their chains (ChannelRows' loop for this term), about <paramref name="means"/> spread over the positions.</summary>
        static abstract void AddRow<T>(ReadOnlySpan<T> row, ReadOnlySpan<double> means, Span<double> chains) where T : unmanaged, IFloatingPointIeee754<T>;

        double Of(double value);

        Vector256<double> Of(Vector256<double> values);

        Vector128<double> Of(Vector128<double> values);
    }

    private readonly struct Value : ITerm<Value>
    {
        public static Value For(ReadOnlySpan<double> mean, int c) => default;

        public static void AddRow<T>(ReadOnlySpan<T> row, ReadOnlySpan<double> means, Span<double> chains) where T : unmanaged, IFloatingPointIeee754<T> =>
            ChannelRows.Add(row, chains);

        public double Of(double value) => value;

        public Vector256<double> Of(Vector256<double> values) => values;

        public Vector128<double> Of(Vector128<double> values) => values;
    }

    private readonly struct SquaredDeviation(double mean) : ITerm<SquaredDeviation>
    {
        public static SquaredDeviation For(ReadOnlySpan<double> mean, int c) => new(mean[c]);

        public static void AddRow<T>(ReadOnlySpan<T> row, ReadOnlySpan<double> means, Span<double> chains) where T : unmanaged, IFloatingPointIeee754<T> =>
            ChannelRows.AddSquaredDeviations(row, means, chains);

        public double Of(double value)
        {
            double d = value - mean;
            return d * d;
        }

        public Vector256<double> Of(Vector256<double> values)
        {
            var d = values - Vector256.Create(mean);
            return d * d;
        }

        public Vector128<double> Of(Vector128<double> values)
        {
            var d = values - Vector128.Create(mean);
            return d * d;
        }
    }

    /// <summary>
    /// One plane's terms added to its channel's sixteen lanes. The samples' planes are taken one after another for every
    /// channel of a call, each channel's lanes kept in memory between them: a core then reads its channels' values of a
    /// sample along memory, where a channel's planes alone lie a sample apart (each plane a few kilobytes, a page apart),
    /// which the prefetchers followed poorly. Each lane gains its values in the same order as one channel at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddPlane<T, TTerm>(ref T plane, int spread, TTerm term, ref double lanes, Span<double> tail)
        where T : unmanaged, IFloatingPointIeee754<T> where TTerm : struct, ITerm<TTerm>
    {
        int blocks = spread / Lanes * Lanes, rest = spread - blocks;
        if (Vector256.IsHardwareAccelerated && FloatOrDouble<T>())
        {
            var (a0, a1, a2, a3) = (Vector256.LoadUnsafe(ref lanes), Vector256.LoadUnsafe(ref lanes, 4), Vector256.LoadUnsafe(ref lanes, 8), Vector256.LoadUnsafe(ref lanes, 12));
            for (int i = 0; i < blocks; i += Lanes)
            {
                a0 += term.Of(Load4(ref plane, i));
                a1 += term.Of(Load4(ref plane, i + 4));
                a2 += term.Of(Load4(ref plane, i + 8));
                a3 += term.Of(Load4(ref plane, i + 12));
            }
            if (rest != 0)
            {
                ref double t = ref MemoryMarshal.GetReference(tail);
                FillTail(ref plane, blocks, rest, term, ref t);
                a0 += Vector256.LoadUnsafe(ref t);
                a1 += Vector256.LoadUnsafe(ref t, 4);
                a2 += Vector256.LoadUnsafe(ref t, 8);
                a3 += Vector256.LoadUnsafe(ref t, 12);
            }
            a0.StoreUnsafe(ref lanes);
            a1.StoreUnsafe(ref lanes, 4);
            a2.StoreUnsafe(ref lanes, 8);
            a3.StoreUnsafe(ref lanes, 12);
            return;
        }
        if (Vector128.IsHardwareAccelerated && FloatOrDouble<T>())
        {
            var (b0, b1, b2, b3) = (Vector128.LoadUnsafe(ref lanes), Vector128.LoadUnsafe(ref lanes, 2), Vector128.LoadUnsafe(ref lanes, 4), Vector128.LoadUnsafe(ref lanes, 6));
            var (b4, b5, b6, b7) = (Vector128.LoadUnsafe(ref lanes, 8), Vector128.LoadUnsafe(ref lanes, 10), Vector128.LoadUnsafe(ref lanes, 12), Vector128.LoadUnsafe(ref lanes, 14));
            for (int i = 0; i < blocks; i += Lanes)
            {
                b0 += term.Of(Load2(ref plane, i));
                b1 += term.Of(Load2(ref plane, i + 2));
                b2 += term.Of(Load2(ref plane, i + 4));
                b3 += term.Of(Load2(ref plane, i + 6));
                b4 += term.Of(Load2(ref plane, i + 8));
                b5 += term.Of(Load2(ref plane, i + 10));
                b6 += term.Of(Load2(ref plane, i + 12));
                b7 += term.Of(Load2(ref plane, i + 14));
            }
            if (rest != 0)
            {
                ref double t = ref MemoryMarshal.GetReference(tail);
                FillTail(ref plane, blocks, rest, term, ref t);
                b0 += Vector128.LoadUnsafe(ref t);
                b1 += Vector128.LoadUnsafe(ref t, 2);
                b2 += Vector128.LoadUnsafe(ref t, 4);
                b3 += Vector128.LoadUnsafe(ref t, 6);
                b4 += Vector128.LoadUnsafe(ref t, 8);
                b5 += Vector128.LoadUnsafe(ref t, 10);
                b6 += Vector128.LoadUnsafe(ref t, 12);
                b7 += Vector128.LoadUnsafe(ref t, 14);
            }
            b0.StoreUnsafe(ref lanes);
            b1.StoreUnsafe(ref lanes, 2);
            b2.StoreUnsafe(ref lanes, 4);
            b3.StoreUnsafe(ref lanes, 6);
            b4.StoreUnsafe(ref lanes, 8);
            b5.StoreUnsafe(ref lanes, 10);
            b6.StoreUnsafe(ref lanes, 12);
            b7.StoreUnsafe(ref lanes, 14);
            return;
        }
        for (int i = 0; i < spread; i++) Unsafe.Add(ref lanes, i % Lanes) += term.Of(double.CreateTruncating(Unsafe.Add(ref plane, i)));
    }

    /// <summary>The terms of a plane's last <paramref name="rest"/> values, from <paramref name="start"/>, then zeros.</summary>
    /// <remarks>Inlined, with no call inside: a call in the loop over samples made the JIT keep the accumulators in memory.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FillTail<T, TTerm>(ref T plane, int start, int rest, TTerm term, ref double tail)
        where T : unmanaged, IFloatingPointIeee754<T> where TTerm : struct, ITerm<TTerm>
    {
        for (int j = 0; j < Lanes; j += 2) Vector128<double>.Zero.StoreUnsafe(ref tail, (nuint)j);
        for (int j = 0; j < rest; j++) Unsafe.Add(ref tail, j) = term.Of(double.CreateTruncating(Unsafe.Add(ref plane, start + j)));
    }

    /// <summary>One plane's gradient terms added to its channel's lanes (<see cref="AddPlane"/>): Σg in the first sixteen, Σg·x̂ in the next.</summary>
    /// <remarks>Called once a plane, not inlined: the JIT declines to inline a body this large, and left to the tiers its first
    /// code was the unoptimised one (a backward pass three times as long).</remarks>
    [MethodImpl(HotPath.Options)]
    private static void AddGradientPlane<T>(ref T plane, ref T gradient, int spread, double mean, double inverse, ref double lanes, Span<double> tail)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int blocks = spread / Lanes * Lanes, rest = spread - blocks;
        if (Vector256.IsHardwareAccelerated && FloatOrDouble<T>())
        {
            var (m, v) = (Vector256.Create(mean), Vector256.Create(inverse));
            var (a0, a1, a2, a3) = (Vector256.LoadUnsafe(ref lanes), Vector256.LoadUnsafe(ref lanes, 4), Vector256.LoadUnsafe(ref lanes, 8), Vector256.LoadUnsafe(ref lanes, 12));
            var (b0, b1, b2, b3) = (Vector256.LoadUnsafe(ref lanes, 16), Vector256.LoadUnsafe(ref lanes, 20), Vector256.LoadUnsafe(ref lanes, 24), Vector256.LoadUnsafe(ref lanes, 28));
            for (int i = 0; i < blocks; i += Lanes)
            {
                var (g0, g1, g2, g3) = (Load4(ref gradient, i), Load4(ref gradient, i + 4), Load4(ref gradient, i + 8), Load4(ref gradient, i + 12));
                a0 += g0;
                a1 += g1;
                a2 += g2;
                a3 += g3;
                b0 += g0 * (Load4(ref plane, i) - m) * v;
                b1 += g1 * (Load4(ref plane, i + 4) - m) * v;
                b2 += g2 * (Load4(ref plane, i + 8) - m) * v;
                b3 += g3 * (Load4(ref plane, i + 12) - m) * v;
            }
            if (rest != 0)
            {
                ref double t = ref MemoryMarshal.GetReference(tail);
                FillGradientTail(ref plane, ref gradient, blocks, rest, mean, inverse, ref t);
                a0 += Vector256.LoadUnsafe(ref t);
                a1 += Vector256.LoadUnsafe(ref t, 4);
                a2 += Vector256.LoadUnsafe(ref t, 8);
                a3 += Vector256.LoadUnsafe(ref t, 12);
                b0 += Vector256.LoadUnsafe(ref t, 16);
                b1 += Vector256.LoadUnsafe(ref t, 20);
                b2 += Vector256.LoadUnsafe(ref t, 24);
                b3 += Vector256.LoadUnsafe(ref t, 28);
            }
            a0.StoreUnsafe(ref lanes);
            a1.StoreUnsafe(ref lanes, 4);
            a2.StoreUnsafe(ref lanes, 8);
            a3.StoreUnsafe(ref lanes, 12);
            b0.StoreUnsafe(ref lanes, 16);
            b1.StoreUnsafe(ref lanes, 20);
            b2.StoreUnsafe(ref lanes, 24);
            b3.StoreUnsafe(ref lanes, 28);
            return;
        }
        if (Vector128.IsHardwareAccelerated && FloatOrDouble<T>())
        {
            // Sixteen two-double accumulators: ARM64 has thirty-two vector registers (x86 without 256-bit vectors spills some).
            var (m, v) = (Vector128.Create(mean), Vector128.Create(inverse));
            var (a0, a1, a2, a3) = (Vector128.LoadUnsafe(ref lanes), Vector128.LoadUnsafe(ref lanes, 2), Vector128.LoadUnsafe(ref lanes, 4), Vector128.LoadUnsafe(ref lanes, 6));
            var (a4, a5, a6, a7) = (Vector128.LoadUnsafe(ref lanes, 8), Vector128.LoadUnsafe(ref lanes, 10), Vector128.LoadUnsafe(ref lanes, 12), Vector128.LoadUnsafe(ref lanes, 14));
            var (b0, b1, b2, b3) = (Vector128.LoadUnsafe(ref lanes, 16), Vector128.LoadUnsafe(ref lanes, 18), Vector128.LoadUnsafe(ref lanes, 20), Vector128.LoadUnsafe(ref lanes, 22));
            var (b4, b5, b6, b7) = (Vector128.LoadUnsafe(ref lanes, 24), Vector128.LoadUnsafe(ref lanes, 26), Vector128.LoadUnsafe(ref lanes, 28), Vector128.LoadUnsafe(ref lanes, 30));
            for (int i = 0; i < blocks; i += Lanes)
            {
                var (g0, g1, g2, g3) = (Load2(ref gradient, i), Load2(ref gradient, i + 2), Load2(ref gradient, i + 4), Load2(ref gradient, i + 6));
                var (g4, g5, g6, g7) = (Load2(ref gradient, i + 8), Load2(ref gradient, i + 10), Load2(ref gradient, i + 12), Load2(ref gradient, i + 14));
                (a0, a1, a2, a3, a4, a5, a6, a7) = (a0 + g0, a1 + g1, a2 + g2, a3 + g3, a4 + g4, a5 + g5, a6 + g6, a7 + g7);
                b0 += g0 * (Load2(ref plane, i) - m) * v;
                b1 += g1 * (Load2(ref plane, i + 2) - m) * v;
                b2 += g2 * (Load2(ref plane, i + 4) - m) * v;
                b3 += g3 * (Load2(ref plane, i + 6) - m) * v;
                b4 += g4 * (Load2(ref plane, i + 8) - m) * v;
                b5 += g5 * (Load2(ref plane, i + 10) - m) * v;
                b6 += g6 * (Load2(ref plane, i + 12) - m) * v;
                b7 += g7 * (Load2(ref plane, i + 14) - m) * v;
            }
            if (rest != 0)
            {
                ref double t = ref MemoryMarshal.GetReference(tail);
                FillGradientTail(ref plane, ref gradient, blocks, rest, mean, inverse, ref t);
                (a0, a1, a2, a3) = (a0 + Vector128.LoadUnsafe(ref t), a1 + Vector128.LoadUnsafe(ref t, 2), a2 + Vector128.LoadUnsafe(ref t, 4), a3 + Vector128.LoadUnsafe(ref t, 6));
                (a4, a5, a6, a7) = (a4 + Vector128.LoadUnsafe(ref t, 8), a5 + Vector128.LoadUnsafe(ref t, 10), a6 + Vector128.LoadUnsafe(ref t, 12), a7 + Vector128.LoadUnsafe(ref t, 14));
                (b0, b1, b2, b3) = (b0 + Vector128.LoadUnsafe(ref t, 16), b1 + Vector128.LoadUnsafe(ref t, 18), b2 + Vector128.LoadUnsafe(ref t, 20), b3 + Vector128.LoadUnsafe(ref t, 22));
                (b4, b5, b6, b7) = (b4 + Vector128.LoadUnsafe(ref t, 24), b5 + Vector128.LoadUnsafe(ref t, 26), b6 + Vector128.LoadUnsafe(ref t, 28), b7 + Vector128.LoadUnsafe(ref t, 30));
            }
            a0.StoreUnsafe(ref lanes);
            a1.StoreUnsafe(ref lanes, 2);
            a2.StoreUnsafe(ref lanes, 4);
            a3.StoreUnsafe(ref lanes, 6);
            a4.StoreUnsafe(ref lanes, 8);
            a5.StoreUnsafe(ref lanes, 10);
            a6.StoreUnsafe(ref lanes, 12);
            a7.StoreUnsafe(ref lanes, 14);
            b0.StoreUnsafe(ref lanes, 16);
            b1.StoreUnsafe(ref lanes, 18);
            b2.StoreUnsafe(ref lanes, 20);
            b3.StoreUnsafe(ref lanes, 22);
            b4.StoreUnsafe(ref lanes, 24);
            b5.StoreUnsafe(ref lanes, 26);
            b6.StoreUnsafe(ref lanes, 28);
            b7.StoreUnsafe(ref lanes, 30);
            return;
        }
        for (int i = 0; i < spread; i++)
        {
            double g = double.CreateTruncating(Unsafe.Add(ref gradient, i));
            Unsafe.Add(ref lanes, i % Lanes) += g;
            Unsafe.Add(ref lanes, Lanes + i % Lanes) += g * (double.CreateTruncating(Unsafe.Add(ref plane, i)) - mean) * inverse;
        }
    }

    /// <summary>The gradient terms of a plane's last <paramref name="rest"/> values, from <paramref name="start"/>, then zeros: g in the first sixteen, g·x̂ in the next.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FillGradientTail<T>(ref T plane, ref T gradient, int start, int rest, double mean, double inverse, ref double tail)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int j = 0; j < 2 * Lanes; j += 2) Vector128<double>.Zero.StoreUnsafe(ref tail, (nuint)j);
        for (int j = 0; j < rest; j++)
        {
            double g = double.CreateTruncating(Unsafe.Add(ref gradient, start + j));
            Unsafe.Add(ref tail, j) = g;
            Unsafe.Add(ref tail, Lanes + j) = g * (double.CreateTruncating(Unsafe.Add(ref plane, start + j)) - mean) * inverse;
        }
    }

    // Inlined, so that the type test folds away: left a call, it was made for every plane.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool FloatOrDouble<T>() => typeof(T) == typeof(float) || typeof(T) == typeof(double);

    // Elements i to i + 3 of a float or double plane, as doubles (a float widens exactly).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Load4<T>(ref T plane, int i)
    {
        if (typeof(T) == typeof(double)) return Vector256.LoadUnsafe(ref Unsafe.As<T, double>(ref plane), (nuint)i);
        return Vector256.WidenLower(Vector128.LoadUnsafe(ref Unsafe.As<T, float>(ref plane), (nuint)i).ToVector256Unsafe());
    }

    // Elements i and i + 1 of a float or double plane, as doubles.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> Load2<T>(ref T plane, int i)
    {
        if (typeof(T) == typeof(double)) return Vector128.LoadUnsafe(ref Unsafe.As<T, double>(ref plane), (nuint)i);
        ref float value = ref Unsafe.Add(ref Unsafe.As<T, float>(ref plane), i);
        return Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<double>(ref Unsafe.As<float, byte>(ref value))).AsSingle());
    }
}
