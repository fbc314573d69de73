using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace NeuralNets.Kernels;

/// <summary>
/// Which vector width the kernels use: the CPU's widest by default, or narrower when a test says so,
/// so that the 128-bit paths of ARM64 and WebAssembly and the scalar loops run on an x86 machine too.
/// Every width gives the same results bit for bit; the widths only change speed.
/// </summary>
/// <remarks>
/// Two widths, because two kinds of kernel need different instructions. <see cref="Exact"/> is for
/// work whose every element is exact whatever the width (copies, masks, sums kept per column): any
/// hardware vector will do. <see cref="Fused"/> is for kernels that multiply-add (matrix products,
/// exponentials, dot products): they need a hardware fused multiply-add, because the scalar loops
/// compute the same fused operations with <c>FusedMultiplyAdd</c> and a vector emulated in software
/// would only be slower. A CPU without one (x86 before AVX2, WebAssembly) takes the scalar loops for
/// those, on the helper threads all the same.
/// </remarks>
internal static class KernelWidth
{
    /// <summary>The width that means "no vectors": the scalar loops.</summary>
    public const int Scalar = 0;

    /// <summary>The widest hardware vector, in bits (512, 256 or 128), or <see cref="Scalar"/>.</summary>
    public static readonly int HardwareExact =
        Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : Vector128.IsHardwareAccelerated ? 128 : Scalar;

    /// <summary>The widest hardware vector with a fused multiply-add, in bits (512, 256 or 128), or <see cref="Scalar"/>.</summary>
    public static readonly int HardwareFused =
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? 512
        : Vector256.IsHardwareAccelerated && Fma.IsSupported ? 256
        : Vector128.IsHardwareAccelerated && (AdvSimd.IsSupported || Fma.IsSupported) ? 128
        : Scalar;

    private static int s_limit = 512;

    /// <summary>The width for exact elementwise work now: the hardware's, unless a test narrowed it.</summary>
    public static int Exact => Math.Min(HardwareExact, Volatile.Read(ref s_limit));

    /// <summary>The width for fused kernels now: the hardware's, unless a test narrowed it.</summary>
    public static int Fused => Math.Min(HardwareFused, Volatile.Read(ref s_limit));

    /// <summary>
    /// Narrows every kernel to at most <paramref name="bits"/> (512, 256, 128 or <see cref="Scalar"/>) until
    /// the returned scope is disposed; for tests, which must not run two such scopes at once.
    /// </summary>
    internal static Scope Limit(int bits)
    {
        if (bits is not (512 or 256 or 128 or Scalar))
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "Kernel widths are 512, 256, 128 or 0 (scalar) bits.");
        return new Scope(Interlocked.Exchange(ref s_limit, bits));
    }

    /// <summary>Restores the previous limit when disposed.</summary>
    internal readonly struct Scope(int previous) : IDisposable
    {
        /// <summary>Restores the limit that was in force before.</summary>
        public void Dispose() => Volatile.Write(ref s_limit, previous);
    }
}
