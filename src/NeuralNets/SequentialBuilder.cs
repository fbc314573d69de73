using System.Globalization;
using System.Numerics;
using NeuralNets.Initialization;
using NeuralNets.Layers;
using NeuralNets.Kernels;

namespace NeuralNets;

/// <summary>
/// Builds a <see cref="Sequential{T}"/> layer by layer, inferring each layer's input shape from the
/// one before. Layers are created by <see cref="Build"/> from one seeded random source, in order.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class SequentialBuilder<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int[] _inputShape;
    private readonly List<Func<IReadOnlyList<int>, Random, ILayer<T>>> _factories = [];

    internal SequentialBuilder(IReadOnlyList<int> shape)
    {
        ArgumentNullException.ThrowIfNull(shape, "inputShape");
        int[] inputShape = [.. shape];
        if (inputShape.Length == 0 || inputShape.Any(d => d <= 0))
            throw new ArgumentException($"The input shape must have at least one length and all lengths positive, but was {ShapeMismatchException.Format(inputShape)}.", nameof(inputShape));
        long size = ShapeMismatchException.ValueCount(inputShape);
        if (size > int.MaxValue)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The input shape {ShapeMismatchException.Format(inputShape)} holds {ShapeMismatchException.CountText(size)} values per sample; a sample must fit one array ({int.MaxValue})."), nameof(inputShape));
        _inputShape = inputShape;
        // The product kernels' warm-up starts here rather than when the network is built: the build itself (the builder's
        // code compiling, the weights drawn) gives it a head start on the first training step (benchmarks/README.md,
        // "thirteenth session").
        KernelWarmUp.Start<T>();
    }

    /// <summary>Appends a layer made by <paramref name="factory"/> from the per-sample input shape and the build's random source.</summary>
    public SequentialBuilder<T> Add(Func<IReadOnlyList<int>, Random, ILayer<T>> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _factories.Add(factory);
        return this;
    }

    /// <summary>Appends a fully connected layer with <paramref name="outputs"/> outputs; the input must be flat.</summary>
    /// <param name="outputs">Number of output features.</param>
    /// <param name="init">Weight initialisation.</param>
    /// <param name="bias">Whether the layer has a bias; false for PyTorch's <c>bias=False</c> (a layer before a batch normalisation).</param>
    public SequentialBuilder<T> Dense(int outputs, WeightInit init = WeightInit.GlorotUniform, bool bias = true)
    {
        ArgumentRange.ThrowIfNegativeOrZero(outputs);
        return Add((shape, random) =>
        {
            if (shape.Count != 1)
                throw new ShapeMismatchException(string.Create(CultureInfo.InvariantCulture, $"Dense(? → {outputs})"), "[features]", shape, "add Flatten() before Dense");
            return new Dense<T>(shape[0], outputs, random, init, bias);
        });
    }

    /// <summary>Appends a <see cref="Sigmoid{T}"/>.</summary>
    public SequentialBuilder<T> Sigmoid() => Add(static (_, _) => new Sigmoid<T>());

    /// <summary>Appends a <see cref="Tanh{T}"/>.</summary>
    public SequentialBuilder<T> Tanh() => Add(static (_, _) => new Tanh<T>());

    /// <summary>Appends a <see cref="ReLU{T}"/>.</summary>
    public SequentialBuilder<T> ReLU() => Add(static (_, _) => new ReLU<T>());

    /// <summary>Appends a <see cref="LeakyReLU{T}"/>.</summary>
    public SequentialBuilder<T> LeakyReLU(double slope = 0.01) => Add((_, _) => new LeakyReLU<T>(slope));

    /// <summary>Appends a <see cref="PReLU{T}"/>: one learnt slope for all values, or one per channel (the first axis of the sample shape).</summary>
    /// <param name="perChannel">Whether each channel has a slope of its own (PyTorch's <c>num_parameters=C</c>); one for all values otherwise.</param>
    /// <param name="init">The slopes' initial value.</param>
    public SequentialBuilder<T> PReLU(bool perChannel = false, double init = 0.25)
    {
        Layers.PReLU<T>.CheckInit(init);
        return Add((shape, _) =>
        {
            if (perChannel && shape.Count == 0) throw new ShapeMismatchException("PReLU", "[C, ...]", shape);
            return new PReLU<T>(perChannel ? shape[0] : 1, init);
        });
    }

    /// <summary>Appends a <see cref="Softmax{T}"/>.</summary>
    public SequentialBuilder<T> Softmax() => Add(static (_, _) => new Softmax<T>());

    /// <summary>Appends a <see cref="LogSoftmax{T}"/>, the log-probabilities that <see cref="Losses.NegativeLogLikelihood{T}"/> takes.</summary>
    public SequentialBuilder<T> LogSoftmax() => Add(static (_, _) => new LogSoftmax<T>());

    /// <summary>Appends a <see cref="Conv2D{T}"/> with a square kernel; the input must be <c>[C, H, W]</c>.</summary>
    /// <param name="outChannels">Output channels (Cout).</param>
    /// <param name="kernel">Kernel height and width.</param>
    /// <param name="stride">Step between patches.</param>
    /// <param name="padding">Zeros added on every side.</param>
    /// <param name="init">Weight initialisation.</param>
    /// <param name="bias">Whether the layer has a bias; false for PyTorch's <c>bias=False</c> (a layer before a batch normalisation).</param>
    /// <param name="groups">Groups the channels split into, convolved apart (PyTorch's <c>groups</c>; the input's channels for a depthwise convolution).</param>
    public SequentialBuilder<T> Conv2D(int outChannels, int kernel, int stride = 1, int padding = 0, WeightInit init = WeightInit.HeUniform,
        bool bias = true, int groups = 1) =>
        Conv2D(outChannels, (kernel, kernel), (stride, stride), (padding, padding), init, bias, groups);

    /// <summary>Appends a <see cref="Conv2D{T}"/> with kernel, stride and padding given as (height, width).</summary>
    /// <param name="outChannels">Output channels (Cout).</param>
    /// <param name="kernel">Kernel (height, width).</param>
    /// <param name="stride">Step between patches; (1, 1) when null.</param>
    /// <param name="padding">Zero padding; (0, 0) when null.</param>
    /// <param name="init">Weight initialisation.</param>
    /// <param name="bias">Whether the layer has a bias; false for PyTorch's <c>bias=False</c> (a layer before a batch normalisation).</param>
    /// <param name="groups">Groups the channels split into, convolved apart (PyTorch's <c>groups</c>; the input's channels for a depthwise convolution).</param>
    public SequentialBuilder<T> Conv2D(int outChannels, (int Height, int Width) kernel, (int Height, int Width)? stride = null,
        (int Height, int Width)? padding = null, WeightInit init = WeightInit.HeUniform, bool bias = true, int groups = 1)
    {
        ArgumentRange.ThrowIfNegativeOrZero(outChannels);
        ArgumentRange.ThrowIfNegativeOrZero(groups);
        Window2D.Create(string.Create(CultureInfo.InvariantCulture, $"Conv2D(? → {outChannels})"), kernel, stride ?? (1, 1), padding ?? (0, 0));
        return Add((shape, random) =>
        {
            if (shape.Count != 3)
                throw new ShapeMismatchException(string.Create(CultureInfo.InvariantCulture, $"Conv2D(? → {outChannels})"), "[C, H, W]", shape,
                    shape.Count == 1 ? "a convolution needs images; start with an input shape like [1, 28, 28]" : null);
            return new Conv2D<T>(shape[0], outChannels, kernel, random, stride, padding, init, bias, groups);
        });
    }

    /// <summary>Appends a <see cref="ConvTranspose2D{T}"/> with a square kernel; the input must be <c>[C, H, W]</c>.</summary>
    /// <param name="outChannels">Output channels (Cout).</param>
    /// <param name="kernel">Kernel height and width.</param>
    /// <param name="stride">Distance between the stamps of neighbouring input pixels.</param>
    /// <param name="padding">Cut from every side of the full output.</param>
    /// <param name="outputPadding">Added at the bottom and right; less than the stride.</param>
    /// <param name="init">Weight initialisation.</param>
    /// <param name="bias">Whether the layer has a bias; false for PyTorch's <c>bias=False</c> (a layer before a batch normalisation).</param>
    /// <param name="groups">Groups the channels split into, stamped apart (PyTorch's <c>groups</c>).</param>
    public SequentialBuilder<T> ConvTranspose2D(int outChannels, int kernel, int stride = 1, int padding = 0, int outputPadding = 0,
        WeightInit init = WeightInit.HeUniform, bool bias = true, int groups = 1)
    {
        ArgumentRange.ThrowIfNegativeOrZero(outChannels);
        ArgumentRange.ThrowIfNegativeOrZero(groups);
        // Fail here, at the call, rather than at Build.
        _ = new ConvTranspose2D<T>(1, outChannels, (kernel, kernel), new Random(0), (stride, stride), (padding, padding), (outputPadding, outputPadding), WeightInit.Zeros);
        return Add((shape, random) =>
        {
            if (shape.Count != 3)
                throw new ShapeMismatchException(string.Create(CultureInfo.InvariantCulture, $"ConvTranspose2D(? → {outChannels})"), "[C, H, W]", shape,
                    shape.Count == 1 ? "a transposed convolution needs images; reshape features to [C, H, W] first" : null);
            return new ConvTranspose2D<T>(shape[0], outChannels, (kernel, kernel), random, (stride, stride), (padding, padding),
                (outputPadding, outputPadding), init, bias, groups);
        });
    }

    /// <summary>Appends a <see cref="MaxPool2D{T}"/> with a square window; the stride defaults to the kernel; <paramref name="ceilMode"/> rounds the output size up.</summary>
    public SequentialBuilder<T> MaxPool2D(int kernel, int? stride = null, int padding = 0, bool ceilMode = false) =>
        MaxPool2D((kernel, kernel), stride is { } s ? (s, s) : null, (padding, padding), ceilMode);

    /// <summary>Appends a <see cref="MaxPool2D{T}"/> with window, stride and padding given as (height, width).</summary>
    public SequentialBuilder<T> MaxPool2D((int Height, int Width) kernel, (int Height, int Width)? stride = null, (int Height, int Width)? padding = null,
        bool ceilMode = false)
    {
        PoolWindow.Create("MaxPool2D", kernel, stride, padding, ceilMode); // fail here, at the call, rather than at Build
        return Add((_, _) => new MaxPool2D<T>(kernel, stride, padding, ceilMode));
    }

    /// <summary>
    /// Appends an <see cref="AvgPool2D{T}"/> with a square window; the stride defaults to the kernel; <paramref name="ceilMode"/>
    /// rounds the output size up; <paramref name="countIncludePad"/> false leaves the padding out of the divisor.
    /// </summary>
    public SequentialBuilder<T> AvgPool2D(int kernel, int? stride = null, int padding = 0, bool ceilMode = false, bool countIncludePad = true) =>
        AvgPool2D((kernel, kernel), stride is { } s ? (s, s) : null, (padding, padding), ceilMode, countIncludePad);

    /// <summary>Appends an <see cref="AvgPool2D{T}"/> with window, stride and padding given as (height, width).</summary>
    public SequentialBuilder<T> AvgPool2D((int Height, int Width) kernel, (int Height, int Width)? stride = null, (int Height, int Width)? padding = null,
        bool ceilMode = false, bool countIncludePad = true)
    {
        PoolWindow.Create("AvgPool2D", kernel, stride, padding, ceilMode);
        return Add((_, _) => new AvgPool2D<T>(kernel, stride, padding, ceilMode, countIncludePad));
    }

    /// <summary>Appends a <see cref="Flatten{T}"/>, turning <c>[C, H, W]</c> into <c>[C·H·W]</c>.</summary>
    public SequentialBuilder<T> Flatten() => Add(static (_, _) => new Flatten<T>());

    /// <summary>Appends an <see cref="Unflatten{T}"/>: <c>Unflatten(1, [128, 7, 7])</c> turns <c>[6272]</c> into <c>[128, 7, 7]</c>.</summary>
    /// <param name="dimension">The axis to split, counting the batch axis as 0 (PyTorch's <c>dim</c>); negative counts from the end.</param>
    /// <param name="unflattenedSize">The lengths the axis becomes; their product must equal its length.</param>
    public SequentialBuilder<T> Unflatten(int dimension, IReadOnlyList<int> unflattenedSize)
    {
        var layer = new Unflatten<T>(dimension, unflattenedSize); // fail here, at the call, rather than at Build
        return Add((_, _) => new Unflatten<T>(layer.Dimension, layer.UnflattenedSize));
    }

    /// <summary>Appends a <see cref="Dropout{T}"/> whose masks are seeded from the build's seed.</summary>
    /// <param name="probability">Probability of zeroing an element while training, in [0, 1).</param>
    public SequentialBuilder<T> Dropout(double probability)
    {
        Dropout<T>.CheckProbability(probability);
        return Add((_, random) => new Dropout<T>(probability, random.Next()));
    }

    /// <summary>
    /// Appends a <see cref="Residual{T}"/>, <c>y = body(x) + shortcut(x)</c>: <paramref name="body"/> adds the residual branch's
    /// layers to a builder that starts from this block's input shape, and <paramref name="shortcut"/>, when given, the projection's
    /// (else the shortcut is the identity). PyTorch's <c>BasicBlock</c> with a <c>downsample</c> is
    /// <c>.Residual(b => b.Conv2D(16, 3, stride: 2, padding: 1, bias: false).BatchNorm2D().ReLU().Conv2D(16, 3, padding: 1, bias: false).BatchNorm2D(),
    /// shortcut: s => s.Conv2D(16, 1, stride: 2, bias: false).BatchNorm2D()).ReLU()</c>; the ReLU after the add is a layer of its own.
    /// Both branches draw their weights from the build's random source, the body's first.
    /// </summary>
    /// <exception cref="ShapeMismatchException">(At <see cref="Build"/>) the body's output shape differs from the shortcut's, or from the block's input for the identity.</exception>
    public SequentialBuilder<T> Residual(Func<SequentialBuilder<T>, SequentialBuilder<T>> body, Func<SequentialBuilder<T>, SequentialBuilder<T>>? shortcut = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        return Add((shape, random) =>
        {
            var bodyNetwork = body(new SequentialBuilder<T>(shape)).BuildFrom(random);
            var shortcutNetwork = shortcut?.Invoke(new SequentialBuilder<T>(shape)).BuildFrom(random);
            return new Residual<T>(bodyNetwork, shortcutNetwork);
        });
    }

    /// <summary>Creates the layers with weights drawn from <paramref name="seed"/> and checks every shape.</summary>
    public Sequential<T> Build(int seed) => BuildFrom(new Random(seed));

    // The layers drawn in order from random, which a nested network's builder shares with the network around it.
    private Sequential<T> BuildFrom(Random random)
    {
        if (_factories.Count == 0) throw new InvalidOperationException("The network has no layers: add at least one before Build.");
        var layers = new ILayer<T>[_factories.Count];
        IReadOnlyList<int> shape = _inputShape;
        for (int i = 0; i < layers.Length; i++)
        {
            try
            {
                layers[i] = _factories[i](shape, random);
                shape = layers[i].OutputShape(shape);
            }
            catch (OverflowException e)
            {
                // A layer that does not check its own sizes: say which one, and at which input shape, instead of a bare overflow.
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Layer {i} ({(object?)layers[i] ?? "while being created"}) overflows an int with input shape {ShapeMismatchException.Format(shape)} per sample: {e.Message}"), e);
            }
        }
        return new Sequential<T>(_inputShape, layers);
    }

    // Issue 16 layers.

    /// <summary>Appends a <see cref="GELU{T}"/>: the exact erf form, or PyTorch's tanh approximation.</summary>
    /// <param name="tanhApproximation">True for <c>approximate='tanh'</c>.</param>
    public SequentialBuilder<T> GELU(bool tanhApproximation = false) => Add((_, _) => new GELU<T>(tanhApproximation));

    /// <summary>Appends an <see cref="ELU{T}"/>.</summary>
    /// <param name="alpha">The scale of the negative part.</param>
    public SequentialBuilder<T> ELU(double alpha = 1.0)
    {
        _ = new ELU<T>(alpha);
        return Add((_, _) => new ELU<T>(alpha));
    }

    /// <summary>Appends a <see cref="SiLU{T}"/>.</summary>
    public SequentialBuilder<T> SiLU() => Add(static (_, _) => new SiLU<T>());

    /// <summary>Appends a <see cref="Hardtanh{T}"/>: x clamped to [<paramref name="min"/>, <paramref name="max"/>].</summary>
    /// <exception cref="ArgumentOutOfRangeException">A bound is not finite, or <paramref name="min"/> is not below <paramref name="max"/>.</exception>
    public SequentialBuilder<T> Hardtanh(double min = -1, double max = 1)
    {
        Layers.Hardtanh<T>.CheckBounds(min, max);
        return Add((_, _) => new Hardtanh<T>(min, max));
    }

    /// <summary>Appends PyTorch's ReLU6: a <see cref="Hardtanh{T}"/> with bounds [0, 6] (MobileNetV2's activation).</summary>
    public SequentialBuilder<T> ReLU6() => Add(static (_, _) => new Hardtanh<T>(0, 6));

    /// <summary>Appends a <see cref="Hardsigmoid{T}"/>.</summary>
    public SequentialBuilder<T> Hardsigmoid() => Add(static (_, _) => new Hardsigmoid<T>());

    /// <summary>Appends a <see cref="Hardswish{T}"/>.</summary>
    public SequentialBuilder<T> Hardswish() => Add(static (_, _) => new Hardswish<T>());

    /// <summary>Appends a <see cref="Softplus{T}"/>.</summary>
    /// <param name="beta">The sharpness β.</param>
    /// <param name="threshold">Above this value of βx the output is x.</param>
    public SequentialBuilder<T> Softplus(double beta = 1.0, double threshold = 20.0)
    {
        _ = new Softplus<T>(beta, threshold);
        return Add((_, _) => new Softplus<T>(beta, threshold));
    }

    /// <summary>Appends a <see cref="GlobalAvgPool2D{T}"/>: <c>[C, H, W] → [C]</c>.</summary>
    public SequentialBuilder<T> GlobalAvgPool2D() => Add(static (_, _) => new GlobalAvgPool2D<T>());

    /// <summary>Appends a <see cref="BatchNorm1D{T}"/> over the channels of a <c>[C]</c> or <c>[C, L]</c> input.</summary>
    /// <param name="momentum">The weight of each batch in the running statistics; null for the cumulative average.</param>
    /// <param name="epsilon">Added to the variance.</param>
    /// <param name="affine">Whether γ and β are learnt parameters.</param>
    public SequentialBuilder<T> BatchNorm1D(double? momentum = 0.1, double epsilon = 1e-5, bool affine = true)
    {
        _ = new BatchNorm1D<T>(1, momentum, epsilon, affine);
        return Add((shape, _) =>
        {
            if (shape.Count is not (1 or 2)) throw new ShapeMismatchException("BatchNorm1D", "[C] or [C, L]", shape);
            return new BatchNorm1D<T>(shape[0], momentum, epsilon, affine);
        });
    }

    /// <summary>Appends a <see cref="BatchNorm2D{T}"/> over the channels of a <c>[C, H, W]</c> input.</summary>
    /// <param name="momentum">The weight of each batch in the running statistics; null for the cumulative average.</param>
    /// <param name="epsilon">Added to the variance.</param>
    /// <param name="affine">Whether γ and β are learnt parameters.</param>
    public SequentialBuilder<T> BatchNorm2D(double? momentum = 0.1, double epsilon = 1e-5, bool affine = true)
    {
        _ = new BatchNorm2D<T>(1, momentum, epsilon, affine);
        return Add((shape, _) =>
        {
            if (shape.Count != 3) throw new ShapeMismatchException("BatchNorm2D", "[C, H, W]", shape);
            return new BatchNorm2D<T>(shape[0], momentum, epsilon, affine);
        });
    }

    /// <summary>
    /// Appends a <see cref="LayerNorm{T}"/> that normalises each sample over its last <paramref name="axes"/> axes (all of
    /// them by default: <c>[features]</c> after a dense layer, <c>[C, H, W]</c> after a convolution).
    /// </summary>
    /// <param name="axes">How many trailing axes of the sample shape form the normalised shape; null for all of them.</param>
    /// <param name="epsilon">Added to the variance.</param>
    /// <param name="elementwiseAffine">Whether γ and β are learnt parameters.</param>
    public SequentialBuilder<T> LayerNorm(int? axes = null, double epsilon = 1e-5, bool elementwiseAffine = true)
    {
        if (axes is { } count) ArgumentRange.ThrowIfNegativeOrZero(count, nameof(axes));
        Layers.LayerNorm<T>.CheckEpsilon(epsilon);
        return Add((shape, _) =>
        {
            int take = axes ?? shape.Count;
            if (take == 0 || take > shape.Count)
                throw new ShapeMismatchException("LayerNorm", string.Create(CultureInfo.InvariantCulture, $"a sample of at least {Math.Max(1, take)} axes"), shape);
            return new LayerNorm<T>(shape.Skip(shape.Count - take).ToArray(), epsilon, elementwiseAffine);
        });
    }
}
