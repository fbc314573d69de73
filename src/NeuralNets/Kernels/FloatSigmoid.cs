using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralNets.Kernels;

/// <summary>
/// The logistic sigmoid σ(x) = 1 / (1 + e^(−x)) in float, with its own exponential: within 4 ulp of
/// the exact value (subnormal results flushed to zero), at about half the cost of
/// <c>TensorPrimitives.Sigmoid</c>, which computes float exponentials in double precision.
/// </summary>
/// <remarks>
/// e^t = 2^n · e^r with n = round(t·log₂e) and r = t − n·ln 2 (ln 2 in two parts, Cody–Waite, so r is
/// nearly exact), e^r by a degree-7 polynomial (Cephes' expf coefficients), and 2^n put straight into
/// the exponent bits. t = −x is clamped to [−87.3, 88]: below, σ is 1 in float anyway; above, σ is
/// below the smallest normal float and is flushed to zero like every other subnormal result.
/// The hardware min and max return their second operand when either is NaN, so x goes second: a NaN
/// input stays NaN. The vector paths and the scalar tail do the same operations in the same order (fused where the
/// formula says multiply-add, fused or not as the CPU's numeric family says: <see cref="KernelWidth"/>), so an element's
/// value does not depend on where it falls in the span: a sample alone gets exactly its row of the batch; and the 512-,
/// 256- and 128-bit paths and the scalar loop give the same values, so every CPU of a family computes the same σ.
/// </remarks>
internal static class FloatSigmoid
{
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2High = 0.693359375f;       // exact in 9 bits, so n·Ln2High is exact
    private const float Ln2Low = -2.12194440e-4f;      // ln 2 − Ln2High
    private const float LowestExponent = -87.3f;
    private const float HighestExponent = 88f;
    private const float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f;
    private const float P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;
    private const float SmallestNormal = 1.17549435e-38f;

    /// <summary>y[i] = σ(x[i]), subnormal results flushed to zero; x and y may be the same span.</summary>
    [MethodImpl(HotPath.Options)]
    public static void Compute(ReadOnlySpan<float> x, Span<float> y)
    {
        if (y.Length < x.Length) throw KernelErrors.OutputTooShort("Sigmoid", x.Length, y.Length);
        if (KernelWidth.FusedFamily) Compute<Fused>(x, y);
        else Compute<Unfused>(x, y);
    }

