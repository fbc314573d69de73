using System.Runtime.CompilerServices;

namespace NeuralNets.Kernels;

/// <summary>
/// The compile option of every method that loops over a training step's elements, and of the per-step methods that
/// drive them (the layers' and losses' passes, the thread team's units, the optimizer's step): <c>[MethodImpl(HotPath.Options)]</c>.
/// </summary>
/// <remarks>
/// Such a method is compiled fully optimised at its first call, instead of starting as unoptimised tier-0 code that
/// the runtime replaces only after call counting and a background recompile: without it, a fresh process's first
/// second of training ran several times slower than its steady state. These methods are written to be fast without a
/// run-time profile (no virtual calls or type tests inside their loops), so giving up dynamic PGO costs them nothing;
/// <c>DOTNET_TieredCompilation=0</c> runs the same code. The drivers are marked too because every method left to the
/// tiers is recompiled in the background during the first second, on a core the training wants (on two cores, a
/// LeNet step made 296 such recompiles in its first second, 218 after the drivers were marked). So are the small helpers
/// a step calls (shape checks, span accessors, split decisions): left to the tiers, each was compiled three times (tier 0,
/// instrumented, tier 1); marked, once, and usually inlined into a marked caller. Two rules keep the first call's compile short: a marked method's
/// error messages are built in methods of their own (formatting compiled inline was kilobytes of code only a mistake
/// runs), and a marked method that several marked callers would each inline is marked not to be (one copy, not four).
/// Figures in benchmarks/README.md ("At speed from the first step", "thirteenth session").
/// </remarks>
internal static class HotPath
{
    /// <summary>Compile fully optimised at the first call.</summary>
    public const MethodImplOptions Options = MethodImplOptions.AggressiveOptimization;
}
