using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NeuralNets.Kernels;

/// <summary>
/// x·y + addend as the kernels' numeric family computes it: <see cref="Fused"/> (one rounding, the hardware's
/// fused multiply-add) or <see cref="Unfused"/> (the product rounded, then the sum). The kernels take it as a
/// type argument, so each family's loops are compiled without a branch; every width of one family does the same
/// operations, which is what keeps its results bit-identical.
/// </summary>
internal interface IMultiplyAdd
{
    /// <summary>x·y + addend for one element.</summary>
    static abstract T Of<T>(T x, T y, T addend) where T : IFloatingPointIeee754<T>;

    /// <summary>x·y + addend lane by lane; float and double only.</summary>
    static abstract Vector512<T> Of<T>(Vector512<T> x, Vector512<T> y, Vector512<T> addend);

    /// <summary>x·y + addend lane by lane; float and double only.</summary>
    static abstract Vector256<T> Of<T>(Vector256<T> x, Vector256<T> y, Vector256<T> addend);

    /// <summary>x·y + addend lane by lane; float and double only.</summary>
    static abstract Vector128<T> Of<T>(Vector128<T> x, Vector128<T> y, Vector128<T> addend);
}

/// <summary>The fused family: one rounding per multiply-add (CPUs with a hardware FMA: x86-64-v3 and later, ARM64).</summary>
internal readonly struct Fused : IMultiplyAdd
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Of<T>(T x, T y, T addend) where T : IFloatingPointIeee754<T> => T.FusedMultiplyAdd(x, y, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Of<T>(Vector512<T> x, Vector512<T> y, Vector512<T> addend)
    {
        if (typeof(T) == typeof(float))
            return Vector512.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), addend.AsSingle()).As<float, T>();
        return Vector512.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), addend.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Of<T>(Vector256<T> x, Vector256<T> y, Vector256<T> addend)
    {
        if (typeof(T) == typeof(float))
            return Vector256.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), addend.AsSingle()).As<float, T>();
        return Vector256.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), addend.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Of<T>(Vector128<T> x, Vector128<T> y, Vector128<T> addend)
    {
        if (typeof(T) == typeof(float))
            return Vector128.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), addend.AsSingle()).As<float, T>();
        return Vector128.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), addend.AsDouble()).As<double, T>();
    }
}

/// <summary>
/// The unfused family: the product rounded, then the sum (CPUs without a hardware FMA: x86 before AVX2, x86 with
/// intrinsics off, WebAssembly). Plain multiplies and adds, so every width runs on the hardware's own vectors;
/// the JIT never contracts them into a fused operation.
/// </summary>
internal readonly struct Unfused : IMultiplyAdd
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Of<T>(T x, T y, T addend) where T : IFloatingPointIeee754<T> => x * y + addend;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Of<T>(Vector512<T> x, Vector512<T> y, Vector512<T> addend) => x * y + addend;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Of<T>(Vector256<T> x, Vector256<T> y, Vector256<T> addend) => x * y + addend;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Of<T>(Vector128<T> x, Vector128<T> y, Vector128<T> addend) => x * y + addend;
}
