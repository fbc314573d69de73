using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Tensors;

namespace NeuralNets.Optimizers;

public abstract partial class ElementwiseOptimizer<T>
{
    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">Two parameters share a name, so a snapshot by name would be ambiguous.</exception>
    public OptimizerSnapshot ExportState()
    {
        CheckUniqueNames();
        var hyperparameters = new Dictionary<string, double>();
        foreach (var h in _hyperparameters) hyperparameters[h.Name] = h.Get();
        var parameters = new ParameterStateSnapshot[_states.Length];
        for (int i = 0; i < _states.Length; i++)
        {
            var state = _states[i];
            var buffers = new Dictionary<string, double[]>();
            for (int b = 0; b < _layout.Buffers.Count; b++)
            {
                if (state.RawBuffer(b) is not { } buffer) continue;
                var copy = new double[buffer.Length];
                TensorPrimitives.ConvertTruncating<T, double>(buffer, copy); // exact: float and double both widen to double
                buffers[_layout.Buffers[b].Name] = copy;
            }
            state.SyncScalars();
            var scalars = new Dictionary<string, double>();
            for (int s = 0; s < _layout.Scalars.Count; s++) scalars[_layout.Scalars[s].Name] = state.RawScalar(s);
            parameters[i] = new ParameterStateSnapshot(state.Name, [.. state.Parameter.Shape], state.Step, buffers, scalars);
        }
        return new OptimizerSnapshot(Kind, typeof(T).Name, hyperparameters, parameters);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">
    /// The snapshot is of another kind or element type, lacks or adds a hyperparameter, parameter, buffer or scalar, has
    /// a shape or length that differs, a hyperparameter out of range, a buffer value or scalar that is not finite in
    /// <typeparamref name="T"/> (NaN, infinite, or beyond its range), or a negative value in a buffer of squares
    /// (<see cref="DeclareNonNegativeBuffer"/>); the message names which. Nothing has changed then.
    /// </exception>
    public void ImportState(OptimizerSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        CheckUniqueNames();
        if (snapshot.Kind != Kind)
            throw new ArgumentException($"The snapshot is of {snapshot.Kind}, but this optimizer is {Kind}.", nameof(snapshot));
        if (snapshot.ElementType != typeof(T).Name)
            throw new ArgumentException($"The snapshot holds {snapshot.ElementType} state, but this optimizer's element type is {typeof(T).Name}.", nameof(snapshot));
        if (snapshot.Parameters.Count != _states.Length)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The snapshot holds the state of {snapshot.Parameters.Count} parameters, but this optimizer has {_states.Length}."), nameof(snapshot));

        var byName = new Dictionary<string, ParameterStateSnapshot>();
        foreach (var p in snapshot.Parameters)
        {
            if (p is null) throw new ArgumentException("The snapshot's parameter list holds a null.", nameof(snapshot));
            if (!byName.TryAdd(p.Name, p)) throw new ArgumentException($"The snapshot holds parameter '{p.Name}' twice.", nameof(snapshot));
        }
        var prepared = new (long Step, T[]?[] Buffers, double[] Scalars)[_states.Length];
        for (int i = 0; i < _states.Length; i++)
        {
            if (!byName.TryGetValue(_states[i].Name, out var p))
                throw new ArgumentException($"The snapshot has no state for parameter '{_states[i].Name}'; it has [{string.Join(", ", byName.Keys)}].", nameof(snapshot));
            prepared[i] = Prepare(_states[i].Parameter, p);
        }

        SetHyperparameters(snapshot.Hyperparameters);
        for (int i = 0; i < _states.Length; i++) _states[i].Replace(prepared[i].Step, prepared[i].Buffers, prepared[i].Scalars);
    }

    /// <summary>Checks one parameter's snapshot against the parameter and the declared state, and converts it.</summary>
    private (long, T[]?[], double[]) Prepare(Parameter<T> parameter, ParameterStateSnapshot p)
    {
        string name = parameter.Name;
        if (!p.Shape.SequenceEqual(parameter.Shape))
            throw new ArgumentException($"The snapshot gives parameter '{name}' the shape {TensorMemory.ShapeText(p.Shape)}, but it has {TensorMemory.ShapeText(parameter.Shape)}.", "snapshot");
        if (p.Step < 0)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The snapshot gives parameter '{name}' the step {p.Step}; a step count is not negative."), "snapshot");

        var buffers = new T[]?[_layout.Buffers.Count];
        foreach (var (bufferName, values) in p.Buffers)
        {
            int index = _layout.BufferIndex(bufferName);
            if (index < 0)
                throw new ArgumentException($"The snapshot has the buffer '{bufferName}' for parameter '{name}', which {Kind} does not keep; it keeps [{string.Join(", ", _layout.Buffers.Select(b => b.Name))}].", "snapshot");
            if (values is null || values.Length != parameter.Length)
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"The snapshot's buffer '{bufferName}' of parameter '{name}' holds {values?.Length ?? 0} values, but the parameter has {parameter.Length}."), "snapshot");
            var array = new T[values.Length];
            TensorPrimitives.ConvertTruncating<double, T>(values, array);
            CheckValues(array, values, _layout.Buffers[index].NonNegative, bufferName, name);
            buffers[index] = array;
        }

        var scalars = new double[_layout.Scalars.Count];
        foreach (string scalarName in p.Scalars.Keys)
            if (_layout.ScalarIndex(scalarName) < 0)
                throw new ArgumentException($"The snapshot has the scalar '{scalarName}' for parameter '{name}', which {Kind} does not keep.", "snapshot");
        for (int s = 0; s < scalars.Length; s++)
        {
            if (!p.Scalars.TryGetValue(_layout.Scalars[s].Name, out scalars[s]))
                throw new ArgumentException($"The snapshot lacks the scalar '{_layout.Scalars[s].Name}' of parameter '{name}'.", "snapshot");
            if (!double.IsFinite(scalars[s]))
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"The snapshot's scalar '{_layout.Scalars[s].Name}' of parameter '{name}' is {scalars[s]}; a step leaves it finite."), "snapshot");
        }
        return (p.Step, buffers, scalars);
    }

    // A value no run could have left: one that is not finite once in T (NaN, ±∞, or a double beyond T's range), or a
    // negative one in a buffer of squares. Either would turn the next step's update, and the weights, non-finite.
    private void CheckValues(T[] values, double[] saved, bool nonNegative, string buffer, string parameter)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (T.IsFinite(values[i]) && !(nonNegative && saved[i] < 0)) continue;
            string rule = nonNegative
                ? $"{Kind}'s '{buffer}' is a sum or an average of squares, finite and never negative"
                : $"a step leaves '{buffer}' finite in {typeof(T).Name}";
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The snapshot's buffer '{buffer}' of parameter '{parameter}' holds {saved[i]} at index {i}; {rule}."), "snapshot");
        }
    }

    private void CheckUniqueNames()
    {
        var names = new HashSet<string>();
        foreach (var state in _states)
            if (!names.Add(state.Name))
                throw new InvalidOperationException($"Two parameters of this optimizer are named '{state.Name}'; state by name needs unique names.");
    }
}
