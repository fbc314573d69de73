using NeuralNets.Kernels;

namespace NeuralNets.Tensors;

/// <summary>
/// Runs elementwise work over a long tensor on the library's helper threads, cut into one contiguous range per
/// thread, as the built-in activations do; a short tensor runs on the calling thread.
/// </summary>
/// <remarks>
/// The ranges depend only on the length and on <see cref="Parallelism.MaxThreads"/>, and each element is computed
/// by the same arithmetic whichever range it falls in, so results are bit-identical whatever the thread count.
/// Allocates nothing (the operation is a struct, and the job that carries it is reused per calling thread).
/// </remarks>
public static class ParallelElementwise
{
    /// <summary>
    /// Elements below which the work stays on the calling thread: handing it over would cost more than it saves. Measured
    /// once per process, at the first pass that could be split, from how long a representative pass takes on one thread and
    /// split across the cores (a few milliseconds); between 4,096 and 65,536. Until the measurement has been made (a try is
    /// put off while another caller's work holds the threads, or when no helper thread took part, three tries at most) it
    /// reads 8,192, so two reads around the first passes can differ. Results do not depend on it.
    /// </summary>
    public static int MinimumLength => ParallelRanges.MinimumLength;

    /// <summary>Runs <paramref name="operation"/> over the elements <c>[0, length)</c>.</summary>
    /// <typeparam name="TOperation">The operation: a struct, copied to each helper thread.</typeparam>
    /// <param name="operation">The operation, holding references to its tensors.</param>
    /// <param name="length">How many elements to cover.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="length"/> is negative.</exception>
    public static void Run<TOperation>(in TOperation operation, int length) where TOperation : struct, IElementwiseOperation
    {
        ArgumentRange.ThrowIfNegative(length);
        ParallelRanges.Run(new Adapter<TOperation>(operation), length);
    }

    private readonly struct Adapter<TOperation>(TOperation operation) : IRangeOperation where TOperation : struct, IElementwiseOperation
    {
        private readonly TOperation _operation = operation;

        public void Run(int start, int length) => _operation.Run(start, length);
    }
}
