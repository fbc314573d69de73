using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralNets.Kernels;

/// <summary>
/// Per-row maxima, sums and scalings of a batch of short rows (softmax cross-entropy's ten classes), four rows side by
/// side: each row's chain runs in the row's own order, exactly as one row at a time did, but the four chains are
/// independent, so the CPU overlaps them. One row at a time, each maximum and sum was a chain of dependent steps that
/// the next row waited behind (about 40 cycles a row for ten classes, the adds' latency).
/// </summary>
/// <remarks>Vectors across rows would need the rows' elements gathered a class at a time; on a CPU whose gathers are
/// microcoded (Ice Lake with its data-sampling fix) that was slower than the plain loop.</remarks>
internal static class ShortRowReductions
{
    /// <summary>
    /// <c>maxima[n] = max(z[n, 0], …, z[n, classes − 1])</c> (the hardware maximum, left to right: a NaN in the row
    /// reaches the loss through the shift) and <c>shifted[n, c] = z[n, c] − maxima[n]</c>.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    public static void MaximaAndShifted<T>(ReadOnlySpan<T> z, int classes, Span<T> maxima, Span<T> shifted) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = maxima.Length, n = 0;
        Check(z.Length, classes, rows, shifted.Length);
        ref T zs = ref MemoryMarshal.GetReference(z), ts = ref MemoryMarshal.GetReference(shifted);
        for (; n + 4 <= rows; n += 4)
        {
            ref T r0 = ref Unsafe.Add(ref zs, n * classes);
            ref T r1 = ref Unsafe.Add(ref r0, classes);
            ref T r2 = ref Unsafe.Add(ref r1, classes);
            ref T r3 = ref Unsafe.Add(ref r2, classes);
            T m0 = r0, m1 = r1, m2 = r2, m3 = r3;
            for (int c = 1; c < classes; c++)
            {
                m0 = T.MaxNative(m0, Unsafe.Add(ref r0, c));
                m1 = T.MaxNative(m1, Unsafe.Add(ref r1, c));
                m2 = T.MaxNative(m2, Unsafe.Add(ref r2, c));
                m3 = T.MaxNative(m3, Unsafe.Add(ref r3, c));
            }
            maxima[n] = m0;
            maxima[n + 1] = m1;
            maxima[n + 2] = m2;
            maxima[n + 3] = m3;
            ref T t0 = ref Unsafe.Add(ref ts, n * classes);
            ref T t1 = ref Unsafe.Add(ref t0, classes);
            ref T t2 = ref Unsafe.Add(ref t1, classes);
            ref T t3 = ref Unsafe.Add(ref t2, classes);
            for (int c = 0; c < classes; c++)
            {
                Unsafe.Add(ref t0, c) = Unsafe.Add(ref r0, c) - m0;
                Unsafe.Add(ref t1, c) = Unsafe.Add(ref r1, c) - m1;
                Unsafe.Add(ref t2, c) = Unsafe.Add(ref r2, c) - m2;
                Unsafe.Add(ref t3, c) = Unsafe.Add(ref r3, c) - m3;
            }
        }
        for (; n < rows; n++)
        {
            ref T row = ref Unsafe.Add(ref zs, n * classes);
            T maximum = row;
            for (int c = 1; c < classes; c++) maximum = T.MaxNative(maximum, Unsafe.Add(ref row, c));
            maxima[n] = maximum;
            ref T target = ref Unsafe.Add(ref ts, n * classes);
            for (int c = 0; c < classes; c++) Unsafe.Add(ref target, c) = Unsafe.Add(ref row, c) - maximum;
        }
    }

    /// <summary><c>sums[n] = ((0 + e[n, 0]) + e[n, 1]) + … + e[n, classes − 1]</c>.</summary>
    [MethodImpl(HotPath.Options)]
    public static void Sums<T>(ReadOnlySpan<T> e, int classes, Span<T> sums) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = sums.Length, n = 0;
        Check(e.Length, classes, rows, e.Length);
        ref T es = ref MemoryMarshal.GetReference(e);
        for (; n + 4 <= rows; n += 4)
        {
            ref T r0 = ref Unsafe.Add(ref es, n * classes);
            ref T r1 = ref Unsafe.Add(ref r0, classes);
            ref T r2 = ref Unsafe.Add(ref r1, classes);
            ref T r3 = ref Unsafe.Add(ref r2, classes);
            T s0 = T.Zero, s1 = T.Zero, s2 = T.Zero, s3 = T.Zero;
            for (int c = 0; c < classes; c++)
            {
                s0 += Unsafe.Add(ref r0, c);
                s1 += Unsafe.Add(ref r1, c);
                s2 += Unsafe.Add(ref r2, c);
                s3 += Unsafe.Add(ref r3, c);
            }
            sums[n] = s0;
            sums[n + 1] = s1;
            sums[n + 2] = s2;
            sums[n + 3] = s3;
        }
        for (; n < rows; n++)
        {
            ref T row = ref Unsafe.Add(ref es, n * classes);
            T sum = T.Zero;
            for (int c = 0; c < classes; c++) sum += Unsafe.Add(ref row, c);
            sums[n] = sum;
        }
    }

    /// <summary><c>scaled[n, c] = e[n, c] · (numerator / sums[n])</c>: each row's factor divided once, as one row at a time did.</summary>
    [MethodImpl(HotPath.Options)]
    public static void ScaledByInverseSums<T>(ReadOnlySpan<T> e, int classes, ReadOnlySpan<T> sums, T numerator, Span<T> scaled) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = sums.Length, n = 0;
        Check(e.Length, classes, rows, scaled.Length);
        ref T es = ref MemoryMarshal.GetReference(e), ts = ref MemoryMarshal.GetReference(scaled);
        for (; n + 4 <= rows; n += 4)
        {
            T f0 = numerator / sums[n], f1 = numerator / sums[n + 1], f2 = numerator / sums[n + 2], f3 = numerator / sums[n + 3];
            ref T r0 = ref Unsafe.Add(ref es, n * classes);
            ref T r1 = ref Unsafe.Add(ref r0, classes);
            ref T r2 = ref Unsafe.Add(ref r1, classes);
            ref T r3 = ref Unsafe.Add(ref r2, classes);
            ref T t0 = ref Unsafe.Add(ref ts, n * classes);
            ref T t1 = ref Unsafe.Add(ref t0, classes);
            ref T t2 = ref Unsafe.Add(ref t1, classes);
            ref T t3 = ref Unsafe.Add(ref t2, classes);
            for (int c = 0; c < classes; c++)
            {
                Unsafe.Add(ref t0, c) = Unsafe.Add(ref r0, c) * f0;
                Unsafe.Add(ref t1, c) = Unsafe.Add(ref r1, c) * f1;
                Unsafe.Add(ref t2, c) = Unsafe.Add(ref r2, c) * f2;
                Unsafe.Add(ref t3, c) = Unsafe.Add(ref r3, c) * f3;
            }
        }
        for (; n < rows; n++)
        {
            T factor = numerator / sums[n];
            ref T row = ref Unsafe.Add(ref es, n * classes), target = ref Unsafe.Add(ref ts, n * classes);
            for (int c = 0; c < classes; c++) Unsafe.Add(ref target, c) = Unsafe.Add(ref row, c) * factor;
        }
    }

    [MethodImpl(HotPath.Options)]
    private static void Check(int length, int classes, int rows, int targetLength)
    {
        if (classes <= 0 || length < (long)rows * classes || targetLength < (long)rows * classes) throw KernelErrors.Lengths("{0} rows of {1} do not fit spans of {2} and {3} elements.", rows, classes, length, targetLength);
    }
}
