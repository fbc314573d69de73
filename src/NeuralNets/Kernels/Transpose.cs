using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace NeuralNets.Kernels;

/// <summary>
/// In-register transposes of one square (with AVX, 256-bit rows: 8×8 floats or 4×4 doubles; on ARM64, 128-bit rows: 4×4
/// floats or 2×2 doubles), for packing Bᵀ and a convolution's output gradient, and of a whole matrix. Copies: the same
/// values whichever square the CPU has, or none.
/// </summary>
internal static unsafe class Transpose
{
    /// <summary>
    /// Effectively computes <c>target[q·rows + r] = source[r·columns + q]</c>: the rows×columns matrix at
    /// <paramref name="source"/> written transposed (columns×rows) to <paramref name="target"/>, square by square where
    /// the CPU has them (<see cref="Side{T}"/>), element by element elsewhere. T is float or double.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    public static void Matrix<T>(T* source, int rows, int columns, T* target) where T : unmanaged
        => Matrix(source, rows, columns, columns, target, rows);

    /// <summary>
    /// The same within larger matrices: <c>target[q·targetStride + r] = source[r·sourceStride + q]</c> for the first
    /// <paramref name="rows"/> rows and <paramref name="columns"/> columns of a source whose rows lie
    /// <paramref name="sourceStride"/> apart, into a target whose rows lie <paramref name="targetStride"/> apart.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    public static void Matrix<T>(T* source, int rows, int columns, nint sourceStride, T* target, nint targetStride) where T : unmanaged
    {
        int side = Side<T>();
        int fullRows = side > 0 ? rows - rows % side : 0, fullColumns = side > 0 ? columns - columns % side : 0;
        int r = 0;
        for (; side > 0 && r + 2 * side <= fullRows; r += 2 * side)
        {
            // Two squares down at a time: each 64-byte line of the target is written whole, at once. One square at a
            // time wrote half a line and came back for the other half a whole row of squares later, by when a target
            // whose rows lie a power of two apart had lost the line from its few cache sets.
            for (int q = 0; q < fullColumns; q += side)
            {
                Square(source + r * sourceStride + q, sourceStride, target + q * targetStride + r, targetStride);
                Square(source + (r + side) * sourceStride + q, sourceStride, target + q * targetStride + r + side, targetStride);
            }
            for (int q = fullColumns; q < columns; q++)
                for (int e = r; e < r + 2 * side; e++) target[q * targetStride + e] = source[e * sourceStride + q];
        }
        for (; r < fullRows; r += side)
        {
            for (int q = 0; q < fullColumns; q += side)
                Square(source + r * sourceStride + q, sourceStride, target + q * targetStride + r, targetStride);
            for (int q = fullColumns; q < columns; q++)
                for (int e = r; e < r + side; e++) target[q * targetStride + e] = source[e * sourceStride + q];
        }
        for (r = fullRows; r < rows; r++)
            for (int q = 0; q < columns; q++) target[q * targetStride + r] = source[r * sourceStride + q];
    }

    /// <summary>The side of the square <see cref="Square{T}"/> transposes on this CPU (T float or double), or 0 where it has no vectors for it.</summary>
    public static int Side<T>() where T : unmanaged => Avx.IsSupported ? 32 / sizeof(T) : AdvSimd.Arm64.IsSupported ? 16 / sizeof(T) : 0;

    /// <summary>
    /// Effectively computes <c>target[q·targetStride + r] = source[r·sourceStride + q]</c> for the
    /// square of side <see cref="Side{T}"/>, which must not be 0; T is float or double.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Square<T>(T* source, nint sourceStride, T* target, nint targetStride) where T : unmanaged
    {
        if (Avx.IsSupported)
        {
            if (typeof(T) == typeof(float)) Square8((float*)source, sourceStride, (float*)target, targetStride);
            else Square4((double*)source, sourceStride, (double*)target, targetStride);
        }
        else if (typeof(T) == typeof(float)) Square4Arm((float*)source, sourceStride, (float*)target, targetStride);
        else Square2Arm((double*)source, sourceStride, (double*)target, targetStride);
    }

