using NeuralNets.Kernels;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Numerics;
using System.Numerics.Tensors;
using System.Text;
using NeuralNets.Tensors;

namespace NeuralNets.Layers;

/// <summary>
/// Layers applied one after another. Forward runs them in order, Backward in reverse; its
/// parameters are named as in PyTorch's <c>nn.Sequential</c> (<c>"0.weight"</c>, <c>"2.bias"</c>).
/// </summary>
/// <remarks>
/// <para>Threads: <see cref="Predict(Tensor{T})"/> and its overloads are safe from any number of threads at
/// once, and give results bit-identical to a serial call: each call runs on an inference copy of the network
/// (the same parameters, buffers of its own) taken from a pool. <see cref="Forward"/> and <see cref="Backward"/>
/// are the training path: one thread at a time, and a second thread that calls them while a pass runs gets an
/// <see cref="InvalidOperationException"/>. A network with a layer that cannot make an inference copy runs every
/// Predict on that layer itself, in turns with other calls and with training passes (see <see cref="ILayer{T}.CreateInferenceCopy"/>).</para>
/// <para>Predicting while another thread trains the network with <see cref="Training.Trainer{T}"/>, or loads
/// parameters into it with <see cref="Serialization.ModelFile.LoadParameters{T}"/>, is refused: a <c>Predict</c> that
/// overlaps an optimizer step or the load throws <see cref="InvalidOperationException"/> rather than answer from
/// half-updated weights. Between steps (in a progress report, say) <c>Predict</c> answers from the current weights.
/// A hand-written training loop that changes the weights itself is not seen: predict between its steps, or on a
/// copy loaded from a saved file, which is what a server that keeps training should do anyway.</para>
/// <para>A <see cref="ReLU{T}"/> followed by a <see cref="MaxPool2D{T}"/> (not the last layer) runs as one pass: the pool
/// takes the maxima of the ReLU's input and rectifies them, which gives the same output and the same gradients, bit for
/// bit, as the two layers in turn. The ReLU's own Forward and Backward are then not called, so its state is not that of
/// this network's last pass. So does any other of the library's elementwise activations followed by a <see cref="MaxPool2D{T}"/>,
/// and any of them followed by an <see cref="AvgPool2D{T}"/>: the pool applies the activation to one plane at a time and
/// pools the plane while it is in the core's cache, and in the backward pass applies its derivative to each plane's routed
/// gradient, the same values bit for bit without the gradient between them written out whole; the activation's own
/// passes are not called.
/// Likewise a <see cref="Dense{T}"/> after one of the library's elementwise activations applies that
/// activation's derivative to its input gradient as its product finishes each band of rows, the same gradients bit for bit
/// without a pass of their own; the activation's Backward is then not called. A <see cref="BatchNorm{T}"/> followed by a
/// <see cref="ReLU{T}"/> and then another of the library's layers normalises and rectifies in one pass, the same values bit
/// for bit; the ReLU's Forward is then not called.</para>
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
public sealed partial class Sequential<T> : ILayer<T>, IParameterGradientOnly<T>, Training.IWeightChangeGuard where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ILayer<T>[] _layers;
    private readonly Parameter<T>[] _parameters;
    private readonly InferenceCopies<T> _inferenceCopies;
    private readonly TensorBuffer<T> _sampleInput = new();  // Predict(sample)'s one-sample batch, in an inference copy
    private readonly bool[] _poolRectifies;  // [i]: layer i is a MaxPool2D that applies the ReLU before it (see Forward)
    private readonly bool[] _normsRectify;  // [i]: layer i is a BatchNorm that applies the ReLU after it (see Forward)
    private readonly bool[] _poolActivates;  // [i]: layer i is a MaxPool2D or AvgPool2D that applies the elementwise activation before it
    private readonly bool[] _denseDifferentiates;  // [i]: layer i is a Dense whose backward pass also does the activation's before it
    private readonly bool[] _flattenFeedsDense;  // [i]: layer i is a Flatten and layer i + 1 a Dense, which reads its input unflattened

    /// <summary>The first layer whose backward pass <see cref="BackwardToParameters"/> runs (<see cref="FindFirstLearningLayer"/>); the layer count when none.</summary>
    internal int FirstLearningLayer { get; }
    private int _passRunning;     // 1 while Forward or Backward runs: the training path is one thread at a time
    private bool _trainingPassOpen;  // a training Forward ran and its Backward has not yet
    private readonly bool _sharesLayers;  // some layer has no inference copy: inference and training take turns on it
    private readonly object _turns = new();
    private readonly Parameter<T>[] _distinctParameters;  // each parameter once, however many layers or views share it

    /// <summary>Chains <paramref name="layers"/>; the input shape is not known, so no shapes are checked up front.</summary>
    public Sequential(params ILayer<T>[] layers) : this(null, layers) { }

    /// <summary>Chains <paramref name="layers"/> for samples of <paramref name="inputShape"/>, checking that every layer fits the one before.</summary>
    public Sequential(IReadOnlyList<int>? inputShape, params ILayer<T>[] layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Length == 0) throw new ArgumentException("A Sequential network needs at least one layer.", nameof(layers));
        _layers = (ILayer<T>[])layers.Clone();
        var parameters = new List<Parameter<T>>();
        for (int i = 0; i < _layers.Length; i++)
        {
            if (_layers[i] is null) throw new ArgumentNullException(nameof(layers), string.Create(CultureInfo.InvariantCulture, $"Layer {i} is null."));
            // Views named for this network; the layer's own parameters keep their names (it may belong to another network too).
            foreach (var p in _layers[i].Parameters) parameters.Add(p.Named(ParameterName(i, p.Name)));
        }
        _parameters = parameters.ToArray();
        _distinctParameters = DistinctParameters(_parameters);
        _poolRectifies = PoolsThatRectify(_layers);
        _poolActivates = PoolsThatActivate(_layers, _poolRectifies);
        _normsRectify = NormsThatRectify(_layers, _poolRectifies, _poolActivates);
        _denseDifferentiates = DenseLayersThatDifferentiate(_layers);
        _flattenFeedsDense = FlattensBeforeDense(_layers);
        FirstLearningLayer = FindFirstLearningLayer(_layers);
        foreach (var layer in _layers)
            _sharesLayers |= layer switch
            {
                Sequential<T> nested => nested._sharesLayers,
                Residual<T> block => block.SharesLayers,
                _ => layer.CreateInferenceCopy() is null,
            };
        if (inputShape is not null)
        {
            InputShape = inputShape.ToArray();
            OutputShapeOfNetwork = OutputShape(InputShape);
        }
        _inferenceCopies = new InferenceCopies<T>(() => new Sequential<T>(this));
        // The first network of its element type, and of each layer type, starts compiling their code on another core
        // (first step, first Predict).
        KernelWarmUp.Start<T>();
        LayerRehearsal.Queue(_layers, InputShape);
    }

    // An inference copy: the same parameter objects, and of each layer its own inference copy.
    private Sequential(Sequential<T> source)
    {
        _layers = new ILayer<T>[source._layers.Length];
        for (int i = 0; i < _layers.Length; i++)
            _layers[i] = source._layers[i].CreateInferenceCopy() ?? new TakingTurns<T>(source._layers[i]);
        for (int i = 0; i + 1 < _layers.Length; i++)
        {
            // A Dense before one of the library's elementwise activations applies it to each chunk of its output as that
            // chunk is finished, on the core that computed it: the activation's pass and its hand-over between cores go.
            if (_layers[i] is Dense<T> denseBefore && _layers[i + 1] is Activation<T> { IsLibraryElementwise: true } activation)
                (denseBefore.FusedActivation, activation.PassesInputInInference) = (activation, true);
        }
        _parameters = source._parameters;
        _distinctParameters = source._distinctParameters;
        _poolRectifies = PoolsThatRectify(_layers);
        _poolActivates = PoolsThatActivate(_layers, _poolRectifies);
        _normsRectify = NormsThatRectify(_layers, _poolRectifies, _poolActivates);
        _denseDifferentiates = DenseLayersThatDifferentiate(_layers);
        _flattenFeedsDense = FlattensBeforeDense(_layers);
        FirstLearningLayer = FindFirstLearningLayer(_layers);
        _sharesLayers = source._sharesLayers;
        (InputShape, OutputShapeOfNetwork) = (source.InputShape, source.OutputShapeOfNetwork);
        _inferenceCopies = new InferenceCopies<T>(() => new Sequential<T>(this));
    }

    /// <summary>The layers, in order.</summary>
    public IReadOnlyList<ILayer<T>> Layers => _layers;

    /// <summary>Whether some layer, nested ones too, has no inference copy, so that inference and training take turns on it.</summary>
    internal bool SharesLayers => _sharesLayers;

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters { [MethodImpl(HotPath.Options)] get => _parameters; }

    /// <summary>The per-sample input shape, when it was given.</summary>
    public IReadOnlyList<int>? InputShape { get; }

    /// <summary>The per-sample output shape, when the input shape was given.</summary>
    public IReadOnlyList<int>? OutputShapeOfNetwork { get; }

    /// <summary>Total number of trainable scalars.</summary>
    public int ParameterCount
    {
        get
        {
            int count = 0;
            foreach (var p in _parameters) count += p.Length;
            return count;
        }
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">Another thread is in <see cref="Forward"/> or <see cref="Backward"/> of this network.</exception>
    [MethodImpl(HotPath.Options)]
    public Tensor<T> Forward(Tensor<T> input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input);
        using var pass = new TrainingPass(this);
        var x = input;
        for (int i = 0; i < _layers.Length; i++)
        {
            // A ReLU followed by a MaxPool2D: the pool takes its maxima from the ReLU's input and rectifies them, the same
            // values and (in Backward) the same gradients, without the ReLU's passes over the larger tensor.
            if (i + 1 < _layers.Length && _poolRectifies[i + 1]) x = ((MaxPool2D<T>)_layers[++i]).ForwardRectified(x);
            // Another of the library's elementwise activations followed by a MaxPool2D or an AvgPool2D: the pool applies it to one
            // plane at a time and pools the plane while it is in the core's cache; the same values, without the activation's
            // output read back.
            else if (i + 1 < _layers.Length && _poolActivates[i + 1])
            {
                var activation = (Activation<T>)_layers[i++];
                x = _layers[i] is MaxPool2D<T> maxPool ? maxPool.ForwardActivated(x, activation) : ((AvgPool2D<T>)_layers[i]).ForwardActivated(x, activation);
            }
            // A batch normalisation followed by a ReLU: each core rectifies the planes it has just normalised, in its cache;
            // the ReLU keeps the rectified output as its input, which gives its backward pass the same derivative.
            else if (_normsRectify[i])
            {
                var rectified = ((BatchNorm<T>)_layers[i]).ForwardRectified(x, training);
                x = ((ReLU<T>)_layers[++i]).AdoptRectified(rectified);
            }
            // A Flatten before a Dense hands its input on as it is, where it is one dense block: the Dense reads each sample's
            // values in the same row-major order, and gives its input gradient back in the input's shape.
            else if (_flattenFeedsDense[i]) x = ((Flatten<T>)_layers[i]).ForwardIntoDense(x, (Dense<T>)_layers[++i], training);
            else x = _layers[i].Forward(x, training);
        }
        _trainingPassOpen = training;
        return x;
    }

    /// <summary>Layer <paramref name="i"/>'s backward pass; where it also covered the layer before it (a fused pair), <paramref name="i"/> moves to that one.</summary>
    [MethodImpl(HotPath.Options)]
    private Tensor<T> BackwardThrough(ref int i, Tensor<T> g)
    {
        if (_denseDifferentiates[i])
        {
            i--;
            return ((Activation<T>)_layers[i]).BackwardThroughDense((Dense<T>)_layers[i + 1], g);
        }
        g = _layers[i].Backward(g);
        if (_poolRectifies[i] || _poolActivates[i]) i--;  // the pool's backward pass covered the activation's
        return g;
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">Another thread is in <see cref="Forward"/> or <see cref="Backward"/> of this network.</exception>
    [MethodImpl(HotPath.Options)]
    public Tensor<T> Backward(Tensor<T> outputGradient)
    {
        using var pass = new TrainingPass(this);
        var g = outputGradient;
        for (int i = _layers.Length - 1; i >= 0; i--) g = BackwardThrough(ref i, g);
        _trainingPassOpen = false;
        return g;
    }

    /// <summary>
    /// Held while a training pass runs: a second pass is refused at once, while a Predict that holds the turns
    /// (a network with a layer without inference copies) is waited for.
    /// </summary>
    private readonly ref struct TrainingPass
    {
        private readonly Sequential<T> _network;

        public TrainingPass(Sequential<T> network)
        {
            if (Interlocked.CompareExchange(ref network._passRunning, 1, 0) != 0)
                throw new InvalidOperationException(
                    "Forward or Backward of one Sequential network was called from two threads at once. Training passes run one at a time; " +
                    "for inference from many threads use Predict, which is safe from any number of threads.");
            _network = network;
            if (network._sharesLayers) Monitor.Enter(network._turns);
        }

        public void Dispose()
        {
            if (_network._sharesLayers) Monitor.Exit(_network._turns);
            Volatile.Write(ref _network._passRunning, 0);
        }
    }

    /// <summary>
    /// Backpropagates into the parameters' gradients only: the same gradients as <see cref="Backward"/>,
    /// but the first layer with parameters may skip dLoss/dInput, which training never uses (PyTorch likewise skips it
    /// for an input that does not require grad), and the library's layers without parameters before it (a leading
    /// <see cref="Flatten{T}"/>, say) are not run at all. Use <see cref="Backward"/> when you need the input gradient.
    /// </summary>
    [MethodImpl(HotPath.Options)]
    public void BackwardToParameters(Tensor<T> outputGradient)
    {
        using var pass = new TrainingPass(this);
        var g = outputGradient;
        int i = _layers.Length - 1, learning = FirstLearningLayer;
        // A fused pair's backward pass covers the layer before it too (the first learning layer's, when i is that one's after
        // it). The layers before the first learning one are not run at all: nothing reads their input gradients.
        for (; i > learning; i--) g = BackwardThrough(ref i, g);
        if (i == learning)
        {
            if (_layers[i] is IParameterGradientOnly<T> first) first.BackwardToParameters(g);
            else _layers[i].Backward(g);
        }
        _trainingPassOpen = false;
    }

    /// <summary>Sets every parameter's gradient to zero.</summary>
    public void ZeroGradients()
    {
        foreach (var p in _parameters) p.ZeroGradient();
    }

    /// <summary>Runs inference on a batch and returns a tensor the caller owns. Safe from any number of threads at once.</summary>
    /// <exception cref="InvalidOperationException">An optimizer step changed the weights while the call ran (another thread trains this network).</exception>
    public Tensor<T> Predict(Tensor<T> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        CheckInput(batch);
        using var call = new InferenceCall(this);
        var output = call.Copy.Forward(batch, training: false);
        var result = new T[output.FlattenedLength];
        output.Span().CopyTo(result);
        call.CheckNoStepOverlapped();
        return TensorMemory.Wrap(result, output.Shape());
    }

    /// <summary>
    /// Runs inference on a batch and writes its outputs, sample after sample, to <paramref name="output"/>, as a server does
    /// with buffers it keeps: allocates nothing once the network has seen a batch of this size on as many threads as now
    /// call it, when it knows its input shape. The values are those <see cref="Predict(Tensor{T})"/> returns. Safe from any
    /// number of threads at once.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="output"/> is not exactly as long as the batch's outputs.</exception>
    /// <exception cref="InvalidOperationException">An optimizer step changed the weights while the call ran (another thread trains this network).</exception>
    public void Predict(Tensor<T> batch, Span<T> output)
    {
        ArgumentNullException.ThrowIfNull(batch);
        CheckInput(batch);
        if (batch.Rank == 0) throw new ShapeMismatchException("Sequential", "[N, ...]", batch.Shape());
        long outputLength = (long)batch.BatchSize() * (InputShape is null ? SizeOf(OutputShape(batch.Shape()[1..])) : SizeOf(OutputShapeOfNetwork!));
        if (output.Length != outputLength)
            throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"The output span holds {output.Length} values; a batch of {batch.BatchSize()} has {outputLength}."), nameof(output));
        using var call = new InferenceCall(this);
        call.Copy.Forward(batch, training: false).Span().CopyTo(output);
        call.CheckNoStepOverlapped();
    }

    /// <summary>Runs inference on one sample (its elements in row-major order) and returns its output. Safe from any number of threads at once.</summary>
    /// <exception cref="InvalidOperationException">An optimizer step changed the weights while the call ran (another thread trains this network).</exception>
    public T[] Predict(ReadOnlySpan<T> sample)
    {
        var result = new T[OutputLength(sample.Length)];
        Predict(sample, result);
        return result;
    }

    /// <summary>
    /// Runs inference on one sample and writes its output to <paramref name="output"/>; allocates nothing once
    /// the network has seen a call of this kind on as many threads as now call it, when it knows its input shape (the
    /// builder always gives it one; without it, each call works out the output's length anew). Safe from any number of threads at once.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="output"/> is not exactly as long as one sample's output.</exception>
    /// <exception cref="InvalidOperationException">An optimizer step changed the weights while the call ran (another thread trains this network).</exception>
    public void Predict(ReadOnlySpan<T> sample, Span<T> output)
    {
        int outputLength = OutputLength(sample.Length);
        if (output.Length != outputLength)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The output span holds {output.Length} values; one sample's output has {outputLength}."), nameof(output));
        using var call = new InferenceCall(this);
        var copy = call.Copy;
        var input = InputShape is null ? copy._sampleInput.Get(1, [sample.Length]) : copy._sampleInput.Get(1, (int[])InputShape);
        sample.CopyTo(input.Span());
        copy.Forward(input, training: false).Span().CopyTo(output);
        call.CheckNoStepOverlapped();
    }

    /// <summary>
    /// One Predict: the turns taken where the network shares a layer, the step count read, an inference copy
    /// rented; given back on dispose. <see cref="CheckNoStepOverlapped"/> must follow the pass.
    /// </summary>
    private readonly ref struct InferenceCall
    {
        private readonly Sequential<T> _network;
        private readonly long _steps;

        public InferenceCall(Sequential<T> network)
        {
            _network = network;
            if (network._sharesLayers) Monitor.Enter(network._turns);
            try
            {
                _steps = network.StartInference();
                Copy = network._inferenceCopies.Rent();
            }
            catch
            {
                if (network._sharesLayers) Monitor.Exit(network._turns);
                throw;
            }
        }

        /// <summary>The inference copy this call runs on.</summary>
        public Sequential<T> Copy { get; }

        public void CheckNoStepOverlapped() => _network.EndInference(_steps);

        public void Dispose()
        {
            KernelWarmUp.PassFinished();
            _network._inferenceCopies.Return(Copy);
            if (_network._sharesLayers) Monitor.Exit(_network._turns);
        }
    }

    // The output length of one sample of sampleLength values; checks the sample against the input shape.
    private int OutputLength(int sampleLength)
    {
        if (InputShape is null) return SizeOf(OutputShape([sampleLength]));
        int expected = SizeOf(InputShape);
        if (sampleLength != expected)
            throw new ShapeMismatchException(ToString(), string.Create(CultureInfo.InvariantCulture, $"a sample of {expected} values {ShapeMismatchException.Format(InputShape)}"), [sampleLength]);
        return SizeOf(OutputShapeOfNetwork!);
    }

    private static int SizeOf(IReadOnlyList<int> shape)
    {
        int size = 1;
        for (int i = 0; i < shape.Count; i++) size *= shape[i]; // an index loop: foreach over the interface would allocate an enumerator
        return size;
    }

    /// <summary>
    /// Marks the start of an optimizer step on this network's weights (or of a load into them): <see cref="Predict(Tensor{T})"/>
    /// of this network, and of every network that holds one of its parameters (a network nested in it, or one it is nested
    /// in, or one that shares a layer), refuses to overlap it.
    /// </summary>
    internal void BeginTrainingStep()
    {
        foreach (var p in _distinctParameters) p.MarkChange();
    }

    /// <summary>Marks the end of the step <see cref="BeginTrainingStep"/> began.</summary>
    internal void EndTrainingStep()
    {
        foreach (var p in _distinctParameters) p.MarkChange();
    }

    void Training.IWeightChangeGuard.BeginWeightChange() => BeginTrainingStep();
    void Training.IWeightChangeGuard.EndWeightChange() => EndTrainingStep();

    /// <summary>
    /// The step marks of this network's parameters, summed: odd while a step changes any of them (a seqlock's sequence).
    /// Marks only grow, so an unchanged sum means no step began since.
    /// </summary>
    internal long TrainingStepMarks
    {
        get
        {
            long sum = 0;
            bool changing = false;
            foreach (var p in _distinctParameters)
            {
                long marks = p.ChangeMarks;
                sum += marks;
                changing |= (marks & 1) != 0;
            }
            return 2 * sum + (changing ? 1 : 0);
        }
    }

    /// <summary>
    /// Whether the weights read since <see cref="TrainingStepMarks"/> gave <paramref name="marks"/> are whole: no optimizer
    /// step was running then, and none has started since (the second look of a seqlock read).
    /// </summary>
    internal bool NoStepSince(long marks)
    {
        Interlocked.MemoryBarrier(); // the weights read before come before the second look
        return (marks & 1) == 0 && TrainingStepMarks == marks;
    }

    // A network may hold one parameter under several views (a layer put in twice, a nested network's names): a change
    // must mark each once, or its two marks would leave the count even while the values change.
    private static Parameter<T>[] DistinctParameters(Parameter<T>[] parameters)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        return parameters.Where(p => seen.Add(p.Identity)).ToArray();
    }

    // A seqlock read: the count of step marks before inference, which must be even (no step running) and unchanged after it.
    private long StartInference()
    {
        long steps = TrainingStepMarks;
        if ((steps & 1) != 0) throw TrainingWhilePredicting();
        // A layer without an inference copy is the training path's own object: a Predict between a training Forward
        // and its Backward would overwrite the pass that Backward needs (the turns lock keeps other threads out).
        if (_sharesLayers && _trainingPassOpen)
            throw new InvalidOperationException(
                "Predict between a training Forward and its Backward: a layer of this network has no inference copy (its CreateInferenceCopy returns null), " +
                "so inference would run on the training pass's own layer and overwrite what Backward needs. Predict after Backward, or give the layer a CreateInferenceCopy.");
        return steps;
    }

    private void EndInference(long steps)
    {
        if (!NoStepSince(steps)) throw TrainingWhilePredicting();
    }

    private static InvalidOperationException TrainingWhilePredicting() => new(
        "Predict overlapped an optimizer step: another thread is training this network (or a network that holds its layers), so its weights were changing. " +
        "Predict between training steps, or on a copy (Freeze() makes one).");

    /// <summary>
    /// A copy of this network for inference only, fixed as it is now and faster to serve from: its weights are copied and
    /// laid out once for the product kernels. Its answers equal this network's <see cref="Predict(Tensor{T})"/> now, bit for
    /// bit, and stay so while this network trains on. See <see cref="FrozenNetwork{T}"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The network does not know its input shape, or has a layer that
    /// <see cref="Serialization.ModelFile"/> could not save and load back (it is copied through that form).</exception>
    /// <exception cref="InvalidOperationException">An optimizer step on another thread changed the weights while they were copied.</exception>
    public FrozenNetwork<T> Freeze() => FrozenNetwork<T>.Of(this);

    /// <summary>An inference copy of the whole network: its layers' inference copies over the same parameters.</summary>
    public ILayer<T> CreateInferenceCopy() => new Sequential<T>(this);

    /// <inheritdoc/>
    /// <exception cref="ShapeMismatchException">The network knows its input shape (<see cref="InputShape"/>) and <paramref name="inputShape"/> is another, which <see cref="Forward"/> would refuse too.</exception>
    public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (InputShape is not null && !inputShape.SequenceEqual(InputShape))
            throw new ShapeMismatchException(ToString(), ShapeMismatchException.Format(InputShape), inputShape);
        IReadOnlyList<int> shape = inputShape;
        for (int i = 0; i < _layers.Length; i++) shape = _layers[i].OutputShape(shape);
        return shape.ToArray();
    }

    /// <summary>
    /// The kind <c>Sequential</c>, with every layer's description as its inner <see cref="LayerDescription.Layers"/> and the input
    /// shape, when it has one, as the list setting <c>inputShape</c>: so a network inside a network is saved and loaded whole.
    /// </summary>
    public LayerDescription Describe() => new("Sequential", new Dictionary<string, double>())
    {
        Layers = DescribeLayers(),
        ListSettings = InputShape is null
            ? new Dictionary<string, IReadOnlyList<int>>()
            : new Dictionary<string, IReadOnlyList<int>> { [InputShapeSetting] = InputShape.ToArray() },
    };

    /// <summary>The list setting of <see cref="Describe"/> that holds the input shape.</summary>
    internal const string InputShapeSetting = "inputShape";

    /// <summary>The name this network gives parameter <paramref name="name"/> of its layer <paramref name="index"/>, as PyTorch does: <c>"2.weight"</c>.</summary>
    internal static string ParameterName(int index, string name) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{index}.{name}");

    /// <summary>Every layer's description, in order.</summary>
    public IReadOnlyList<LayerDescription> DescribeLayers() => _layers.Select(l => l.Describe()).ToArray();

    /// <summary>Prints the layers one per line with their output shapes and the parameter count.</summary>
    public override string ToString()
    {
        var text = new StringBuilder("Sequential(");
        IReadOnlyList<int>? shape = InputShape;
        if (shape is not null) text.Append("input ").Append(ShapeMismatchException.Format(shape));
        text.AppendLine();
        for (int i = 0; i < _layers.Length; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"  ({i}) ").Append(_layers[i].ToString());
            if (shape is not null)
            {
                shape = _layers[i].OutputShape(shape);
                text.Append("  → ").Append(ShapeMismatchException.Format(shape));
            }
            text.AppendLine();
        }
        return text.Append(CultureInfo.InvariantCulture, $") {ParameterCount} parameters").ToString();
    }

    [MethodImpl(HotPath.Options)]
    private void CheckInput(Tensor<T> input)
    {
        if (InputShape is null) return;
        var lengths = input.Lengths;
        bool fits = lengths.Length == InputShape.Count + 1;
        for (int i = 0; fits && i < InputShape.Count; i++) fits = lengths[i + 1] == InputShape[i];
        if (!fits) throw InputDoesNotFit(input);
    }

    // Built apart, so that the check compiled into every pass does not carry the message's formatting.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private ShapeMismatchException InputDoesNotFit(Tensor<T> input) =>
        new("Sequential", "[N, " + ShapeMismatchException.Format(InputShape!).TrimStart('['), input.Shape());
}