    [MethodImpl(HotPath.Options)]
    private static void Compute<TMultiplyAdd>(ReadOnlySpan<float> x, Span<float> y) where TMultiplyAdd : struct, IMultiplyAdd
    {
        ref float source = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(x);
        ref float target = ref System.Runtime.InteropServices.MemoryMarshal.GetReference(y);
        int i = 0, bits = KernelWidth.MultiplyAdd;
        if (bits >= 512)
        {
            for (; i + Vector512<float>.Count <= x.Length; i += Vector512<float>.Count)
                Of<TMultiplyAdd>(Vector512.LoadUnsafe(ref source, (nuint)i)).StoreUnsafe(ref target, (nuint)i);
        }
        else if (bits >= 256)
        {
            for (; i + Vector256<float>.Count <= x.Length; i += Vector256<float>.Count)
                Of<TMultiplyAdd>(Vector256.LoadUnsafe(ref source, (nuint)i)).StoreUnsafe(ref target, (nuint)i);
        }
        if (bits >= 128)
        {
            for (; i + Vector128<float>.Count <= x.Length; i += Vector128<float>.Count)
                Of<TMultiplyAdd>(Vector128.LoadUnsafe(ref source, (nuint)i)).StoreUnsafe(ref target, (nuint)i);
        }
        for (; i < x.Length; i++) Unsafe.Add(ref target, i) = Of<TMultiplyAdd>(Unsafe.Add(ref source, i));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Of<TMultiplyAdd>(Vector512<float> x) where TMultiplyAdd : struct, IMultiplyAdd
    {
        var t = Avx512F.Min(Vector512.Create(HighestExponent), Avx512F.Max(Vector512.Create(LowestExponent), -x));
        var n = Avx512F.RoundScale(t * Vector512.Create(Log2E), 0); // to nearest, ties to even
        var r = TMultiplyAdd.Of(n, Vector512.Create(-Ln2High), t);
        r = TMultiplyAdd.Of(n, Vector512.Create(-Ln2Low), r);
        var p = TMultiplyAdd.Of(Vector512.Create(P0), r, Vector512.Create(P1));
        p = TMultiplyAdd.Of(p, r, Vector512.Create(P2));
        p = TMultiplyAdd.Of(p, r, Vector512.Create(P3));
        p = TMultiplyAdd.Of(p, r, Vector512.Create(P4));
        p = TMultiplyAdd.Of(p, r, Vector512.Create(P5));
        p = TMultiplyAdd.Of(p, r * r, r + Vector512<float>.One);
        var powerOfTwo = ((Avx512F.ConvertToVector512Int32(n) + Vector512.Create(127)) << 23).AsSingle();
        var s = Vector512<float>.One / (Vector512<float>.One + p * powerOfTwo);
        return Vector512.AndNot(s, Vector512.LessThan(s, Vector512.Create(SmallestNormal)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Of<TMultiplyAdd>(Vector256<float> x) where TMultiplyAdd : struct, IMultiplyAdd
    {
        var t = Avx.Min(Vector256.Create(HighestExponent), Avx.Max(Vector256.Create(LowestExponent), -x));
        var n = Avx.RoundToNearestInteger(t * Vector256.Create(Log2E));
        var r = TMultiplyAdd.Of(n, Vector256.Create(-Ln2High), t);
        r = TMultiplyAdd.Of(n, Vector256.Create(-Ln2Low), r);
        var p = TMultiplyAdd.Of(Vector256.Create(P0), r, Vector256.Create(P1));
        p = TMultiplyAdd.Of(p, r, Vector256.Create(P2));
        p = TMultiplyAdd.Of(p, r, Vector256.Create(P3));
        p = TMultiplyAdd.Of(p, r, Vector256.Create(P4));
        p = TMultiplyAdd.Of(p, r, Vector256.Create(P5));
        p = TMultiplyAdd.Of(p, r * r, r + Vector256<float>.One);
        var powerOfTwo = ((Avx.ConvertToVector256Int32(n) + Vector256.Create(127)) << 23).AsSingle();
        var s = Vector256<float>.One / (Vector256<float>.One + p * powerOfTwo);
        return Vector256.AndNot(s, Vector256.LessThan(s, Vector256.Create(SmallestNormal)));
    }

    /// <summary>
    /// The 128-bit lanes (ARM64's NEON; x86 under a narrowed width): the same steps with the portable operations.
    /// MaxNative and MinNative take x second, as the x86 instructions do; ARM's return NaN for a NaN either way.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Of<TMultiplyAdd>(Vector128<float> x) where TMultiplyAdd : struct, IMultiplyAdd
    {
        var t = Vector128.MinNative(Vector128.Create(HighestExponent), Vector128.MaxNative(Vector128.Create(LowestExponent), -x));
        var n = Vector128.Round(t * Vector128.Create(Log2E)); // to nearest, ties to even
        var r = TMultiplyAdd.Of(n, Vector128.Create(-Ln2High), t);
        r = TMultiplyAdd.Of(n, Vector128.Create(-Ln2Low), r);
        var p = TMultiplyAdd.Of(Vector128.Create(P0), r, Vector128.Create(P1));
        p = TMultiplyAdd.Of(p, r, Vector128.Create(P2));
        p = TMultiplyAdd.Of(p, r, Vector128.Create(P3));
        p = TMultiplyAdd.Of(p, r, Vector128.Create(P4));
        p = TMultiplyAdd.Of(p, r, Vector128.Create(P5));
        p = TMultiplyAdd.Of(p, r * r, r + Vector128<float>.One);
        var powerOfTwo = ((Vector128.ConvertToInt32(n) + Vector128.Create(127)) << 23).AsSingle();
        var s = Vector128<float>.One / (Vector128<float>.One + p * powerOfTwo);
        return Vector128.AndNot(s, Vector128.LessThan(s, Vector128.Create(SmallestNormal)));
    }

    /// <summary>One element, by exactly the vector lanes' operations.</summary>
    internal static float Of(float x) => KernelWidth.FusedFamily ? Of<Fused>(x) : Of<Unfused>(x);

    private static float Of<TMultiplyAdd>(float x) where TMultiplyAdd : struct, IMultiplyAdd
    {
        float t = MathF.Min(MathF.Max(-x, LowestExponent), HighestExponent);
        float n = MathF.Round(t * Log2E, MidpointRounding.ToEven);
        float r = TMultiplyAdd.Of(n, -Ln2High, t);
        r = TMultiplyAdd.Of(n, -Ln2Low, r);
        float p = TMultiplyAdd.Of(P0, r, P1);
        p = TMultiplyAdd.Of(p, r, P2);
        p = TMultiplyAdd.Of(p, r, P3);
        p = TMultiplyAdd.Of(p, r, P4);
        p = TMultiplyAdd.Of(p, r, P5);
        p = TMultiplyAdd.Of(p, r * r, r + 1f);
        float powerOfTwo = BitConverter.Int32BitsToSingle(((int)n + 127) << 23);
        float s = 1f / (1f + p * powerOfTwo);
        return s < SmallestNormal ? 0f : s;
    }
}
