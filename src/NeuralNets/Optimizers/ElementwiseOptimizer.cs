using System.Runtime.CompilerServices;
using System.Globalization;
using System.Numerics;
using NeuralNets.Kernels;

namespace NeuralNets.Optimizers;

/// <summary>
/// The driver of every elementwise optimizer: it owns the parameter list, the learning rate, each parameter's
/// <see cref="ParameterState{T}"/> and scratch buffers, and runs a rule's <see cref="Update"/> over each parameter,
/// a long parameter cut into ranges that run at once on the helper threads (<see cref="Parallelism"/>). A rule says
/// what one range's update is; it must not read another element's state, which makes the result the same bit for bit
/// whatever the thread count. After the first step, a step allocates nothing.
/// </summary>
/// <remarks>
/// <para>To write an optimizer: derive from this class, declare the state it keeps per parameter with
/// <see cref="DeclareBuffer"/> (or <see cref="DeclareNonNegativeBuffer"/>)/<see cref="DeclareScalar"/> and its hyperparameters with <see cref="DeclareHyperparameter"/>
/// (all in the constructor), and override <see cref="Update"/> with the rule written on spans, e.g. with
/// <c>TensorPrimitives</c>. Per-step coefficients that depend on scalar state go in <see cref="BeginUpdate"/>, which runs
/// once per parameter on the calling thread before its ranges. The built-in optimizers are written this way.</para>
/// <para>The shape follows torch.optim's functional form and Optimisers.jl's rule / state / <c>apply!</c>: the rule holds
/// hyperparameters, the state is data (read it through <see cref="State"/>, save it with <see cref="ExportState"/>),
/// and this class is the loop.</para>
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public abstract partial class ElementwiseOptimizer<T> : IOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Parameter<T>[] _parameters;
    private readonly ParameterState<T>[] _states;
    private readonly StateLayout _layout = new();
    private T[][] _scratch = [];
    private double _learningRate;

    /// <summary>Takes the parameters (refusing an empty list, nulls and a parameter listed twice) and the learning rate.</summary>
    /// <param name="parameters">The parameters to update, e.g. <c>network.Parameters</c>; at least one.</param>
    /// <exception cref="ArgumentException"><paramref name="parameters"/> is empty, holds a null, or lists a parameter twice.</exception>
    /// <param name="learningRate">η, positive and finite, and positive once rounded to <typeparamref name="T"/>.</param>
    protected ElementwiseOptimizer(IEnumerable<Parameter<T>> parameters, double learningRate)
    {
        _parameters = ParameterList.Collect(parameters);
        _states = new ParameterState<T>[_parameters.Length];
        for (int i = 0; i < _parameters.Length; i++) _states[i] = new ParameterState<T>(_parameters[i], i, _layout);
        State = new ParameterStates<T>(_states);
        LearningRate = learningRate;
        DeclareHyperparameter("learningRate", () => LearningRate, value => LearningRate = value);
        // The first optimizer of a library type starts compiling its update on another core (the first step's). The
        // rehearsal runs later, on the warm-up's thread, normally after the subclass has declared its buffers; it only
        // reads them, so at worst it fails and saves nothing.
        if (LibraryCode.Declares(GetType())) KernelWarmUp.Enqueue(GetType(), RehearseUpdate);
    }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters => _parameters;

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive and finite, or rounds to zero in <typeparamref name="T"/>.</exception>
    public double LearningRate
    {
        get => _learningRate;
        set
        {
            OptimizerChecks.Positive(value, "learningRate");
            if (T.CreateChecked(value) == T.Zero)
                throw new ArgumentOutOfRangeException("learningRate", string.Create(CultureInfo.InvariantCulture,
                    $"learningRate {value} is 0 as {typeof(T).Name}; it must stay positive in the parameters' element type."));
            _learningRate = value;
        }
    }

    /// <summary>Each parameter's state, by position or by parameter name: <c>optimizer.State["0.weight"]["exp_avg"]</c>.</summary>
    public ParameterStates<T> State { get; }

    /// <summary>The optimizer's kind in snapshots and <see cref="ToString"/>: its class name without the type argument.</summary>
    public virtual string Kind
    {
        get
        {
            string name = GetType().Name;
            int tick = name.IndexOf('`', StringComparison.Ordinal);
            return tick < 0 ? name : name[..tick];
        }
    }

    /// <summary>How many scratch buffers (each as long as the longest parameter) <see cref="Update"/> uses; read before every step.</summary>
    protected virtual int ScratchBuffers { [MethodImpl(HotPath.Options)] get => 0; }

    /// <inheritdoc/>
    [MethodImpl(HotPath.Options)]
    public virtual T Step(Func<T> evaluate)
    {
        ArgumentNullException.ThrowIfNull(evaluate);
        T loss = evaluate();
        UpdateParameters();
        return loss;
    }

    /// <summary>Forgets all state, as if no step had been taken; hyperparameters stay as they are.</summary>
    public void Reset()
    {
        foreach (var state in _states) state.Reset();
    }

    /// <summary>Forgets the state of the parameter named <paramref name="parameterName"/>.</summary>
    /// <exception cref="KeyNotFoundException">No parameter of this optimizer has that name.</exception>
    public void Reset(string parameterName) => State[parameterName].Reset();

    /// <summary>
    /// Runs <see cref="Update"/> over every parameter, in order: each parameter's step count is advanced (when
    /// <paramref name="countStep"/>), its buffers are created if this is their first use, <see cref="BeginUpdate"/> runs,
    /// then the ranges. <see cref="Step"/> calls it once after <c>evaluate</c>; an optimizer that overrides
    /// <see cref="Step"/> (e.g. to evaluate at a look-ahead point) calls it for each pass it makes.
    /// </summary>
    /// <param name="countStep">Whether this pass is an update that counts as a step.</param>
    // Not inlined: Step, compiled fully optimised too, would otherwise compile this whole body a second time.
    [MethodImpl(HotPath.Options | MethodImplOptions.NoInlining)]
    protected void UpdateParameters(bool countStep = true)
    {
        EnsureScratch();
        for (int i = 0; i < _parameters.Length; i++)
        {
            var state = _states[i];
            EnsureBuffers(state);
            if (countStep) state.Step++;
            BeginUpdate(state);
            // A gradient pending zero is cleared here, on the calling thread, never by two ranges at once.
            _ = _parameters[i].GradientSegment;
            ParallelRanges.Run(new RangeOperation(this, state), _parameters[i].Length);
        }
        KernelWarmUp.PassFinished();
    }

    /// <summary>Runs once per parameter and update pass, on the calling thread, before its ranges: the place for per-step coefficients and scalar state.</summary>
    /// <param name="state">The parameter's state, its step already advanced.</param>
    [MethodImpl(HotPath.Options)]
    protected virtual void BeginUpdate(ParameterState<T> state)
    {
    }

    /// <summary>The rule: updates the elements of <paramref name="range"/> and their state. Runs on several threads at once, one range each.</summary>
    /// <param name="range">The values, gradient, state and scratch of one range of one parameter.</param>
    protected abstract void Update(ElementRange<T> range);

    /// <summary>Whether the rule, with its current settings, uses <paramref name="buffer"/>; a buffer is created at the first update that uses it.</summary>
    /// <param name="buffer">A buffer this optimizer declared.</param>
    protected virtual bool UsesBuffer(StateBuffer buffer) => true;

    /// <summary>Declares a per-parameter state buffer; call it in the constructor.</summary>
    /// <param name="name">Its name, PyTorch's where PyTorch has one (<c>"exp_avg"</c>, <c>"momentum_buffer"</c>, <c>"sum"</c>).</param>
    /// <param name="initialValue">What each element starts at. Default 0.</param>
    /// <returns>The handle <see cref="Update"/> reads it through.</returns>
    protected StateBuffer DeclareBuffer(string name, double initialValue = 0) => AddBuffer(name, initialValue, nonNegative: false);

    /// <summary>
    /// Declares a per-parameter state buffer that is never negative, a sum of squares or an average of them (Adam's
    /// <c>"exp_avg_sq"</c>, Adagrad's <c>"sum"</c>): <see cref="ImportState"/> refuses a negative value in it, which no
    /// run could have produced and which would turn a square root into NaN. Call it in the constructor.
    /// </summary>
    /// <param name="name">Its name, PyTorch's where PyTorch has one.</param>
    /// <param name="initialValue">What each element starts at, at least 0. Default 0.</param>
    /// <returns>The handle <see cref="Update"/> reads it through.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="initialValue"/> is negative or not finite.</exception>
    protected StateBuffer DeclareNonNegativeBuffer(string name, double initialValue = 0) =>
        AddBuffer(name, OptimizerChecks.NonNegative(initialValue, nameof(initialValue)), nonNegative: true);

    private StateBuffer AddBuffer(string name, double initialValue, bool nonNegative)
    {
        CheckNewName(name, "state");
        _layout.Buffers.Add((name, initialValue, nonNegative));
        return new StateBuffer(_layout.Buffers.Count - 1, name);
    }

    /// <summary>Declares a per-parameter scalar state; call it in the constructor.</summary>
    /// <param name="name">Its name, e.g. <c>"mu_product"</c>.</param>
    /// <param name="initialValue">What it starts at.</param>
    /// <returns>The handle <see cref="BeginUpdate"/> reads and writes it through.</returns>
    protected StateScalar DeclareScalar(string name, double initialValue)
    {
        CheckNewName(name, "state");
        _layout.Scalars.Add((name, initialValue));
        return new StateScalar(_layout.Scalars.Count - 1, name);
    }

    private void CheckNewName(string name, string what)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (name == "step" || _layout.BufferIndex(name) >= 0 || _layout.ScalarIndex(name) >= 0)
            throw new ArgumentException($"The {what} name '{name}' is taken ('step' is the driver's).", nameof(name));
    }

    [MethodImpl(HotPath.Options)]
    private void EnsureScratch()
    {
        int count = ScratchBuffers;
        if (_scratch.Length >= count) return;
        int longest = 0;
        foreach (var p in _parameters) longest = Math.Max(longest, p.Length);
        var scratch = new T[count][];
        for (int i = 0; i < count; i++) scratch[i] = i < _scratch.Length ? _scratch[i] : new T[longest];
        _scratch = scratch;
    }

    [MethodImpl(HotPath.Options)]
    private void EnsureBuffers(ParameterState<T> state)
    {
        for (int b = 0; b < _layout.Buffers.Count; b++)
            if (!state.HasBuffer(b) && UsesBuffer(new StateBuffer(b, _layout.Buffers[b].Name))) state.Allocate(b);
    }

    /// <summary>
    /// Runs the rule once on a private parameter of a few elements with every buffer, on the calling thread (the
    /// warm-up's): <see cref="Update"/> only reads this optimizer's settings (it runs on several threads at once), and
    /// <see cref="BeginUpdate"/>, which may write them, is not called.
    /// </summary>
    /// <remarks>An optimizer whose <see cref="Update"/> reads more than its settings (Nesterov's kept weights, by parameter
    /// index) overrides this to rehearse on a private twin: the caller's step may be running on another thread.</remarks>
    internal virtual void RehearseUpdate() => RehearseRule();

    /// <summary>The parameter length of <see cref="RehearseUpdate"/>: every vector width's loop and the scalar tail.</summary>
    private protected const int RehearsalLength = 23;

    /// <summary><see cref="RehearseUpdate"/>'s work on this instance.</summary>
    private protected void RehearseRule()
    {
        KernelWarmUp.PrepareHotPaths(GetType());
        ParallelRanges.Prepare<RangeOperation>();
        const int length = RehearsalLength;
        var state = new ParameterState<T>(new Parameter<T>("rehearsal", length), 0, _layout);
        for (int b = 0; b < _layout.Buffers.Count; b++) state.Allocate(b);
        state.Step = 1;
        var scratch = new T[ScratchBuffers][];
        for (int i = 0; i < scratch.Length; i++) scratch[i] = new T[length];
        Update(new ElementRange<T>(state, scratch, 0, length));
    }

    private void RunRange(ParameterState<T> state, int start, int length) => Update(new ElementRange<T>(state, _scratch, start, length));

    private readonly struct RangeOperation(ElementwiseOptimizer<T> optimizer, ParameterState<T> state) : IRangeOperation
    {
        public void Run(int start, int length) => optimizer.RunRange(state, start, length);
    }
}
