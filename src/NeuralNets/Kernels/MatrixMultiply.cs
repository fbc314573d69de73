using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralNets.Kernels;

/// <summary>
/// The one entry point for matrix multiplication: every layer calls it, so the kernel behind it
/// can be replaced without touching them. Row-major throughout.
/// </summary>
/// <remarks>
/// Effectively computes <c>C[m×n] = (accumulate ? C : 0) + op(A)[m×k] · op(B)[k×n]</c> where
/// <c>op(A)</c> is A (stored m×k) or Aᵀ (A stored k×m), likewise for B. Each element of C is
/// summed by one thread in a fixed order, so results do not depend on the thread count.
/// </remarks>
internal static class MatrixMultiply
{
    public static void Compute<T>(
        ReadOnlySpan<T> a, bool transposeA,
        ReadOnlySpan<T> b, bool transposeB,
        Span<T> c, int m, int n, int k, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (a.Length < m * k || b.Length < k * n || c.Length < m * n)
            throw new ArgumentException($"Matrix multiply of [{m}×{k}]·[{k}×{n}] given spans of {a.Length}, {b.Length} and {c.Length} elements.");
        if (!accumulate) c[..(m * n)].Clear();
        if (k == 0) return;

        if (!transposeA && transposeB)
        {
            // C[i,j] += dot(A[i,:], B[j,:]): both rows are contiguous.
            for (int i = 0; i < m; i++)
            {
                var rowA = a.Slice(i * k, k);
                var rowC = c.Slice(i * n, n);
                for (int j = 0; j < n; j++) rowC[j] += TensorPrimitives.Dot(rowA, b.Slice(j * k, k));
            }
            return;
        }

        // Otherwise C[i,:] += A(i,p) · B(p,:) as row AXPYs when B is not transposed.
        if (!transposeB)
        {
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

        // Aᵀ·Bᵀ: rare; scalar.
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                T sum = T.Zero;
                for (int p = 0; p < k; p++) sum += a[p * m + i] * b[j * k + p];
                c[i * n + j] += sum;
            }
    }
}
