using System.Numerics;

namespace NeuralNets.Testing.Optimizers;

/// <summary>A problem as the optimizer under test sees it, over parameters of its element type; w is read back in double.</summary>
internal interface ISubjectProblem<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The problem's name.</summary>
    string Name { get; }

    /// <summary>The parameters to construct the optimizer with.</summary>
    IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>The optimizer's closure: zeroes the gradients, writes ∇f at the current w and returns f(w).</summary>
    Func<T> Evaluate { get; }

    /// <summary>A copy of the current w, every parameter's elements in order, in double.</summary>
    double[] Values { get; }

    /// <summary>Element <paramref name="index"/> of w in its own parameter's name and coordinates.</summary>
    string ElementName(int index);
}
