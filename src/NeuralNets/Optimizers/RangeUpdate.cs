using System.Numerics;
using NeuralNets.Kernels;

namespace NeuralNets.Optimizers;

/// <summary>An optimizer whose update of one parameter can be applied range by range.</summary>
internal interface IRangeUpdate
{
    /// <summary>Updates elements <c>[start, start + length)</c> of parameter <paramref name="index"/>, with its state.</summary>
    void UpdateRange(int index, int start, int length);
}

/// <summary>
/// Applies an optimizer's update to one parameter through <see cref="ParallelRanges"/>: a long
/// parameter is split across the cores, each element still updated by the same arithmetic.
/// </summary>
internal static class RangeUpdate
{
    /// <summary>Runs <paramref name="optimizer"/>'s update of <paramref name="parameter"/> (its <paramref name="index"/>).</summary>
    public static void Run<TOptimizer, T>(TOptimizer optimizer, Parameter<T> parameter, int index)
        where TOptimizer : class, IRangeUpdate
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // A gradient pending zero is cleared here, on the calling thread, never by two ranges at once.
        _ = parameter.GradientArray;
        ParallelRanges.Run(new Operation<TOptimizer>(optimizer, index), parameter.Length);
    }

    private readonly struct Operation<TOptimizer>(TOptimizer optimizer, int index) : IRangeOperation
        where TOptimizer : class, IRangeUpdate
    {
        public void Run(int start, int length) => optimizer.UpdateRange(index, start, length);
    }
}
