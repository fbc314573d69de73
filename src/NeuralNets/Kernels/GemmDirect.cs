using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuralNets.Kernels;

/// <summary>
/// Matrix multiply without packing, on the calling thread: the path for products with only a
/// few rows (a batch of one, where packing B would cost more than the product) and for element
/// types or CPUs the packed kernel does not cover. Same contract as <see cref="MatrixMultiply.Compute{T}"/>.
/// </summary>
internal static class GemmDirect
{
    public static void Compute<T>(
        ReadOnlySpan<T> a, bool transposeA,
        ReadOnlySpan<T> b, bool transposeB,
        Span<T> c, int m, int n, int k, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!accumulate) c[..(m * n)].Clear();

        if (!transposeB)
        {
            // C[i,:] += op(A)[i,p] · B[p,:]: row AXPYs over contiguous rows of B.
            for (int i = 0; i < m; i++)
            {
                var rowC = c.Slice(i * n, n);
                for (int p = 0; p < k; p++)
                {
                    T alpha = transposeA ? a[p * m + i] : a[i * k + p];
                    TensorPrimitives.MultiplyAdd(b.Slice(p * n, n), alpha, rowC, rowC);
                }
            }
            return;
        }

        if (!transposeA)
        {
            // C[i,j] += dot(A[i,:], B[j,:]): both rows are contiguous.
            for (int i = 0; i < m; i++)
            {
                var rowA = a.Slice(i * k, k);
                var rowC = c.Slice(i * n, n);
                int j = 0;
                if (Vector256.IsHardwareAccelerated && (typeof(T) == typeof(float) || typeof(T) == typeof(double)))
                {
                    for (; j + 4 <= n; j += 4) DotFour(rowA, b.Slice(j * k, 4 * k), rowC.Slice(j, 4));
                }
                for (; j < n; j++) rowC[j] += TensorPrimitives.Dot(rowA, b.Slice(j * k, k));
            }
            return;
        }

        // Aᵀ·Bᵀ: rare; scalar.
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                T sum = T.Zero;
                for (int p = 0; p < k; p++) sum += a[p * m + i] * b[j * k + p];
                c[i * n + j] += sum;
            }
    }

    /// <summary>Effectively computes <c>c[r] += dot(x, rows[r·k .. (r+1)·k])</c> for four rows, reading x once per step.</summary>
    private static void DotFour<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> rows, Span<T> c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int k = x.Length, w = Vector256<T>.Count, p = 0;
        ref T xs = ref MemoryMarshal.GetReference(x);
        ref T r0 = ref MemoryMarshal.GetReference(rows);
        ref T r1 = ref Unsafe.Add(ref r0, k);
        ref T r2 = ref Unsafe.Add(ref r1, k);
        ref T r3 = ref Unsafe.Add(ref r2, k);
        Vector256<T> s0 = default, s1 = default, s2 = default, s3 = default;
        for (; p + w <= k; p += w)
        {
            var v = Vector256.LoadUnsafe(ref xs, (nuint)p);
            s0 += v * Vector256.LoadUnsafe(ref r0, (nuint)p);
            s1 += v * Vector256.LoadUnsafe(ref r1, (nuint)p);
            s2 += v * Vector256.LoadUnsafe(ref r2, (nuint)p);
            s3 += v * Vector256.LoadUnsafe(ref r3, (nuint)p);
        }
        T d0 = Vector256.Sum(s0), d1 = Vector256.Sum(s1), d2 = Vector256.Sum(s2), d3 = Vector256.Sum(s3);
        for (; p < k; p++)
        {
            T v = Unsafe.Add(ref xs, p);
            d0 += v * Unsafe.Add(ref r0, p);
            d1 += v * Unsafe.Add(ref r1, p);
            d2 += v * Unsafe.Add(ref r2, p);
            d3 += v * Unsafe.Add(ref r3, p);
        }
        c[0] += d0;
        c[1] += d1;
        c[2] += d2;
        c[3] += d3;
    }
}
