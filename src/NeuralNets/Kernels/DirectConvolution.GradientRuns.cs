using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NeuralNets.Kernels;

/// <summary>
/// The shape of a weight-gradient tile over runs of taps: <see cref="Runs"/> runs (kernel rows) of <see cref="Length"/> taps
/// whose offsets in the image are consecutive. A constant the compiler folds, so each shape is a tile of its own with only
/// its accumulators.
/// </summary>
internal interface ITapRuns
{
    /// <summary>Runs per tile (at most 5).</summary>
    static abstract int Runs { get; }

    /// <summary>Consecutive taps per run (at most 5).</summary>
    static abstract int Length { get; }
}

/// <summary>Five runs of five taps (a whole 5×5 kernel channel): 25 accumulators, for 32 vector registers.</summary>
internal readonly struct FiveRunsOfFive : ITapRuns
{
    /// <inheritdoc/>
    public static int Runs => 5;
    /// <inheritdoc/>
    public static int Length => 5;
}

/// <summary>Five runs of three taps (five rows of 3×3 kernels): 15 accumulators, for 32 vector registers.</summary>
internal readonly struct FiveRunsOfThree : ITapRuns
{
    /// <inheritdoc/>
    public static int Runs => 5;
    /// <inheritdoc/>
    public static int Length => 3;
}

/// <summary>Two runs of five taps: 10 accumulators, for 16 vector registers.</summary>
internal readonly struct TwoRunsOfFive : ITapRuns
{
    /// <inheritdoc/>
    public static int Runs => 2;
    /// <inheritdoc/>
    public static int Length => 5;
}

/// <summary>Four runs of three taps: 12 accumulators, for 16 vector registers.</summary>
internal readonly struct FourRunsOfThree : ITapRuns
{
    /// <inheritdoc/>
    public static int Runs => 4;
    /// <inheritdoc/>
    public static int Length => 3;
}

internal static partial class DirectConvolution
{
    /// <summary>
    /// Taps per consecutive run that the run tiles take for these tap offsets (5 or 3: the first taps' run, a kernel row
    /// of a stride-1 convolution), or 0 where the first three offsets do not run on (a dilated kernel, a kernel one or
    /// two wide): then every tile is the eight-tap one.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    private static unsafe int RunLength(int* offsets, int taps)
    {
        int run = 1;
        while (run < 5 && run < taps && offsets[run] == offsets[0] + run) run++;
        return run == 5 ? 5 : run >= 3 ? 3 : 0;
    }

    /// <summary>Whether taps <paramref name="t0"/> onwards hold <paramref name="runs"/> runs of <paramref name="length"/> consecutive offsets.</summary>
    [MethodImpl(HotPath.Options)]
    private static unsafe bool HoldsRuns(int* offsets, int taps, int t0, int runs, int length)
    {
        if (t0 + runs * length > taps) return false;
        for (int r = 0; r < runs; r++)
            for (int j = 1; j < length; j++)
                if (offsets[t0 + r * length + j] != offsets[t0 + r * length] + j) return false;
        return true;
    }