    // trn1/trn2 pair the rows' even and odd elements, then the same on 64-bit halves joins the pairs into whole columns.
    [MethodImpl(HotPath.Options)]
    private static void Square4Arm(float* s, nint ss, float* t, nint ts)
    {
        var r0 = AdvSimd.LoadVector128(s);
        var r1 = AdvSimd.LoadVector128(s + ss);
        var r2 = AdvSimd.LoadVector128(s + 2 * ss);
        var r3 = AdvSimd.LoadVector128(s + 3 * ss);
        var t0 = AdvSimd.Arm64.TransposeEven(r0, r1).AsUInt64(); // a0 b0 a2 b2
        var t1 = AdvSimd.Arm64.TransposeOdd(r0, r1).AsUInt64();  // a1 b1 a3 b3
        var t2 = AdvSimd.Arm64.TransposeEven(r2, r3).AsUInt64(); // c0 d0 c2 d2
        var t3 = AdvSimd.Arm64.TransposeOdd(r2, r3).AsUInt64();  // c1 d1 c3 d3
        AdvSimd.Store(t, AdvSimd.Arm64.TransposeEven(t0, t2).AsSingle());
        AdvSimd.Store(t + ts, AdvSimd.Arm64.TransposeEven(t1, t3).AsSingle());
        AdvSimd.Store(t + 2 * ts, AdvSimd.Arm64.TransposeOdd(t0, t2).AsSingle());
        AdvSimd.Store(t + 3 * ts, AdvSimd.Arm64.TransposeOdd(t1, t3).AsSingle());
    }

    [MethodImpl(HotPath.Options)]
    private static void Square2Arm(double* s, nint ss, double* t, nint ts)
    {
        var r0 = AdvSimd.LoadVector128(s);
        var r1 = AdvSimd.LoadVector128(s + ss);
        AdvSimd.Store(t, AdvSimd.Arm64.TransposeEven(r0, r1));
        AdvSimd.Store(t + ts, AdvSimd.Arm64.TransposeOdd(r0, r1));
    }

    [MethodImpl(HotPath.Options)]
    private static void Square8(float* s, nint ss, float* t, nint ts)
    {
        var r0 = Avx.LoadVector256(s);
        var r1 = Avx.LoadVector256(s + ss);
        var r2 = Avx.LoadVector256(s + 2 * ss);
        var r3 = Avx.LoadVector256(s + 3 * ss);
        var r4 = Avx.LoadVector256(s + 4 * ss);
        var r5 = Avx.LoadVector256(s + 5 * ss);
        var r6 = Avx.LoadVector256(s + 6 * ss);
        var r7 = Avx.LoadVector256(s + 7 * ss);
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44);
        var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44);
        var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44);
        var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44);
        var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(t, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(t + ts, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(t + 2 * ts, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(t + 3 * ts, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(t + 4 * ts, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(t + 5 * ts, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(t + 6 * ts, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(t + 7 * ts, Avx.Permute2x128(u3, u7, 0x31));
    }

    [MethodImpl(HotPath.Options)]
    private static void Square4(double* s, nint ss, double* t, nint ts)
    {
        var r0 = Avx.LoadVector256(s);
        var r1 = Avx.LoadVector256(s + ss);
        var r2 = Avx.LoadVector256(s + 2 * ss);
        var r3 = Avx.LoadVector256(s + 3 * ss);
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        Avx.Store(t, Avx.Permute2x128(t0, t2, 0x20));
        Avx.Store(t + ts, Avx.Permute2x128(t1, t3, 0x20));
        Avx.Store(t + 2 * ts, Avx.Permute2x128(t0, t2, 0x31));
        Avx.Store(t + 3 * ts, Avx.Permute2x128(t1, t3, 0x31));
    }
}
