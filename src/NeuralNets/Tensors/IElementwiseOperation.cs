namespace NeuralNets.Tensors;

/// <summary>
/// An operation on the elements <c>[start, start + length)</c> of the tensors it holds, for
/// <see cref="ParallelElementwise.Run{TOperation}"/> to split across the helper threads.
/// </summary>
/// <remarks>
/// Write it as a <c>readonly struct</c> that holds its tensors (or arrays), not spans, and computes each element
/// from the same elements whatever range it falls in: the result then does not depend on the number of threads.
/// </remarks>
public interface IElementwiseOperation
{
    /// <summary>Applies the operation to one range; ranges never overlap, so several may run at once.</summary>
    /// <param name="start">The first element of the range.</param>
    /// <param name="length">The number of elements in the range.</param>
    void Run(int start, int length);
}
