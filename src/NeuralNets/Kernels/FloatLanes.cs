using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NeuralNets.Kernels;

/// <summary>
/// The float operations the activation kernels need, over one vector width, so that each activation's formula is
/// written once (<see cref="FloatActivations"/>) and compiled for 512, 256 and 128 bits alike. Every operation is a
/// single IEEE operation lane by lane (or the numeric family's multiply-add, or <see cref="Exponential"/>'s e^x), so all
/// widths give the same bits.
/// </summary>
/// <typeparam name="TV">The vector type.</typeparam>
internal interface IFloatLanes<TV> where TV : struct
{
    static abstract int Count { get; }
    static abstract TV Load(ref float source, nuint index);
    static abstract void Store(TV value, ref float target, nuint index);
    static abstract TV Splat(float value);
    static abstract TV Add(TV x, TV y);
    static abstract TV Subtract(TV x, TV y);
    static abstract TV Multiply(TV x, TV y);
    static abstract TV Divide(TV x, TV y);
    static abstract TV Negate(TV x);
    static abstract TV Abs(TV x);
    static abstract TV MultiplyAdd<TMultiplyAdd>(TV x, TV y, TV addend) where TMultiplyAdd : struct, IMultiplyAdd;
    static abstract TV Exp<TMultiplyAdd>(TV x) where TMultiplyAdd : struct, IMultiplyAdd;
    static abstract TV GreaterThan(TV x, TV y);
    static abstract TV LessThan(TV x, TV y);
    static abstract TV Select(TV mask, TV whenTrue, TV whenFalse);
    /// <summary>x where the mask's lane is all ones, +0 where it is all zeros: one bitwise and, where a select with zero takes three.</summary>
    static abstract TV Masked(TV mask, TV x);
}

internal readonly struct Lanes512 : IFloatLanes<Vector512<float>>
{
    public static int Count => Vector512<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Load(ref float source, nuint index) => Vector512.LoadUnsafe(ref source, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<float> value, ref float target, nuint index) => value.StoreUnsafe(ref target, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Splat(float value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Add(Vector512<float> x, Vector512<float> y) => x + y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Subtract(Vector512<float> x, Vector512<float> y) => x - y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Multiply(Vector512<float> x, Vector512<float> y) => x * y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Divide(Vector512<float> x, Vector512<float> y) => x / y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Negate(Vector512<float> x) => -x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Abs(Vector512<float> x) => Vector512.Abs(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd<TMultiplyAdd>(Vector512<float> x, Vector512<float> y, Vector512<float> addend) where TMultiplyAdd : struct, IMultiplyAdd => TMultiplyAdd.Of(x, y, addend);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp<TMultiplyAdd>(Vector512<float> x) where TMultiplyAdd : struct, IMultiplyAdd => Exponential.SingleExp<TMultiplyAdd>.Invoke(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> GreaterThan(Vector512<float> x, Vector512<float> y) => Vector512.GreaterThan(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> LessThan(Vector512<float> x, Vector512<float> y) => Vector512.LessThan(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Select(Vector512<float> mask, Vector512<float> whenTrue, Vector512<float> whenFalse) => Vector512.ConditionalSelect(mask, whenTrue, whenFalse);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Masked(Vector512<float> mask, Vector512<float> x) => mask & x;
}

internal readonly struct Lanes256 : IFloatLanes<Vector256<float>>
{
    public static int Count => Vector256<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Load(ref float source, nuint index) => Vector256.LoadUnsafe(ref source, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<float> value, ref float target, nuint index) => value.StoreUnsafe(ref target, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Splat(float value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Add(Vector256<float> x, Vector256<float> y) => x + y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Subtract(Vector256<float> x, Vector256<float> y) => x - y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Multiply(Vector256<float> x, Vector256<float> y) => x * y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Divide(Vector256<float> x, Vector256<float> y) => x / y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Negate(Vector256<float> x) => -x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Abs(Vector256<float> x) => Vector256.Abs(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd<TMultiplyAdd>(Vector256<float> x, Vector256<float> y, Vector256<float> addend) where TMultiplyAdd : struct, IMultiplyAdd => TMultiplyAdd.Of(x, y, addend);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp<TMultiplyAdd>(Vector256<float> x) where TMultiplyAdd : struct, IMultiplyAdd => Exponential.SingleExp<TMultiplyAdd>.Invoke(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> GreaterThan(Vector256<float> x, Vector256<float> y) => Vector256.GreaterThan(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> LessThan(Vector256<float> x, Vector256<float> y) => Vector256.LessThan(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Select(Vector256<float> mask, Vector256<float> whenTrue, Vector256<float> whenFalse) => Vector256.ConditionalSelect(mask, whenTrue, whenFalse);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Masked(Vector256<float> mask, Vector256<float> x) => mask & x;
}

internal readonly struct Lanes128 : IFloatLanes<Vector128<float>>
{
    public static int Count => Vector128<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Load(ref float source, nuint index) => Vector128.LoadUnsafe(ref source, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector128<float> value, ref float target, nuint index) => value.StoreUnsafe(ref target, index);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Splat(float value) => Vector128.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Add(Vector128<float> x, Vector128<float> y) => x + y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Subtract(Vector128<float> x, Vector128<float> y) => x - y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Multiply(Vector128<float> x, Vector128<float> y) => x * y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Divide(Vector128<float> x, Vector128<float> y) => x / y;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Negate(Vector128<float> x) => -x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Abs(Vector128<float> x) => Vector128.Abs(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd<TMultiplyAdd>(Vector128<float> x, Vector128<float> y, Vector128<float> addend) where TMultiplyAdd : struct, IMultiplyAdd => TMultiplyAdd.Of(x, y, addend);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Exp<TMultiplyAdd>(Vector128<float> x) where TMultiplyAdd : struct, IMultiplyAdd => Exponential.SingleExp<TMultiplyAdd>.Invoke(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> GreaterThan(Vector128<float> x, Vector128<float> y) => Vector128.GreaterThan(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> LessThan(Vector128<float> x, Vector128<float> y) => Vector128.LessThan(x, y);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Select(Vector128<float> mask, Vector128<float> whenTrue, Vector128<float> whenFalse) => Vector128.ConditionalSelect(mask, whenTrue, whenFalse);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Masked(Vector128<float> mask, Vector128<float> x) => mask & x;
}
