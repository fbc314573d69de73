using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuralNets.Kernels;

/// <summary>
/// Batch normalisation's per-channel sums and maps, in double as the layer computes them, over one row of <c>[N, C]</c>
/// values (one sample, every channel) or over the planes of <c>[N, C, spread]</c> ones (the maps; the planes' sums are
/// <see cref="PlaneSums"/>'), and the global average pool's plane sums (<see cref="AddPlanes"/>): each channel's running
/// sum gains its values one addition at a time, in the order of one channel alone (sample after sample, along each plane),
/// and each product and sum is rounded on its own (never fused), so two channels a vector, several channels' chains side
/// by side, or two or four values of a plane a vector all give the bits of one value at a time. Float and double take the
/// vectors where the CPU has them; other element types, and the last odd value, one at a time.
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

    /// <summary>
    /// <c>sums[c] += x</c> over every value of the planes of channels <c>first</c> to <c>end</c> of <c>[N, C, spread]</c> values, sample after sample and
    /// along each plane, as one channel at a time adds them; four channels' chains side by side, so that the additions do not
    /// wait on each other's latency.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    public static void AddPlanes<T>(ReadOnlySpan<T> x, int batch, int channels, int spread, int first, int end, Span<double> sums)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int c = first;
        if (FloatVectors<T>())
        {
            // The four channels' values at one position side by side, widened: lanes c, c + 1 and c + 2, c + 3 (a scalar
            // conversion to double would merge into its register and chain every iteration to the one before).
            for (; c + 4 <= end; c += 4)
            {
                var low = Vector128.LoadUnsafe(ref sums[c]);
                var high = Vector128.LoadUnsafe(ref sums[c + 2]);
                for (int n = 0; n < batch; n++)
                {
                    ref float p0 = ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(x.Slice((n * channels + c) * spread, 4 * spread)));
                    for (int i = 0; i < spread; i++)
                    {
                        var v = Vector128.Create(Unsafe.Add(ref p0, i), Unsafe.Add(ref p0, spread + i), Unsafe.Add(ref p0, 2 * spread + i), Unsafe.Add(ref p0, 3 * spread + i));
                        low += Vector128.WidenLower(v);
                        high += Vector128.WidenUpper(v);
                    }
                }
                low.StoreUnsafe(ref sums[c]);
                high.StoreUnsafe(ref sums[c + 2]);
            }
        }
        for (; c + 4 <= end; c += 4)
        {
            double s0 = sums[c], s1 = sums[c + 1], s2 = sums[c + 2], s3 = sums[c + 3];
            for (int n = 0; n < batch; n++)
            {
                var planes = x.Slice((n * channels + c) * spread, 4 * spread);
                for (int i = 0; i < spread; i++)
                {
                    s0 += double.CreateTruncating(planes[i]);
                    s1 += double.CreateTruncating(planes[spread + i]);
                    s2 += double.CreateTruncating(planes[2 * spread + i]);
                    s3 += double.CreateTruncating(planes[3 * spread + i]);
                }
            }
            (sums[c], sums[c + 1], sums[c + 2], sums[c + 3]) = (s0, s1, s2, s3);
        }
        for (; c < end; c++)
            for (int n = 0; n < batch; n++)
                foreach (var v in x.Slice((n * channels + c) * spread, spread)) sums[c] += double.CreateTruncating(v);
    }

    /// <summary><c>y[i] = (x[i] − mean)·scale + shift</c> over one plane, rounded to T.</summary>
    [MethodImpl(HotPath.Options)]
    public static void NormalizePlane<T>(ReadOnlySpan<T> x, double mean, double scale, double shift, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vectors<T>())
        {
            ref T plane = ref MemoryMarshal.GetReference(x), target = ref MemoryMarshal.GetReference(y);
            if (Vector256.IsHardwareAccelerated)
            {
                var (m4, s4, b4) = (Vector256.Create(mean), Vector256.Create(scale), Vector256.Create(shift));
                for (; i + 8 <= x.Length; i += 8) Store8((Load4(ref plane, i) - m4) * s4 + b4, (Load4(ref plane, i + 4) - m4) * s4 + b4, ref target, i);
                for (; i + 4 <= x.Length; i += 4) Store4((Load4(ref plane, i) - m4) * s4 + b4, ref target, i);
            }
            var (m, s, b) = (Vector128.Create(mean), Vector128.Create(scale), Vector128.Create(shift));
            for (; i + 2 <= x.Length; i += 2) Store((Load(ref plane, i) - m) * s + b, ref target, i);
        }
        for (; i < x.Length; i++) y[i] = T.CreateTruncating((double.CreateTruncating(x[i]) - mean) * scale + shift);
    }

    /// <summary><c>dx[i] = scale·(dy[i] − meanDy − x̂·meanDyXHat)</c>, <c>x̂ = (x[i] − mean)·inverse</c>, over one plane, rounded to T.</summary>
    [MethodImpl(HotPath.Options)]
    public static void InputGradientOfPlane<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, double mean, double inverse, double scale, double meanDy,
        double meanDyXHat, Span<T> dx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        if (Vectors<T>())
        {
            ref T plane = ref MemoryMarshal.GetReference(x), gradient = ref MemoryMarshal.GetReference(dy), target = ref MemoryMarshal.GetReference(dx);
            if (Vector256.IsHardwareAccelerated)
            {
                var (m4, v4, k4, md4, mp4) = (Vector256.Create(mean), Vector256.Create(inverse), Vector256.Create(scale), Vector256.Create(meanDy), Vector256.Create(meanDyXHat));
                for (; i + 8 <= x.Length; i += 8)
                {
                    var (xHatLow, xHatHigh) = ((Load4(ref plane, i) - m4) * v4, (Load4(ref plane, i + 4) - m4) * v4);
                    Store8(k4 * (Load4(ref gradient, i) - md4 - xHatLow * mp4), k4 * (Load4(ref gradient, i + 4) - md4 - xHatHigh * mp4), ref target, i);
                }
                for (; i + 4 <= x.Length; i += 4)
                {
                    var xHat4 = (Load4(ref plane, i) - m4) * v4;
                    Store4(k4 * (Load4(ref gradient, i) - md4 - xHat4 * mp4), ref target, i);
                }
            }
            var (m, v, k, md, mp) = (Vector128.Create(mean), Vector128.Create(inverse), Vector128.Create(scale), Vector128.Create(meanDy), Vector128.Create(meanDyXHat));
            for (; i + 2 <= x.Length; i += 2)
            {
                var xHat = (Load(ref plane, i) - m) * v;
                Store(k * (Load(ref gradient, i) - md - xHat * mp), ref target, i);
            }
        }
        for (; i < x.Length; i++)
        {
            double xHat = (double.CreateTruncating(x[i]) - mean) * inverse;
            dx[i] = T.CreateTruncating(scale * (double.CreateTruncating(dy[i]) - meanDy - xHat * meanDyXHat));
        }
    }

    private static bool FloatVectors<T>() => typeof(T) == typeof(float) && Vector128.IsHardwareAccelerated;

    private static bool Vectors<T>() => (typeof(T) == typeof(float) || typeof(T) == typeof(double)) && Vector128.IsHardwareAccelerated;

    // Elements c and c + 1 of a float or double row, as doubles (a float widens exactly).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> Load<T>(ref T row, int c)
    {
        if (typeof(T) == typeof(double)) return Vector128.LoadUnsafe(ref Unsafe.As<T, double>(ref row), (nuint)c);
        ref float value = ref Unsafe.Add(ref Unsafe.As<T, float>(ref row), c);
        return Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<double>(ref Unsafe.As<float, byte>(ref value))).AsSingle());
    }

    // Elements c to c + 3 of a float or double row, as doubles (where 256-bit vectors are accelerated: a plane's maps).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Load4<T>(ref T row, int c)
    {
        if (typeof(T) == typeof(double)) return Vector256.LoadUnsafe(ref Unsafe.As<T, double>(ref row), (nuint)c);
        return Vector256.WidenLower(Vector128.LoadUnsafe(ref Unsafe.As<T, float>(ref row), (nuint)c).ToVector256Unsafe());
    }

    // Four doubles into elements c to c + 3 of a float or double row (a float rounded to nearest, as a cast does).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store4<T>(Vector256<double> values, ref T row, int c)
    {
        if (typeof(T) == typeof(double)) values.StoreUnsafe(ref Unsafe.As<T, double>(ref row), (nuint)c);
        else Vector256.Narrow(values, values).GetLower().StoreUnsafe(ref Unsafe.As<T, float>(ref row), (nuint)c);
    }

    // Eight doubles into elements c to c + 7 of a float or double row (two four-double vectors narrowed into one of eight
    // floats: one 256-bit store, where one of four floats narrowed alone took a lane insert of its own).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store8<T>(Vector256<double> low, Vector256<double> high, ref T row, int c)
    {
        if (typeof(T) == typeof(double))
        {
            low.StoreUnsafe(ref Unsafe.As<T, double>(ref row), (nuint)c);
            high.StoreUnsafe(ref Unsafe.As<T, double>(ref row), (nuint)c + 4);
        }
        else Vector256.Narrow(low, high).StoreUnsafe(ref Unsafe.As<T, float>(ref row), (nuint)c);
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
