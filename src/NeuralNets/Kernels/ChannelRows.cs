using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuralNets.Kernels;

/// <summary>
/// Batch normalisation's per-channel sums and maps over one row of <c>[N, C]</c> values (one sample, every channel), in double
/// as the layer computes them: each channel's running sum gains the row's value by one addition, and each product and sum
/// is rounded on its own (never fused), so two channels at a time in 128-bit vectors give the bits of one at a time.
/// Float and double rows take the vectors where the CPU has them; other element types, and the last odd channel, one
/// channel at a time.
/// </summary>
internal static class ChannelRows
{
    /// <summary><c>sums[c] += x[c]</c>.</summary>
    [MethodImpl(HotPath.Options)]
    public static void Add<T>(ReadOnlySpan<T> x, Span<double> sums) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int c = 0;
        if (Vectors<T>())
        {
            ref T row = ref MemoryMarshal.GetReference(x);
            ref double sum = ref MemoryMarshal.GetReference(sums);
            for (; c + 2 <= x.Length; c += 2) (Vector128.LoadUnsafe(ref sum, (nuint)c) + Load(ref row, c)).StoreUnsafe(ref sum, (nuint)c);
        }
        for (; c < x.Length; c++) sums[c] += double.CreateTruncating(x[c]);
    }

    /// <summary><c>squares[c] += d·d</c> with <c>d = x[c] − mean[c]</c>.</summary>
    [MethodImpl(HotPath.Options)]
    public static void AddSquaredDeviations<T>(ReadOnlySpan<T> x, ReadOnlySpan<double> mean, Span<double> squares) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int c = 0;
        if (Vectors<T>())
        {
            ref T row = ref MemoryMarshal.GetReference(x);
            ref double m = ref MemoryMarshal.GetReference(mean), sum = ref MemoryMarshal.GetReference(squares);
            for (; c + 2 <= x.Length; c += 2)
            {
                var d = Load(ref row, c) - Vector128.LoadUnsafe(ref m, (nuint)c);
                (Vector128.LoadUnsafe(ref sum, (nuint)c) + d * d).StoreUnsafe(ref sum, (nuint)c);
            }
        }
        for (; c < x.Length; c++)
        {
            double d = double.CreateTruncating(x[c]) - mean[c];
            squares[c] += d * d;
        }
    }

    /// <summary><c>y[c] = (x[c] − mean[c])·scale[c] + shift[c]</c>, rounded to T.</summary>
    [MethodImpl(HotPath.Options)]
    public static void Normalize<T>(ReadOnlySpan<T> x, ReadOnlySpan<double> mean, ReadOnlySpan<double> scale, ReadOnlySpan<double> shift, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int c = 0;
        if (Vectors<T>())
        {
            ref T row = ref MemoryMarshal.GetReference(x), target = ref MemoryMarshal.GetReference(y);
            ref double m = ref MemoryMarshal.GetReference(mean), s = ref MemoryMarshal.GetReference(scale), b = ref MemoryMarshal.GetReference(shift);
            for (; c + 2 <= x.Length; c += 2)
                Store((Load(ref row, c) - Vector128.LoadUnsafe(ref m, (nuint)c)) * Vector128.LoadUnsafe(ref s, (nuint)c) + Vector128.LoadUnsafe(ref b, (nuint)c), ref target, c);
        }
        for (; c < x.Length; c++) y[c] = T.CreateTruncating((double.CreateTruncating(x[c]) - mean[c]) * scale[c] + shift[c]);
    }

    /// <summary><c>sumDy[c] += g</c> and <c>sumDyXHat[c] += g·(x[c] − mean[c])·inverse[c]</c> with <c>g = dy[c]</c>.</summary>
    [MethodImpl(HotPath.Options)]
    public static void AddGradientSums<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, ReadOnlySpan<double> mean, ReadOnlySpan<double> inverse,
        Span<double> sumDy, Span<double> sumDyXHat) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int c = 0;
        if (Vectors<T>())
        {
            ref T row = ref MemoryMarshal.GetReference(x), gradient = ref MemoryMarshal.GetReference(dy);
            ref double m = ref MemoryMarshal.GetReference(mean), s = ref MemoryMarshal.GetReference(inverse);
            ref double sums = ref MemoryMarshal.GetReference(sumDy), products = ref MemoryMarshal.GetReference(sumDyXHat);
            for (; c + 2 <= x.Length; c += 2)
            {
                var g = Load(ref gradient, c);
                (Vector128.LoadUnsafe(ref sums, (nuint)c) + g).StoreUnsafe(ref sums, (nuint)c);
                var product = g * (Load(ref row, c) - Vector128.LoadUnsafe(ref m, (nuint)c)) * Vector128.LoadUnsafe(ref s, (nuint)c);
                (Vector128.LoadUnsafe(ref products, (nuint)c) + product).StoreUnsafe(ref products, (nuint)c);
            }
        }
        for (; c < x.Length; c++)
        {
            double g = double.CreateTruncating(dy[c]);
            sumDy[c] += g;
            sumDyXHat[c] += g * (double.CreateTruncating(x[c]) - mean[c]) * inverse[c];
        }
    }

    /// <summary><c>dx[c] = scale[c]·(dy[c] − meanDy[c] − x̂·meanDyXHat[c])</c> with <c>x̂ = (x[c] − mean[c])·inverse[c]</c>, rounded to T.</summary>
    [MethodImpl(HotPath.Options)]
    public static void InputGradient<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, ReadOnlySpan<double> mean, ReadOnlySpan<double> inverse,
        ReadOnlySpan<double> scale, ReadOnlySpan<double> meanDy, ReadOnlySpan<double> meanDyXHat, Span<T> dx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int c = 0;
        if (Vectors<T>())
        {
            ref T row = ref MemoryMarshal.GetReference(x), gradient = ref MemoryMarshal.GetReference(dy), target = ref MemoryMarshal.GetReference(dx);
            ref double m = ref MemoryMarshal.GetReference(mean), s = ref MemoryMarshal.GetReference(inverse), k = ref MemoryMarshal.GetReference(scale);
            ref double md = ref MemoryMarshal.GetReference(meanDy), mp = ref MemoryMarshal.GetReference(meanDyXHat);
            for (; c + 2 <= x.Length; c += 2)
            {
                var xHat = (Load(ref row, c) - Vector128.LoadUnsafe(ref m, (nuint)c)) * Vector128.LoadUnsafe(ref s, (nuint)c);
                var difference = Load(ref gradient, c) - Vector128.LoadUnsafe(ref md, (nuint)c) - xHat * Vector128.LoadUnsafe(ref mp, (nuint)c);
                Store(Vector128.LoadUnsafe(ref k, (nuint)c) * difference, ref target, c);
            }
        }
        for (; c < x.Length; c++)
        {
            double xHat = (double.CreateTruncating(x[c]) - mean[c]) * inverse[c];
            dx[c] = T.CreateTruncating(scale[c] * (double.CreateTruncating(dy[c]) - meanDy[c] - xHat * meanDyXHat[c]));
        }
    }

    private static bool Vectors<T>() => (typeof(T) == typeof(float) || typeof(T) == typeof(double)) && Vector128.IsHardwareAccelerated;

    // Elements c and c + 1 of a float or double row, as doubles (a float widens exactly).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> Load<T>(ref T row, int c)
    {
        if (typeof(T) == typeof(double)) return Vector128.LoadUnsafe(ref Unsafe.As<T, double>(ref row), (nuint)c);
        ref float value = ref Unsafe.Add(ref Unsafe.As<T, float>(ref row), c);
        return Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<double>(ref Unsafe.As<float, byte>(ref value))).AsSingle());
    }

    // Two doubles into elements c and c + 1 of a float or double row (a float rounded to nearest, as a cast does).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(Vector128<double> values, ref T row, int c)
    {
        if (typeof(T) == typeof(double))
        {
            values.StoreUnsafe(ref Unsafe.As<T, double>(ref row), (nuint)c);
            return;
        }
        double pair = Vector128.Narrow(values, values).AsDouble().ToScalar();
        Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref Unsafe.As<T, float>(ref row), c)), pair);
    }
}
