using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace NeuralNets.Kernels;

/// <summary>
/// Matrix multiply without packing, on the calling thread: the path for products with only a
/// few rows (a batch of one, where packing B would cost more than the product) and for element
/// types or CPUs the packed kernel does not cover. Same contract as <see cref="MatrixMultiply.Compute{T}"/>.
/// </summary>
internal static class GemmDirect
{
    [MethodImpl(HotPath.Options)]
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
                    // The internal kernel rounds as TensorPrimitives.MultiplyAdd does; that call took about 0.4 µs per
                    // 400-element row here (a dense layer's input gradient at batch 1: 50 µs for 120 rows).
                    Elementwise.MultiplyAdd(b.Slice(p * n, n), alpha, rowC, rowC);
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
                for (int j = 0; j < n; j++) rowC[j] += TensorPrimitives.Dot(rowA, b.Slice(j * k, k));
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
