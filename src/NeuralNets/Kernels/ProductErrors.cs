using System.Globalization;
using System.Runtime.CompilerServices;

namespace NeuralNets.Kernels;

/// <summary>
/// The matrix product's argument errors, each built in a method of its own: the product is compiled fully optimised at its
/// first call, and formatting these messages inline made it compile several kilobytes of code that only a caller's
/// mistake ever runs (the first training step compiles it, benchmarks/README.md, "thirteenth session").
/// </summary>
internal static class ProductErrors
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Exception Negative(int m, int n, int k, int maxThreads) =>
        maxThreads < 0
            ? new ArgumentOutOfRangeException(nameof(maxThreads), string.Create(CultureInfo.InvariantCulture, $"The thread count must not be negative, but was {maxThreads}."))
            : new ArgumentOutOfRangeException(m < 0 ? nameof(m) : n < 0 ? nameof(n) : nameof(k), string.Create(CultureInfo.InvariantCulture, $"A matrix dimension must not be negative, but was {(m < 0 ? m : n < 0 ? n : k)}."));

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Exception SpanLengths(int m, int n, int k, int a, int b, int c) =>
        new ArgumentException(string.Create(CultureInfo.InvariantCulture,
            $"Matrix multiply of [{m}×{k}]·[{k}×{n}] given spans of {a}, {b} and {c} elements."));

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Exception Bias(int length, int n, bool accumulate) =>
        new ArgumentException(string.Create(CultureInfo.InvariantCulture,
            $"A bias of {length} elements for a product with {n} columns{(accumulate ? ", accumulating" : "")}."));

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Exception VectorBits(int vectorBits) =>
        new ArgumentOutOfRangeException(nameof(vectorBits), string.Create(CultureInfo.InvariantCulture,
            $"This CPU's kernels take 128 to {GemmPacked.WidestBits} bits, not {vectorBits}."));

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Exception PackedB(int length, int m, int n, int k, bool takesBTransposed) =>
        new ArgumentException(string.Create(CultureInfo.InvariantCulture,
            $"A packed B of {length} elements for a product [{m}×{k}]·[{k}×{n}]{(takesBTransposed ? "" : " that does not take B transposed")}."), "packedB");

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static Exception RowSumsOfA(int length, int m, bool transposeA) =>
        new ArgumentException(string.Create(CultureInfo.InvariantCulture,
            $"Row sums of {length} elements for a product with {m} rows{(transposeA ? "" : " that does not take A transposed")}."), "rowSumsOfA");
}
