using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace NeuralNets.Kernels;

/// <summary>
/// ln x over a span, a vector of doubles at a time: each lane takes exactly the scalar form's steps (the same IEEE
/// operations and fused multiply-adds in the same order), so the bits are those of <see cref="Of(double)"/>. A vector with
/// a lane outside the positive normal doubles (zero, negative, infinite, NaN, subnormal) is done by the scalar form.
/// </summary>
internal static partial class Logarithm
{
    private const double SmallestNormal = 2.2250738585072014e-308;

    /// <summary>y[i] = ln x[i]; x and y may be the same span.</summary>
    [MethodImpl(HotPath.Options)]
    public static void Compute<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (y.Length < x.Length) throw KernelErrors.OutputTooShort("Logarithm", x.Length, y.Length);
        int i = 0;
        // Vectors only where the hardware fuses the multiply-adds (a software FMA per lane would be slower than the
        // scalar form) and where no test narrowed the kernels below Vector<T>'s width.
        if (Vector.IsHardwareAccelerated && (Fma.IsSupported || AdvSimd.IsSupported) && KernelWidth.Exact >= Vector<byte>.Count * 8)
        {
            if (typeof(T) == typeof(double))
            {
                var source = MemoryMarshal.Cast<T, double>(x);
                var target = MemoryMarshal.Cast<T, double>(y);
                for (; i + Vector<double>.Count <= x.Length; i += Vector<double>.Count)
                    Of(new Vector<double>(source[i..])).CopyTo(target[i..]);
            }
            else if (typeof(T) == typeof(float))
            {
                var source = MemoryMarshal.Cast<T, float>(x);
                var target = MemoryMarshal.Cast<T, float>(y);
                for (; i + Vector<float>.Count <= x.Length; i += Vector<float>.Count)
                {
                    // Widened exactly; each result rounded to float once, as the scalar form's cast rounds it.
                    Vector.Widen(new Vector<float>(source[i..]), out var low, out var high);
                    Vector.Narrow(Of(low), Of(high)).CopyTo(target[i..]);
                }
            }
        }
        for (; i < x.Length; i++) y[i] = Of(x[i]);
    }

    [MethodImpl(HotPath.Options)]
    private static Vector<double> Of(Vector<double> x)
    {
        if (!Vector.GreaterThanOrEqualAll(x, new Vector<double>(SmallestNormal)) || !Vector.LessThanOrEqualAll(x, new Vector<double>(double.MaxValue)))
            return LaneByLane(x);
        var bits = Vector.AsVectorInt64(x);
        // The biased exponent placed in the low bits of 2^52: subtracting 2^52 + 1023 leaves e exactly, as a double.
        var e = Vector.AsVectorDouble(Vector.ShiftRightLogical(bits, 52) | new Vector<long>(0x4330_0000_0000_0000)) - new Vector<double>(4503599627370496.0 + 1023);
        var m = Vector.AsVectorDouble((bits & new Vector<long>(0x000F_FFFF_FFFF_FFFF)) | new Vector<long>(0x3FF0_0000_0000_0000));
        var above = Vector.GreaterThan(m, new Vector<double>(Sqrt2));
        m = Vector.ConditionalSelect(above, m * new Vector<double>(0.5), m);
        e = Vector.ConditionalSelect(above, e + Vector<double>.One, e);
        var f = m - Vector<double>.One;
        var s = f / (new Vector<double>(2) + f);
        var z = s * s;
        // The scalar form's loop, k = 21, 19, …, 3, written out over constants: a loop over an array of them kept the
        // running value on the stack between steps, and the rare lanes' fallback below put a frame around every call.
        var series = new Vector<double>(1.0 / 23);
        series = Vector.FusedMultiplyAdd(series, z, new Vector<double>(1.0 / 21));
        series = Vector.FusedMultiplyAdd(series, z, new Vector<double>(1.0 / 19));
        series = Vector.FusedMultiplyAdd(series, z, new Vector<double>(1.0 / 17));
        series = Vector.FusedMultiplyAdd(series, z, new Vector<double>(1.0 / 15));
        series = Vector.FusedMultiplyAdd(series, z, new Vector<double>(1.0 / 13));
        series = Vector.FusedMultiplyAdd(series, z, new Vector<double>(1.0 / 11));
        series = Vector.FusedMultiplyAdd(series, z, new Vector<double>(1.0 / 9));
        series = Vector.FusedMultiplyAdd(series, z, new Vector<double>(1.0 / 7));
        series = Vector.FusedMultiplyAdd(series, z, new Vector<double>(1.0 / 5));
        series = Vector.FusedMultiplyAdd(series, z, new Vector<double>(1.0 / 3));
        var twoS = new Vector<double>(2) * s;
        var lnM = Vector.FusedMultiplyAdd(twoS * z, series, twoS);
        return Vector.FusedMultiplyAdd(e, new Vector<double>(Ln2High), Vector.FusedMultiplyAdd(e, new Vector<double>(Ln2Low), lnM));
    }

    /// <summary>A vector with a lane outside the positive normal doubles: every lane by the scalar form.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector<double> LaneByLane(Vector<double> x)
    {
        Span<double> lanes = stackalloc double[Vector<double>.Count];
        x.CopyTo(lanes);
        for (int lane = 0; lane < lanes.Length; lane++) lanes[lane] = Of(lanes[lane]);
        return new Vector<double>(lanes);
    }
}
