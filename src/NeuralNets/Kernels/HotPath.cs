using System.Runtime.CompilerServices;

namespace NeuralNets.Kernels;

/// <summary>
/// The compile option of every method that loops over a training step's elements: <c>[MethodImpl(HotPath.Options)]</c>.
/// </summary>
/// <remarks>
/// Such a method is compiled fully optimised at its first call, instead of starting as unoptimised tier-0 code that
/// the runtime replaces only after call counting and a background recompile: without it, a fresh process's first
/// second of training ran several times slower than its steady state. These methods are written to be fast without a
/// run-time profile (no virtual calls or type tests inside their loops), so giving up dynamic PGO costs them nothing;
/// <c>DOTNET_TieredCompilation=0</c> runs the same code. Figures in benchmarks/README.md ("At speed from the first step").
/// </remarks>
internal static class HotPath
{
    /// <summary>Compile fully optimised at the first call.</summary>
    public const MethodImplOptions Options = MethodImplOptions.AggressiveOptimization;
}
