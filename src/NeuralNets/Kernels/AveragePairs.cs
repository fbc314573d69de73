using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace NeuralNets.Kernels;

/// <summary>
/// Average pooling's 2×2, stride-2 windows over float planes, several windows a vector: each window's value is
/// <c>((0 + (a + b)) + (c + d))·scale</c> (a, b its upper pair, c, d its lower), and in the backward pass each input of a
/// window receives <c>0 + dy·scale</c>. These are the bits of the layer's one-window-at-a-time loop, which adds each row's
/// pair to zero first (<c>(0 + a) + b</c>): that leading zero only turns a −0 into +0, and the outer <c>0 + …</c> does the
/// same to the pair's sum, so a pair added without it (a horizontal add: one instruction for four pairs on x86 and ARM64)
/// gives the same window value.
/// </summary>
internal static class AveragePairs
{
    /// <summary>Whether this CPU has the vector pairs (x86's horizontal add, ARM64's pairwise add).</summary>
    public static bool IsSupported => Sse3.IsSupported || AdvSimd.Arm64.IsSupported;

    /// <summary>
    /// One row of windows: <paramref name="windows"/> values of <c>((0 + (u[2q] + u[2q+1])) + (l[2q] + l[2q+1]))·scale</c> into
    /// <paramref name="y"/>, from the upper row <paramref name="upper"/> and the lower row <paramref name="lower"/>. At
    /// least four windows; the last group of a row that is not a multiple of the group overlaps the one before (same values).
    /// </summary>
    [MethodImpl(HotPath.Options)]
    public static unsafe void Forward(float* upper, float* lower, float* y, int windows, float scale)
    {
        int q = 0;
        if (Avx2.IsSupported && windows >= 8)
        {
            var s8 = Vector256.Create(scale);
            for (; q < windows; q += 8)
            {
                if (q + 8 > windows) q = windows - 8;
                // Within each 128-bit half: windows 0, 1, 4, 5 and 2, 3, 6, 7 of the eight; one permutation puts them in order.
                var top = Avx.HorizontalAdd(Avx.LoadVector256(upper + 2 * q), Avx.LoadVector256(upper + 2 * q + 8));
                var bottom = Avx.HorizontalAdd(Avx.LoadVector256(lower + 2 * q), Avx.LoadVector256(lower + 2 * q + 8));
                var sums = (Vector256<float>.Zero + top + bottom) * s8;
                Avx2.Permute4x64(sums.AsDouble(), 0b11_01_10_00).AsSingle().Store(y + q);
            }
            return;
        }
        var s4 = Vector128.Create(scale);
        for (; q < windows; q += 4)
        {
            if (q + 4 > windows) q = windows - 4;
            var top = Pairs(Vector128.Load(upper + 2 * q), Vector128.Load(upper + 2 * q + 4));
            var bottom = Pairs(Vector128.Load(lower + 2 * q), Vector128.Load(lower + 2 * q + 4));
            ((Vector128<float>.Zero + top + bottom) * s4).Store(y + q);
        }
    }

    /// <summary>
    /// One row of windows' input gradients: <c>0 + dy[q]·scale</c> into both inputs of window q's upper pair (row
    /// <paramref name="upper"/>) and lower pair (row <paramref name="lower"/>). At least four windows; overlapping last group.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    public static unsafe void Backward(float* dy, float* upper, float* lower, int windows, float scale)
    {
        int q = 0;
        if (Vector256.IsHardwareAccelerated && windows >= 8)
        {
            var s8 = Vector256.Create(scale);
            var firstFour = Vector256.Create(0, 0, 1, 1, 2, 2, 3, 3);
            var lastFour = Vector256.Create(4, 4, 5, 5, 6, 6, 7, 7);
            for (; q < windows; q += 8)
            {
                if (q + 8 > windows) q = windows - 8;
                var shares = Vector256<float>.Zero + Vector256.Load(dy + q) * s8;
                var low = Vector256.Shuffle(shares, firstFour);
                var high = Vector256.Shuffle(shares, lastFour);
                low.Store(upper + 2 * q);
                high.Store(upper + 2 * q + 8);
                low.Store(lower + 2 * q);
                high.Store(lower + 2 * q + 8);
            }
            return;
        }
        var s4 = Vector128.Create(scale);
        var firstTwo = Vector128.Create(0, 0, 1, 1);
        var lastTwo = Vector128.Create(2, 2, 3, 3);
        for (; q < windows; q += 4)
        {
            if (q + 4 > windows) q = windows - 4;
            var shares = Vector128<float>.Zero + Vector128.Load(dy + q) * s4;
            var low = Vector128.Shuffle(shares, firstTwo);
            var high = Vector128.Shuffle(shares, lastTwo);
            low.Store(upper + 2 * q);
            high.Store(upper + 2 * q + 4);
            low.Store(lower + 2 * q);
            high.Store(lower + 2 * q + 4);
        }
    }

    // (a0 + a1, a2 + a3, b0 + b1, b2 + b3).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Pairs(Vector128<float> a, Vector128<float> b) =>
        Sse3.IsSupported ? Sse3.HorizontalAdd(a, b) : AdvSimd.Arm64.AddPairwise(a, b);
}
