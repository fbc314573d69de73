using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using System.Runtime.CompilerServices;

namespace NeuralNets.Kernels;

/// <summary>
/// Which numeric family and vector width the kernels use: the CPU's by default, or another when a test says so,
/// so that the 128-bit paths of ARM64 and WebAssembly, the scalar loops and the family of CPUs without a fused
/// multiply-add all run on an x86 machine too. Within a family every width gives the same results bit for bit;
/// the widths only change speed.
/// </summary>
/// <remarks>
/// <para>Two families, because a multiply-add rounds once with a hardware FMA and twice without one, and emulating
/// either on the other costs a libm call per element. The fused family (<see cref="Kernels.Fused"/>) is every CPU with a
/// hardware FMA: all x86-64-v3 and later (AVX2 and AVX-512), all ARM64. The unfused family (<see cref="Kernels.Unfused"/>)
/// is every CPU without one: x86 before AVX2 (or with it turned off), x86 with intrinsics off, WebAssembly.
/// Same seed, same weights on every CPU of a family; the two families agree with each other only to rounding.</para>
/// <para>Two widths, because two kinds of kernel need different instructions. <see cref="Exact"/> is for work whose
/// every element is exact whatever the width (copies, masks, sums kept per column): any hardware vector will do,
/// and it does not depend on the family. <see cref="MultiplyAdd"/> is for kernels that multiply-add (matrix
/// products, exponentials, dot products): in the fused family the widest vector with a hardware FMA, in the
/// unfused family the widest hardware vector up to 256 bits, with separate multiplies and adds.</para>
/// </remarks>
internal static class KernelWidth
{
    /// <summary>The width that means "no vectors": the scalar loops.</summary>
    public const int Scalar = 0;

    /// <summary>The widest hardware vector, in bits (512, 256 or 128), or <see cref="Scalar"/>.</summary>
    public static readonly int HardwareExact =
        Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : Vector128.IsHardwareAccelerated ? 128 : Scalar;

    /// <summary>
    /// Whether this CPU has a hardware fused multiply-add, and so runs the fused family: x86 with FMA (which .NET
    /// enables with AVX2), every ARM64 (even with intrinsics off, the C library's fma is one instruction there).
    /// </summary>
    public static readonly bool HardwareFma =
        Fma.IsSupported || AdvSimd.IsSupported || RuntimeInformation.ProcessArchitecture == Architecture.Arm64;

    /// <summary>The widest hardware vector with a fused multiply-add, in bits (512, 256 or 128), or <see cref="Scalar"/>: the fused family's widest.</summary>
    public static readonly int HardwareFused =
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? 512
        : Vector256.IsHardwareAccelerated && Fma.IsSupported ? 256
        : Vector128.IsHardwareAccelerated && (AdvSimd.IsSupported || Fma.IsSupported) ? 128
        : Scalar;

    /// <summary>
    /// The unfused family's widest: the widest hardware vector up to 256 bits (a CPU with 512-bit vectors has an FMA
    /// and runs the unfused family only when a test forces it), or <see cref="Scalar"/>.
    /// </summary>
    public static readonly int HardwareUnfused = Math.Min(HardwareExact, 256);

    private static int s_limit = 512;
    private static int s_unfusedForced;

    /// <summary>The width for exact elementwise work now: the hardware's, unless a test narrowed it.</summary>
    public static int Exact { [MethodImpl(HotPath.Options)] get => Math.Min(HardwareExact, Volatile.Read(ref s_limit)); }

    /// <summary>Whether the multiply-add kernels use the fused family now: where the hardware has an FMA, unless a test forced the unfused family.</summary>
    public static bool FusedFamily { [MethodImpl(HotPath.Options)] get => HardwareFma && Volatile.Read(ref s_unfusedForced) == 0; }

    /// <summary>The widest width the multiply-add kernels can take in the family now (<see cref="HardwareFused"/> or <see cref="HardwareUnfused"/>).</summary>
    public static int WidestMultiplyAdd { [MethodImpl(HotPath.Options)] get => FusedFamily ? HardwareFused : HardwareUnfused; }

    /// <summary>The width for multiply-add kernels now: the family's widest, unless a test narrowed it.</summary>
    public static int MultiplyAdd { [MethodImpl(HotPath.Options)] get => Math.Min(WidestMultiplyAdd, Volatile.Read(ref s_limit)); }

    /// <summary>
    /// Narrows every kernel to at most <paramref name="bits"/> (512, 256, 128 or <see cref="Scalar"/>) until
    /// the returned scope is disposed; for tests, which must not run two such scopes at once.
    /// </summary>
    internal static Scope Limit(int bits)
    {
        if (bits is not (512 or 256 or 128 or Scalar))
            throw new ArgumentOutOfRangeException(nameof(bits), string.Create(CultureInfo.InvariantCulture, $"Kernel widths are 512, 256, 128 or 0 (scalar) bits, not {bits}."));
        return new Scope(Interlocked.Exchange(ref s_limit, bits), Volatile.Read(ref s_unfusedForced));
    }

    /// <summary>
    /// Runs the multiply-add kernels in the unfused family (as on a CPU without FMA) until the returned scope is
    /// disposed, at any width <see cref="Limit"/> allows; with <paramref name="force"/> false, in the hardware's own
    /// family. For tests, which must not run two such scopes at once. (The fused family cannot be forced where the
    /// hardware has no FMA: emulating it is what this split avoids.)
    /// </summary>
    internal static Scope ForceUnfused(bool force = true)
    {
        int previousLimit = Volatile.Read(ref s_limit);
        return new Scope(previousLimit, Interlocked.Exchange(ref s_unfusedForced, force ? 1 : 0));
    }

    /// <summary>Restores the previous limit and family when disposed.</summary>
    internal readonly struct Scope(int previousLimit, int previousUnfusedForced) : IDisposable
    {
        /// <summary>Restores the limit and family that were in force before.</summary>
        public void Dispose()
        {
            Volatile.Write(ref s_limit, previousLimit);
            Volatile.Write(ref s_unfusedForced, previousUnfusedForced);
        }
    }
}