    // The eight-tap tile gives each of its eight chains one multiply-add per position, exactly what the multiply-add's
    // latency needs to keep both pipes busy, and reads eight unrelated offsets. A run tile keeps more chains (slack for the
    // loads and the loop) and reads each run's taps at fixed displacements from one offset. Each element of dW is still its
    // own chain over the positions in order, from zero: the same bits as the eight-tap tile.
    [MethodImpl(HotPath.Options | MethodImplOptions.NoInlining)]
    private static unsafe void RunsTile<TV, TLanes, TMultiplyAdd, TRuns>(in GradientShape shape, int* runStarts, int o0, TV* sums)
        where TV : unmanaged
        where TLanes : struct, IFloatLanes<TV>
        where TMultiplyAdd : struct, IMultiplyAdd
        where TRuns : struct, ITapRuns
    {
        TV s00 = default, s01 = default, s02 = default, s03 = default, s04 = default;
        TV s10 = default, s11 = default, s12 = default, s13 = default, s14 = default;
        TV s20 = default, s21 = default, s22 = default, s23 = default, s24 = default;
        TV s30 = default, s31 = default, s32 = default, s33 = default, s34 = default;
        TV s40 = default, s41 = default, s42 = default, s43 = default, s44 = default;
        int runs = TRuns.Runs, length = TRuns.Length;
        // Unused runs read the first run's offset (their sums are never stored).
        nint r0 = runStarts[0];
        nint r1 = runs > 1 ? runStarts[1] : r0, r2 = runs > 2 ? runStarts[2] : r0, r3 = runs > 3 ? runStarts[3] : r0, r4 = runs > 4 ? runStarts[4] : r0;
        int outH = shape.OutH, outW = shape.OutW, stride = shape.Stride;
        for (int n = 0; n < shape.Count; n++)
        {
            float* image = shape.Images + (nint)n * shape.PaddedLength;
            float* dy = shape.Gradients + (nint)n * outH * outW * stride + o0;
            for (int r = 0; r < outH; r++)
            {
                float* x = image + (nint)r * shape.PaddedWidth;
                int q = 0;
                // Two positions a step: each broadcast input then feeds the run's two taps that read it (tap j at q,
                // tap j − 1 at q + 1), and each chain still takes position q's multiply-add before q + 1's.
                for (; q + 1 < outW; q += 2, x += 2, dy += 2 * stride)
                {
                    TV d0 = TLanes.Load(ref *dy, 0);
                    TV d1 = TLanes.Load(ref *(dy + stride), 0);
                    var b00 = TLanes.Splat(x[r0]);
                    s00 = TLanes.MultiplyAdd<TMultiplyAdd>(b00, d0, s00);
                    var b01 = TLanes.Splat(x[r0 + 1]);
                    s01 = TLanes.MultiplyAdd<TMultiplyAdd>(b01, d0, s01);
                    s00 = TLanes.MultiplyAdd<TMultiplyAdd>(b01, d1, s00);
                    var b02 = TLanes.Splat(x[r0 + 2]);
                    s02 = TLanes.MultiplyAdd<TMultiplyAdd>(b02, d0, s02);
                    s01 = TLanes.MultiplyAdd<TMultiplyAdd>(b02, d1, s01);
                    var b03 = TLanes.Splat(x[r0 + 3]);
                    if (length > 3) s03 = TLanes.MultiplyAdd<TMultiplyAdd>(b03, d0, s03);
                    s02 = TLanes.MultiplyAdd<TMultiplyAdd>(b03, d1, s02);
                    if (length >= 4)
                    {
                        var b04 = TLanes.Splat(x[r0 + 4]);
                        if (length > 4) s04 = TLanes.MultiplyAdd<TMultiplyAdd>(b04, d0, s04);
                        if (length > 3) s03 = TLanes.MultiplyAdd<TMultiplyAdd>(b04, d1, s03);
                    }
                    if (length >= 5)
                    {
                        var b05 = TLanes.Splat(x[r0 + 5]);
                        if (length > 4) s04 = TLanes.MultiplyAdd<TMultiplyAdd>(b05, d1, s04);
                    }
                    if (runs > 1)
                    {
                        var b10 = TLanes.Splat(x[r1]);
                        s10 = TLanes.MultiplyAdd<TMultiplyAdd>(b10, d0, s10);
                        var b11 = TLanes.Splat(x[r1 + 1]);
                        s11 = TLanes.MultiplyAdd<TMultiplyAdd>(b11, d0, s11);
                        s10 = TLanes.MultiplyAdd<TMultiplyAdd>(b11, d1, s10);
                        var b12 = TLanes.Splat(x[r1 + 2]);
                        s12 = TLanes.MultiplyAdd<TMultiplyAdd>(b12, d0, s12);
                        s11 = TLanes.MultiplyAdd<TMultiplyAdd>(b12, d1, s11);
                        var b13 = TLanes.Splat(x[r1 + 3]);
                        if (length > 3) s13 = TLanes.MultiplyAdd<TMultiplyAdd>(b13, d0, s13);
                        s12 = TLanes.MultiplyAdd<TMultiplyAdd>(b13, d1, s12);
                        if (length >= 4)
                        {
                            var b14 = TLanes.Splat(x[r1 + 4]);
                            if (length > 4) s14 = TLanes.MultiplyAdd<TMultiplyAdd>(b14, d0, s14);
                            if (length > 3) s13 = TLanes.MultiplyAdd<TMultiplyAdd>(b14, d1, s13);
                        }
                        if (length >= 5)
                        {
                            var b15 = TLanes.Splat(x[r1 + 5]);
                            if (length > 4) s14 = TLanes.MultiplyAdd<TMultiplyAdd>(b15, d1, s14);
                        }
                    }
                    if (runs > 2)
                    {
                        var b20 = TLanes.Splat(x[r2]);
                        s20 = TLanes.MultiplyAdd<TMultiplyAdd>(b20, d0, s20);
                        var b21 = TLanes.Splat(x[r2 + 1]);
                        s21 = TLanes.MultiplyAdd<TMultiplyAdd>(b21, d0, s21);
                        s20 = TLanes.MultiplyAdd<TMultiplyAdd>(b21, d1, s20);
                        var b22 = TLanes.Splat(x[r2 + 2]);
                        s22 = TLanes.MultiplyAdd<TMultiplyAdd>(b22, d0, s22);
                        s21 = TLanes.MultiplyAdd<TMultiplyAdd>(b22, d1, s21);
                        var b23 = TLanes.Splat(x[r2 + 3]);
                        if (length > 3) s23 = TLanes.MultiplyAdd<TMultiplyAdd>(b23, d0, s23);
                        s22 = TLanes.MultiplyAdd<TMultiplyAdd>(b23, d1, s22);
                        if (length >= 4)
                        {
                            var b24 = TLanes.Splat(x[r2 + 4]);
                            if (length > 4) s24 = TLanes.MultiplyAdd<TMultiplyAdd>(b24, d0, s24);
                            if (length > 3) s23 = TLanes.MultiplyAdd<TMultiplyAdd>(b24, d1, s23);
                        }
                        if (length >= 5)
                        {
                            var b25 = TLanes.Splat(x[r2 + 5]);
                            if (length > 4) s24 = TLanes.MultiplyAdd<TMultiplyAdd>(b25, d1, s24);
                        }
                    }
                    if (runs > 3)
                    {
                        var b30 = TLanes.Splat(x[r3]);
                        s30 = TLanes.MultiplyAdd<TMultiplyAdd>(b30, d0, s30);
                        var b31 = TLanes.Splat(x[r3 + 1]);
                        s31 = TLanes.MultiplyAdd<TMultiplyAdd>(b31, d0, s31);
                        s30 = TLanes.MultiplyAdd<TMultiplyAdd>(b31, d1, s30);
                        var b32 = TLanes.Splat(x[r3 + 2]);
                        s32 = TLanes.MultiplyAdd<TMultiplyAdd>(b32, d0, s32);
                        s31 = TLanes.MultiplyAdd<TMultiplyAdd>(b32, d1, s31);
                        var b33 = TLanes.Splat(x[r3 + 3]);
                        if (length > 3) s33 = TLanes.MultiplyAdd<TMultiplyAdd>(b33, d0, s33);
                        s32 = TLanes.MultiplyAdd<TMultiplyAdd>(b33, d1, s32);
                        if (length >= 4)
                        {
                            var b34 = TLanes.Splat(x[r3 + 4]);
                            if (length > 4) s34 = TLanes.MultiplyAdd<TMultiplyAdd>(b34, d0, s34);
                            if (length > 3) s33 = TLanes.MultiplyAdd<TMultiplyAdd>(b34, d1, s33);
                        }
                        if (length >= 5)
                        {
                            var b35 = TLanes.Splat(x[r3 + 5]);
                            if (length > 4) s34 = TLanes.MultiplyAdd<TMultiplyAdd>(b35, d1, s34);
                        }
                    }
                    if (runs > 4)
                    {
                        var b40 = TLanes.Splat(x[r4]);
                        s40 = TLanes.MultiplyAdd<TMultiplyAdd>(b40, d0, s40);
                        var b41 = TLanes.Splat(x[r4 + 1]);
                        s41 = TLanes.MultiplyAdd<TMultiplyAdd>(b41, d0, s41);
                        s40 = TLanes.MultiplyAdd<TMultiplyAdd>(b41, d1, s40);
                        var b42 = TLanes.Splat(x[r4 + 2]);
                        s42 = TLanes.MultiplyAdd<TMultiplyAdd>(b42, d0, s42);
                        s41 = TLanes.MultiplyAdd<TMultiplyAdd>(b42, d1, s41);
                        var b43 = TLanes.Splat(x[r4 + 3]);
                        if (length > 3) s43 = TLanes.MultiplyAdd<TMultiplyAdd>(b43, d0, s43);
                        s42 = TLanes.MultiplyAdd<TMultiplyAdd>(b43, d1, s42);
                        if (length >= 4)
                        {
                            var b44 = TLanes.Splat(x[r4 + 4]);
                            if (length > 4) s44 = TLanes.MultiplyAdd<TMultiplyAdd>(b44, d0, s44);
                            if (length > 3) s43 = TLanes.MultiplyAdd<TMultiplyAdd>(b44, d1, s43);
                        }
                        if (length >= 5)
                        {
                            var b45 = TLanes.Splat(x[r4 + 5]);
                            if (length > 4) s44 = TLanes.MultiplyAdd<TMultiplyAdd>(b45, d1, s44);
                        }
                    }

                }
                if (q < outW)
                {
                    TV d = TLanes.Load(ref *dy, 0);
                    s00 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(x[r0]), d, s00);
                    s01 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(x[r0 + 1]), d, s01);
                    s02 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(x[r0 + 2]), d, s02);
                    if (length > 3) s03 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(x[r0 + 3]), d, s03);
                    if (length > 4) s04 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(x[r0 + 4]), d, s04);
                    if (runs > 1)
                    {
                        s10 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(x[r1]), d, s10);
                        s11 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(x[r1 + 1]), d, s11);
                        s12 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(x[r1 + 2]), d, s12);
                        if (length > 3) s13 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(x[r1 + 3]), d, s13);
                        if (length > 4) s14 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(x[r1 + 4]), d, s14);
                    }
                    if (runs > 2)
                    {
                        s20 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(x[r2]), d, s20);
                        s21 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(x[r2 + 1]), d, s21);
                        s22 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(x[r2 + 2]), d, s22);
                        if (length > 3) s23 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(x[r2 + 3]), d, s23);
                        if (length > 4) s24 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(x[r2 + 4]), d, s24);
                    }
                    if (runs > 3)
                    {
                        s30 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(x[r3]), d, s30);
                        s31 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(x[r3 + 1]), d, s31);
                        s32 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(x[r3 + 2]), d, s32);
                        if (length > 3) s33 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(x[r3 + 3]), d, s33);
                        if (length > 4) s34 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(x[r3 + 4]), d, s34);
                    }
                    if (runs > 4)
                    {
                        s40 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(x[r4]), d, s40);
                        s41 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(x[r4 + 1]), d, s41);
                        s42 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(x[r4 + 2]), d, s42);
                        if (length > 3) s43 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(x[r4 + 3]), d, s43);
                        if (length > 4) s44 = TLanes.MultiplyAdd<TMultiplyAdd>(TLanes.Splat(x[r4 + 4]), d, s44);
                    }
                    x++;
                    dy += stride;
                }
            }
        }
        // Run by run, each run's taps in order (tap t of run r at sums[r · length + t]).
        TV* run = sums;
        run[0] = s00; run[1] = s01; run[2] = s02;
        if (length > 3) run[3] = s03;
        if (length > 4) run[4] = s04;
        if (runs < 2) return;
        run += length;
        run[0] = s10; run[1] = s11; run[2] = s12;
        if (length > 3) run[3] = s13;
        if (length > 4) run[4] = s14;
        if (runs < 3) return;
        run += length;
        run[0] = s20; run[1] = s21; run[2] = s22;
        if (length > 3) run[3] = s23;
        if (length > 4) run[4] = s24;
        if (runs < 4) return;
        run += length;
        run[0] = s30; run[1] = s31; run[2] = s32;
        if (length > 3) run[3] = s33;
        if (length > 4) run[4] = s34;
        if (runs < 5) return;
        run += length;
        run[0] = s40; run[1] = s41; run[2] = s42;
        if (length > 3) run[3] = s43;
        if (length > 4) run[4] = s44;
    }
}
