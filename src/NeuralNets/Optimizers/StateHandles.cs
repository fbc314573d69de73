namespace NeuralNets.Optimizers;

/// <summary>
/// A per-parameter state buffer an optimizer declared by name (e.g. <c>"exp_avg"</c>), as long as its parameter; the
/// handle gives its rule the buffer without a lookup by name. Made by <see cref="ElementwiseOptimizer{T}.DeclareBuffer"/>.
/// </summary>
public readonly record struct StateBuffer
{
    internal StateBuffer(int index, string name) => (Index, Name) = (index, name);

    internal int Index { get; }

    /// <summary>The buffer's name, as <see cref="ParameterState{T}"/> and snapshots give it.</summary>
    public string Name { get; }
}

/// <summary>
/// A per-parameter scalar state an optimizer declared by name (e.g. NAdam's <c>"mu_product"</c>). Made by
/// <see cref="ElementwiseOptimizer{T}.DeclareScalar"/>.
/// </summary>
public readonly record struct StateScalar
{
    internal StateScalar(int index, string name) => (Index, Name) = (index, name);

    internal int Index { get; }

    /// <summary>The scalar's name, as <see cref="ParameterState{T}"/> and snapshots give it.</summary>
    public string Name { get; }
}

/// <summary>The state an optimizer declared: names and initial values of its buffers and scalars, in declaration order.</summary>
internal sealed class StateLayout
{
    public readonly List<(string Name, double Initial, bool NonNegative)> Buffers = [];
    public readonly List<(string Name, double Initial)> Scalars = [];

    public int BufferIndex(string name) => Buffers.FindIndex(b => b.Name == name);

    public int ScalarIndex(string name) => Scalars.FindIndex(s => s.Name == name);
}
