using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuralNets.Kernels;

/// <summary>
/// e^x in float and double with the library's own operations, the same in every vector width and in the
/// scalar loop, so that softmax, cross-entropy and the double sigmoid give the same values on every CPU of a numeric family
/// (<c>TensorPrimitives.Exp</c> takes different algorithms at different widths). About 1 ulp from exact.
/// </summary>
/// <remarks>
/// e^t = 2^n · e^r with n = round(t·log₂e), found by adding 1.5·2^p (p the mantissa width) so that n lands in the
/// low mantissa bits, r = t − n·ln 2 with ln 2 in two parts (Cody–Waite), e^r = 1 + r + r²·q(r) (float: Cephes'
/// expf coefficients; double: the Taylor series to r¹³), and 2^n applied as two powers of two, 2^⌊n/2⌋ and
/// 2^(n−⌊n/2⌋), so that neither leaves the normal range. t is x clamped to where the result neither overflows
/// to more than +∞ nor underflows to less than 0; NaN passes the clamps and the result is NaN. Every step is a
/// single IEEE operation or a multiply-add of the CPU's numeric family (fused with a hardware FMA, a rounded product
/// then a sum without one: <see cref="KernelWidth"/>), in one order for vectors and scalars. Unfused, n·Ln2High stays
/// exact (Ln2High's short mantissa), so only the low part of the reduction and the polynomial round once more.
/// </remarks>
internal static class Exponential
{
    /// <summary>y[i] = e^(x[i]); x and y may be the same span.</summary>
    [MethodImpl(HotPath.Options)]
    public static void Compute<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (y.Length < x.Length) throw KernelErrors.OutputTooShort("Exponential", x.Length, y.Length);
        bool fused = KernelWidth.FusedFamily;
        if (typeof(T) == typeof(float))
        {
            var source = MemoryMarshal.Cast<T, float>(x);
            var target = MemoryMarshal.Cast<T, float>(y);
            if (fused) Compute<float, SingleExp<Fused>>(source, target);
            else Compute<float, SingleExp<Unfused>>(source, target);
        }
        else if (typeof(T) == typeof(double))
        {
            var source = MemoryMarshal.Cast<T, double>(x);
            var target = MemoryMarshal.Cast<T, double>(y);
            if (fused) Compute<double, DoubleExp<Fused>>(source, target);
            else Compute<double, DoubleExp<Unfused>>(source, target);
        }
        else for (int i = 0; i < x.Length; i++) y[i] = T.Exp(x[i]);
    }

    /// <summary>
    /// y[i] = σ(x[i]) = 1 / (1 + e^(−x[i])): float by <see cref="FloatSigmoid"/> (subnormal results flushed), other
    /// types with this exponential. The same values on every CPU.
    /// </summary>
    public static void Sigmoid<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            FloatSigmoid.Compute(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(y));
            return;
        }
        if (y.Length < x.Length) throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Sigmoid of {x.Length} values into a span of {y.Length}."));
        var target = y[..x.Length];
        System.Numerics.Tensors.TensorPrimitives.Negate(x, target);
        Compute<T>(target, target);
        System.Numerics.Tensors.TensorPrimitives.Add(target, T.One, target);
        System.Numerics.Tensors.TensorPrimitives.Reciprocal(target, target);
    }

    /// <summary>One element, by exactly the vector lanes' operations (of the numeric family now).</summary>
    public static float Of(float x) => KernelWidth.FusedFamily ? SingleExp<Fused>.Invoke(x) : SingleExp<Unfused>.Invoke(x);

    /// <summary>One element, by exactly the vector lanes' operations (of the numeric family now).</summary>
    public static double Of(double x) => KernelWidth.FusedFamily ? DoubleExp<Fused>.Invoke(x) : DoubleExp<Unfused>.Invoke(x);

    internal interface IExp<T> where T : unmanaged
    {
        static abstract T Invoke(T x);
        static abstract Vector512<T> Invoke(Vector512<T> x);
        static abstract Vector256<T> Invoke(Vector256<T> x);
        static abstract Vector128<T> Invoke(Vector128<T> x);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Compute<T, TExp>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged where TExp : struct, IExp<T>
    {
        ref T source = ref MemoryMarshal.GetReference(x), target = ref MemoryMarshal.GetReference(y);
        int i = 0, bits = KernelWidth.MultiplyAdd;
        if (bits >= 512)
            for (; i + Vector512<T>.Count <= x.Length; i += Vector512<T>.Count)
                TExp.Invoke(Vector512.LoadUnsafe(ref source, (nuint)i)).StoreUnsafe(ref target, (nuint)i);
        if (bits >= 256)
            for (; i + Vector256<T>.Count <= x.Length; i += Vector256<T>.Count)
                TExp.Invoke(Vector256.LoadUnsafe(ref source, (nuint)i)).StoreUnsafe(ref target, (nuint)i);
        if (bits >= 128)
            for (; i + Vector128<T>.Count <= x.Length; i += Vector128<T>.Count)
                TExp.Invoke(Vector128.LoadUnsafe(ref source, (nuint)i)).StoreUnsafe(ref target, (nuint)i);
        for (; i < x.Length; i++) Unsafe.Add(ref target, i) = TExp.Invoke(Unsafe.Add(ref source, i));
    }

    internal readonly struct SingleExp<TMultiplyAdd> : IExp<float> where TMultiplyAdd : struct, IMultiplyAdd
    {
        private const float Lowest = -103.98f;     // e^x rounds to 0 below
        private const float Highest = 88.73f;      // e^x overflows to +∞ above ln(float.MaxValue) = 88.7228
        private const float Log2E = 1.44269504088896341f;
        private const float Shifter = 12582912f;   // 1.5·2^23
        private const int ShifterBits = 0x4B400000;
        private const float Ln2High = 0.693359375f; // exact in 9 bits, so n·Ln2High is exact
        private const float Ln2Low = -2.12194440e-4f;
        // e^r = 1 + r + r²·(((((P0·r + P1)·r + P2)·r + P3)·r + P4)·r + P5); FloatActivations' e^x − 1 reuses them.
        internal const float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f;
        internal const float P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;

        public static float Invoke(float x)
        {
            float t = x < Lowest ? Lowest : x;
            t = t > Highest ? Highest : t;
            float v = TMultiplyAdd.Of(t, Log2E, Shifter);
            float n = v - Shifter;
            float r = TMultiplyAdd.Of(n, -Ln2High, t);
            r = TMultiplyAdd.Of(n, -Ln2Low, r);
            float p = TMultiplyAdd.Of(P0, r, P1);
            p = TMultiplyAdd.Of(p, r, P2);
            p = TMultiplyAdd.Of(p, r, P3);
            p = TMultiplyAdd.Of(p, r, P4);
            p = TMultiplyAdd.Of(p, r, P5);
            p = TMultiplyAdd.Of(p, r * r, r + 1f);
            int whole = BitConverter.SingleToInt32Bits(v) - ShifterBits;
            int half = (int)((uint)(whole + 256) >> 1) - 128;   // ⌊n/2⌋ with a logical shift
            return p * BitConverter.Int32BitsToSingle((half + 127) << 23) * BitConverter.Int32BitsToSingle((whole - half + 127) << 23);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Invoke(Vector512<float> x)
        {
            var t = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(Lowest)), Vector512.Create(Lowest), x);
            t = Vector512.ConditionalSelect(Vector512.GreaterThan(t, Vector512.Create(Highest)), Vector512.Create(Highest), t);
            var v = TMultiplyAdd.Of(t, Vector512.Create(Log2E), Vector512.Create(Shifter));
            var n = v - Vector512.Create(Shifter);
            var r = TMultiplyAdd.Of(n, Vector512.Create(-Ln2High), t);
            r = TMultiplyAdd.Of(n, Vector512.Create(-Ln2Low), r);
            var p = TMultiplyAdd.Of(Vector512.Create(P0), r, Vector512.Create(P1));
            p = TMultiplyAdd.Of(p, r, Vector512.Create(P2));
            p = TMultiplyAdd.Of(p, r, Vector512.Create(P3));
            p = TMultiplyAdd.Of(p, r, Vector512.Create(P4));
            p = TMultiplyAdd.Of(p, r, Vector512.Create(P5));
            p = TMultiplyAdd.Of(p, r * r, r + Vector512<float>.One);
            var whole = v.AsInt32() - Vector512.Create(ShifterBits);
            var half = Vector512.ShiftRightLogical(whole + Vector512.Create(256), 1) - Vector512.Create(128);
            return p * ((half + Vector512.Create(127)) << 23).AsSingle() * ((whole - half + Vector512.Create(127)) << 23).AsSingle();
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Invoke(Vector256<float> x)
        {
            var t = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(Lowest)), Vector256.Create(Lowest), x);
            t = Vector256.ConditionalSelect(Vector256.GreaterThan(t, Vector256.Create(Highest)), Vector256.Create(Highest), t);
            var v = TMultiplyAdd.Of(t, Vector256.Create(Log2E), Vector256.Create(Shifter));
            var n = v - Vector256.Create(Shifter);
            var r = TMultiplyAdd.Of(n, Vector256.Create(-Ln2High), t);
            r = TMultiplyAdd.Of(n, Vector256.Create(-Ln2Low), r);
            var p = TMultiplyAdd.Of(Vector256.Create(P0), r, Vector256.Create(P1));
            p = TMultiplyAdd.Of(p, r, Vector256.Create(P2));
            p = TMultiplyAdd.Of(p, r, Vector256.Create(P3));
            p = TMultiplyAdd.Of(p, r, Vector256.Create(P4));
            p = TMultiplyAdd.Of(p, r, Vector256.Create(P5));
            p = TMultiplyAdd.Of(p, r * r, r + Vector256<float>.One);
            var whole = v.AsInt32() - Vector256.Create(ShifterBits);
            var half = Vector256.ShiftRightLogical(whole + Vector256.Create(256), 1) - Vector256.Create(128);
            return p * ((half + Vector256.Create(127)) << 23).AsSingle() * ((whole - half + Vector256.Create(127)) << 23).AsSingle();
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Invoke(Vector128<float> x)
        {
            var t = Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128.Create(Lowest)), Vector128.Create(Lowest), x);
            t = Vector128.ConditionalSelect(Vector128.GreaterThan(t, Vector128.Create(Highest)), Vector128.Create(Highest), t);
            var v = TMultiplyAdd.Of(t, Vector128.Create(Log2E), Vector128.Create(Shifter));
            var n = v - Vector128.Create(Shifter);
            var r = TMultiplyAdd.Of(n, Vector128.Create(-Ln2High), t);
            r = TMultiplyAdd.Of(n, Vector128.Create(-Ln2Low), r);
            var p = TMultiplyAdd.Of(Vector128.Create(P0), r, Vector128.Create(P1));
            p = TMultiplyAdd.Of(p, r, Vector128.Create(P2));
            p = TMultiplyAdd.Of(p, r, Vector128.Create(P3));
            p = TMultiplyAdd.Of(p, r, Vector128.Create(P4));
            p = TMultiplyAdd.Of(p, r, Vector128.Create(P5));
            p = TMultiplyAdd.Of(p, r * r, r + Vector128<float>.One);
            var whole = v.AsInt32() - Vector128.Create(ShifterBits);
            var half = Vector128.ShiftRightLogical(whole + Vector128.Create(256), 1) - Vector128.Create(128);
            return p * ((half + Vector128.Create(127)) << 23).AsSingle() * ((whole - half + Vector128.Create(127)) << 23).AsSingle();
        }
    }

    private readonly struct DoubleExp<TMultiplyAdd> : IExp<double> where TMultiplyAdd : struct, IMultiplyAdd
    {
        private const double Lowest = -746.0;               // e^x rounds to 0 below
        private const double Highest = 709.79;             // e^x overflows to +∞ above ln(double.MaxValue) = 709.7827
        private const double Log2E = 1.4426950408889634;
        private const double Shifter = 6755399441055744.0;  // 1.5·2^52
        private const long ShifterBits = 0x4338000000000000;
        private const double Ln2High = 6.93147180369123816490e-01; // the low 32 bits of its mantissa are zero, so n·Ln2High is exact
        private const double Ln2Low = 1.90821492927058770002e-10;
        // 1/k! for k = 2…13: the Taylor series of e^r, exact to well below an ulp for |r| ≤ ln(2)/2.
        private const double C2 = 1.0 / 2, C3 = 1.0 / 6, C4 = 1.0 / 24, C5 = 1.0 / 120, C6 = 1.0 / 720, C7 = 1.0 / 5040;
        private const double C8 = 1.0 / 40320, C9 = 1.0 / 362880, C10 = 1.0 / 3628800, C11 = 1.0 / 39916800;
        private const double C12 = 1.0 / 479001600, C13 = 1.0 / 6227020800;

        public static double Invoke(double x)
        {
            double t = x < Lowest ? Lowest : x;
            t = t > Highest ? Highest : t;
            double v = TMultiplyAdd.Of(t, Log2E, Shifter);
            double n = v - Shifter;
            double r = TMultiplyAdd.Of(n, -Ln2High, t);
            r = TMultiplyAdd.Of(n, -Ln2Low, r);
            double q = TMultiplyAdd.Of(C13, r, C12);
            q = TMultiplyAdd.Of(q, r, C11);
            q = TMultiplyAdd.Of(q, r, C10);
            q = TMultiplyAdd.Of(q, r, C9);
            q = TMultiplyAdd.Of(q, r, C8);
            q = TMultiplyAdd.Of(q, r, C7);
            q = TMultiplyAdd.Of(q, r, C6);
            q = TMultiplyAdd.Of(q, r, C5);
            q = TMultiplyAdd.Of(q, r, C4);
            q = TMultiplyAdd.Of(q, r, C3);
            q = TMultiplyAdd.Of(q, r, C2);
            double p = TMultiplyAdd.Of(q, r * r, r + 1.0);
            long whole = BitConverter.DoubleToInt64Bits(v) - ShifterBits;
            long half = (long)((ulong)(whole + 4096) >> 1) - 2048;   // ⌊n/2⌋ with a logical shift
            return p * BitConverter.Int64BitsToDouble((half + 1023) << 52) * BitConverter.Int64BitsToDouble((whole - half + 1023) << 52);
        }

        public static Vector512<double> Invoke(Vector512<double> x)
        {
            var t = Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512.Create(Lowest)), Vector512.Create(Lowest), x);
            t = Vector512.ConditionalSelect(Vector512.GreaterThan(t, Vector512.Create(Highest)), Vector512.Create(Highest), t);
            var v = TMultiplyAdd.Of(t, Vector512.Create(Log2E), Vector512.Create(Shifter));
            var n = v - Vector512.Create(Shifter);
            var r = TMultiplyAdd.Of(n, Vector512.Create(-Ln2High), t);
            r = TMultiplyAdd.Of(n, Vector512.Create(-Ln2Low), r);
            var q = TMultiplyAdd.Of(Vector512.Create(C13), r, Vector512.Create(C12));
            q = TMultiplyAdd.Of(q, r, Vector512.Create(C11));
            q = TMultiplyAdd.Of(q, r, Vector512.Create(C10));
            q = TMultiplyAdd.Of(q, r, Vector512.Create(C9));
            q = TMultiplyAdd.Of(q, r, Vector512.Create(C8));
            q = TMultiplyAdd.Of(q, r, Vector512.Create(C7));
            q = TMultiplyAdd.Of(q, r, Vector512.Create(C6));
            q = TMultiplyAdd.Of(q, r, Vector512.Create(C5));
            q = TMultiplyAdd.Of(q, r, Vector512.Create(C4));
            q = TMultiplyAdd.Of(q, r, Vector512.Create(C3));
            q = TMultiplyAdd.Of(q, r, Vector512.Create(C2));
            var p = TMultiplyAdd.Of(q, r * r, r + Vector512<double>.One);
            var whole = v.AsInt64() - Vector512.Create(ShifterBits);
            var half = Vector512.ShiftRightLogical(whole + Vector512.Create(4096L), 1) - Vector512.Create(2048L);
            return p * ((half + Vector512.Create(1023L)) << 52).AsDouble() * ((whole - half + Vector512.Create(1023L)) << 52).AsDouble();
        }

        public static Vector256<double> Invoke(Vector256<double> x)
        {
            var t = Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256.Create(Lowest)), Vector256.Create(Lowest), x);
            t = Vector256.ConditionalSelect(Vector256.GreaterThan(t, Vector256.Create(Highest)), Vector256.Create(Highest), t);
            var v = TMultiplyAdd.Of(t, Vector256.Create(Log2E), Vector256.Create(Shifter));
            var n = v - Vector256.Create(Shifter);
            var r = TMultiplyAdd.Of(n, Vector256.Create(-Ln2High), t);
            r = TMultiplyAdd.Of(n, Vector256.Create(-Ln2Low), r);
            var q = TMultiplyAdd.Of(Vector256.Create(C13), r, Vector256.Create(C12));
            q = TMultiplyAdd.Of(q, r, Vector256.Create(C11));
            q = TMultiplyAdd.Of(q, r, Vector256.Create(C10));
            q = TMultiplyAdd.Of(q, r, Vector256.Create(C9));
            q = TMultiplyAdd.Of(q, r, Vector256.Create(C8));
            q = TMultiplyAdd.Of(q, r, Vector256.Create(C7));
            q = TMultiplyAdd.Of(q, r, Vector256.Create(C6));
            q = TMultiplyAdd.Of(q, r, Vector256.Create(C5));
            q = TMultiplyAdd.Of(q, r, Vector256.Create(C4));
            q = TMultiplyAdd.Of(q, r, Vector256.Create(C3));
            q = TMultiplyAdd.Of(q, r, Vector256.Create(C2));
            var p = TMultiplyAdd.Of(q, r * r, r + Vector256<double>.One);
            var whole = v.AsInt64() - Vector256.Create(ShifterBits);
            var half = Vector256.ShiftRightLogical(whole + Vector256.Create(4096L), 1) - Vector256.Create(2048L);
            return p * ((half + Vector256.Create(1023L)) << 52).AsDouble() * ((whole - half + Vector256.Create(1023L)) << 52).AsDouble();
        }

        public static Vector128<double> Invoke(Vector128<double> x)
        {
            var t = Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128.Create(Lowest)), Vector128.Create(Lowest), x);
            t = Vector128.ConditionalSelect(Vector128.GreaterThan(t, Vector128.Create(Highest)), Vector128.Create(Highest), t);
            var v = TMultiplyAdd.Of(t, Vector128.Create(Log2E), Vector128.Create(Shifter));
            var n = v - Vector128.Create(Shifter);
            var r = TMultiplyAdd.Of(n, Vector128.Create(-Ln2High), t);
            r = TMultiplyAdd.Of(n, Vector128.Create(-Ln2Low), r);
            var q = TMultiplyAdd.Of(Vector128.Create(C13), r, Vector128.Create(C12));
            q = TMultiplyAdd.Of(q, r, Vector128.Create(C11));
            q = TMultiplyAdd.Of(q, r, Vector128.Create(C10));
            q = TMultiplyAdd.Of(q, r, Vector128.Create(C9));
            q = TMultiplyAdd.Of(q, r, Vector128.Create(C8));
            q = TMultiplyAdd.Of(q, r, Vector128.Create(C7));
            q = TMultiplyAdd.Of(q, r, Vector128.Create(C6));
            q = TMultiplyAdd.Of(q, r, Vector128.Create(C5));
            q = TMultiplyAdd.Of(q, r, Vector128.Create(C4));
            q = TMultiplyAdd.Of(q, r, Vector128.Create(C3));
            q = TMultiplyAdd.Of(q, r, Vector128.Create(C2));
            var p = TMultiplyAdd.Of(q, r * r, r + Vector128<double>.One);
            var whole = v.AsInt64() - Vector128.Create(ShifterBits);
            var half = Vector128.ShiftRightLogical(whole + Vector128.Create(4096L), 1) - Vector128.Create(2048L);
            return p * ((half + Vector128.Create(1023L)) << 52).AsDouble() * ((whole - half + Vector128.Create(1023L)) << 52).AsDouble();
        }
    }
}
