using System.Numerics;

namespace NeuralNets.Optimizers;

/// <summary>
/// What an optimizer keeps for one parameter: the number of updates it has had, its state buffers (each as long as the
/// parameter, e.g. Adam's <c>exp_avg</c> and <c>exp_avg_sq</c>) and its scalar state, all by PyTorch's names. A buffer
/// appears at the parameter's first update, as in PyTorch; one that a setting switches off (Adam's
/// <c>max_exp_avg_sq</c> without AMSGrad) never appears.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class ParameterState<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly StateLayout _layout;
    private T[]?[] _buffers = [];
    private double[] _scalars = [];

    internal ParameterState(Parameter<T> parameter, int index, StateLayout layout)
    {
        (Parameter, Index, _layout) = (parameter, index, layout);
        Reset();
    }

    /// <summary>The parameter this state belongs to.</summary>
    public Parameter<T> Parameter { get; }

    /// <summary>The parameter's name, e.g. <c>"0.weight"</c>.</summary>
    public string Name => Parameter.Name;

    /// <summary>The parameter's position in the optimizer's parameter list.</summary>
    public int Index { get; }

    /// <summary>How many updates the parameter has had (PyTorch's <c>step</c>); 0 before the first and after <see cref="Reset"/>.</summary>
    public long Step { get; internal set; }

    /// <summary>The names of the buffers present now, in the order the optimizer declared them.</summary>
    public IReadOnlyList<string> BufferNames
    {
        get
        {
            var names = new List<string>();
            for (int i = 0; i < _buffers.Length; i++)
                if (_buffers[i] is not null) names.Add(_layout.Buffers[i].Name);
            return names;
        }
    }

    /// <summary>The names of the scalar states, in the order the optimizer declared them.</summary>
    public IReadOnlyList<string> ScalarNames => _layout.Scalars.ConvertAll(s => s.Name);

    /// <summary>Whether the buffer <paramref name="name"/> is present.</summary>
    public bool HasBuffer(string name)
    {
        int index = _layout.BufferIndex(name);
        return index >= 0 && index < _buffers.Length && _buffers[index] is not null;
    }

    /// <summary>The buffer <paramref name="name"/>, flat and row-major like the parameter (writable: writing changes the next update).</summary>
    /// <exception cref="KeyNotFoundException">The optimizer keeps no such buffer for this parameter (yet).</exception>
    public Span<T> this[string name]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(name);
            if (!HasBuffer(name))
                throw new KeyNotFoundException($"Parameter '{Name}' has no state buffer '{name}'; it has [{string.Join(", ", BufferNames)}]"
                    + (Step == 0 ? " (buffers appear at the first update)." : "."));
            return _buffers[_layout.BufferIndex(name)];
        }
    }

    /// <summary>The buffer a rule declared, flat and row-major like the parameter.</summary>
    /// <exception cref="InvalidOperationException">The buffer is not present (its optimizer does not use it with its current settings).</exception>
    public Span<T> this[StateBuffer buffer] => BufferArray(buffer);

    /// <summary>The scalar state <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">The optimizer keeps no such scalar.</exception>
    public double Scalar(string name)
    {
        int index = _layout.ScalarIndex(name);
        if (index < 0)
            throw new KeyNotFoundException($"Parameter '{Name}' has no scalar state '{name}'; it has [{string.Join(", ", ScalarNames)}].");
        SyncScalars();
        return _scalars[index];
    }

    /// <summary>The scalar state a rule declared; set it on the calling thread only (in <see cref="ElementwiseOptimizer{T}.BeginUpdate"/>).</summary>
    public double this[StateScalar scalar]
    {
        get
        {
            SyncScalars();
            return _scalars[scalar.Index];
        }
        set
        {
            SyncScalars();
            _scalars[scalar.Index] = value;
        }
    }

    /// <summary>Forgets this parameter's state: no buffers, scalars at their initial values, step 0, as before the first update.</summary>
    public void Reset()
    {
        _buffers = new T[]?[_layout.Buffers.Count];
        _scalars = new double[_layout.Scalars.Count];
        for (int i = 0; i < _scalars.Length; i++) _scalars[i] = _layout.Scalars[i].Initial;
        Step = 0;
    }

    internal T[] BufferArray(StateBuffer buffer) =>
        buffer.Index < _buffers.Length && _buffers[buffer.Index] is { } array ? array
            : throw new InvalidOperationException($"Parameter '{Name}' has no state buffer '{buffer.Name}': the optimizer does not use it with its current settings.");

    internal bool HasBuffer(int index) => index < _buffers.Length && _buffers[index] is not null;

    /// <summary>Creates buffer <paramref name="index"/> (declared after this state was made, the arrays grow first).</summary>
    internal void Allocate(int index)
    {
        if (_buffers.Length < _layout.Buffers.Count) Array.Resize(ref _buffers, _layout.Buffers.Count);
        var array = new T[Parameter.Length];
        double initial = _layout.Buffers[index].Initial;
        if (initial != 0) array.AsSpan().Fill(T.CreateChecked(initial));
        _buffers[index] = array;
    }

    /// <summary>Replaces all state at once (an import that has checked everything).</summary>
    internal void Replace(long step, T[]?[] buffers, double[] scalars) => (Step, _buffers, _scalars) = (step, buffers, scalars);

    internal T[]? RawBuffer(int index) => index < _buffers.Length ? _buffers[index] : null;

    internal double RawScalar(int index) => _scalars[index];

    /// <summary>Grows the scalar array to the layout (scalars declared after this state was made start at their initial values).</summary>
    internal void SyncScalars()
    {
        int old = _scalars.Length;
        if (old == _layout.Scalars.Count) return;
        Array.Resize(ref _scalars, _layout.Scalars.Count);
        for (int i = old; i < _scalars.Length; i++) _scalars[i] = _layout.Scalars[i].Initial;
    }
}
