using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralNets.Kernels;

/// <summary>In-register transposes of one 256-bit square (8×8 floats or 4×4 doubles), for packing Bᵀ, and of a whole matrix.</summary>
internal static unsafe class Transpose
{
    /// <summary>
    /// Effectively computes <c>target[q·rows + r] = source[r·columns + q]</c>: the rows×columns matrix at
    /// <paramref name="source"/> written transposed (columns×rows) to <paramref name="target"/>, square by square where
    /// the CPU has AVX. T is float or double.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    public static void Matrix<T>(T* source, int rows, int columns, T* target) where T : unmanaged
    {
        int side = 32 / sizeof(T);
        int fullRows = Avx.IsSupported ? rows - rows % side : 0, fullColumns = columns - columns % side;
        int r = 0;
        for (; r + 2 * side <= fullRows; r += 2 * side)
        {
            // Two squares down at a time: each 64-byte line of the target is written whole, at once. One square at a
            // time wrote half a line and came back for the other half a whole row of squares later, by when a target
            // whose rows lie a power of two apart had lost the line from its few cache sets.
            for (int q = 0; q < fullColumns; q += side)
            {
                Square(source + (nint)r * columns + q, columns, target + (nint)q * rows + r, rows);
                Square(source + (nint)(r + side) * columns + q, columns, target + (nint)q * rows + r + side, rows);
            }
            for (int q = fullColumns; q < columns; q++)
                for (int e = r; e < r + 2 * side; e++) target[(nint)q * rows + e] = source[(nint)e * columns + q];
        }
        for (; r < fullRows; r += side)
        {
            for (int q = 0; q < fullColumns; q += side)
                Square(source + (nint)r * columns + q, columns, target + (nint)q * rows + r, rows);
            for (int q = fullColumns; q < columns; q++)
                for (int e = r; e < r + side; e++) target[(nint)q * rows + e] = source[(nint)e * columns + q];
        }
        for (r = fullRows; r < rows; r++)
            for (int q = 0; q < columns; q++) target[(nint)q * rows + r] = source[(nint)r * columns + q];
    }

    /// <summary>
    /// Effectively computes <c>target[q·targetStride + r] = source[r·sourceStride + q]</c> for the
    /// square of side 32 / sizeof(T). Requires AVX; T is float or double.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Square<T>(T* source, nint sourceStride, T* target, nint targetStride) where T : unmanaged
    {
        if (typeof(T) == typeof(float)) Square8((float*)source, sourceStride, (float*)target, targetStride);
        else Square4((double*)source, sourceStride, (double*)target, targetStride);
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
