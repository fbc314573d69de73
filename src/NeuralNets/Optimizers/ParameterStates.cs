using System.Collections;
using System.Numerics;

namespace NeuralNets.Optimizers;

/// <summary>An optimizer's per-parameter states, in the order of its parameters, also found by parameter name.</summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class ParameterStates<T> : IReadOnlyList<ParameterState<T>> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ParameterState<T>[] _states;

    internal ParameterStates(ParameterState<T>[] states) => _states = states;

    /// <inheritdoc/>
    public int Count => _states.Length;

    /// <inheritdoc/>
    public ParameterState<T> this[int index] => _states[index];

    /// <summary>The state of the parameter named <paramref name="parameterName"/>, e.g. <c>"0.weight"</c>.</summary>
    /// <exception cref="KeyNotFoundException">No parameter has that name, or two have it.</exception>
    public ParameterState<T> this[string parameterName]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(parameterName);
            ParameterState<T>? found = null;
            foreach (var state in _states)
            {
                if (state.Name != parameterName) continue;
                if (found is not null)
                    throw new KeyNotFoundException($"Two parameters of this optimizer are named '{parameterName}'; find their state by position instead.");
                found = state;
            }
            return found ?? throw new KeyNotFoundException(
                $"This optimizer has no parameter named '{parameterName}'; its parameters are [{string.Join(", ", _states.Select(s => s.Name))}].");
        }
    }

    /// <inheritdoc/>
    public IEnumerator<ParameterState<T>> GetEnumerator() => ((IEnumerable<ParameterState<T>>)_states).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
