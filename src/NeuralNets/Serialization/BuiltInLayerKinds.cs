using System.Globalization;
using System.Numerics;
using System.Text;
using NeuralNets.Initialization;
using NeuralNets.Layers;

namespace NeuralNets.Serialization;

/// <summary>
/// The library's own layers as <see cref="LayerKind"/>s: registered in <see cref="LayerRegistry"/> from the start, and
/// rebuilt through it like a user's layers. Each is a kind's parameters and constructor call, nothing more.
/// </summary>
internal static class BuiltInLayerKinds
{
    public static IEnumerable<LayerKind> All =>
    [
        new DenseKind(), new Conv2DKind(), new PoolKind("MaxPool2D"), new PoolKind("AvgPool2D"), new LeakyReLUKind(), new DropoutKind(),
        new ActivationKind("Sigmoid"), new ActivationKind("Tanh"), new ActivationKind("ReLU"), new ActivationKind("Softmax"),
        new ActivationKind("Flatten"), new SequentialKind(),
        new ConvTranspose2DKind(), new UnflattenKind(),
        // Issue 16 layers.
        new GeluKind(), new EluKind(), new ActivationKind("SiLU"), new SoftplusKind(), new ActivationKind("GlobalAvgPool2D"),
        new BatchNormKind("BatchNorm1D"), new BatchNormKind("BatchNorm2D"),
        new ActivationKind("LogSoftmax"),
        new PReLUKind(),
        new ResidualKind(),
        new HardtanhKind(), new ActivationKind("Hardsigmoid"), new ActivationKind("Hardswish"),
        new LayerNormKind(),
    ];

    private sealed class ConvTranspose2DKind() : LayerKind("ConvTranspose2D")
    {
        public override IReadOnlyList<ParameterShape> Parameters(LayerSettings settings)
        {
            int outChannels = settings.Positive("outChannels"), channels = settings.Positive("inChannels"), groups = Groups(settings);
            var (kernel, _, _) = Window(settings, pooling: false);
            OutputPadding(settings);
            ChannelGroups.Check("ConvTranspose2D", channels, outChannels, groups);
            return WeightAndBias(settings, [channels, outChannels / groups, kernel.Height, kernel.Width], outChannels);
        }

        public override ILayer<T> Create<T>(LayerSettings settings)
        {
            var (kernel, stride, padding) = Window(settings, pooling: false);
            return new ConvTranspose2D<T>(settings.Positive("inChannels"), settings.Positive("outChannels"), kernel, new Random(0), stride, padding,
                OutputPadding(settings), WeightInit.Zeros, HasBias(settings), Groups(settings));
        }

        // Less than the stride, as the layer requires; a file saying otherwise is refused here, naming the field.
        private static (int Height, int Width) OutputPadding(LayerSettings settings) =>
            (settings.Padding("outputPadH", settings.WindowLength("strideH") - 1), settings.Padding("outputPadW", settings.WindowLength("strideW") - 1));
    }

    private sealed class UnflattenKind() : LayerKind("Unflatten")
    {
        public override IReadOnlyList<ParameterShape> Parameters(LayerSettings settings)
        {
            Read(settings);
            return [];
        }

        public override ILayer<T> Create<T>(LayerSettings settings)
        {
            var (dim, sizes) = Read(settings);
            return new Unflatten<T>(dim, sizes);
        }

        // The batch axis (0) cannot be split; a file saying so is refused here, naming the field.
        private static (int Dim, IReadOnlyList<int> Sizes) Read(LayerSettings settings)
        {
            int dim = settings.Int32("dim", -LayerSettings.MaxWindowLength, LayerSettings.MaxWindowLength);
            if (dim == 0) throw settings.Error("'dim' must not be 0 (the batch axis).");
            var sizes = settings.Lengths(Unflatten<double>.UnflattenedSizeSetting);
            if (ShapeMismatchException.ValueCount([.. sizes]) > int.MaxValue)
                throw settings.Error(string.Create(CultureInfo.InvariantCulture, $"'{Unflatten<double>.UnflattenedSizeSetting}' holds more than {int.MaxValue} values."));
            return (dim, sizes);
        }
    }

    private sealed class DenseKind() : LayerKind("Dense")
    {
        public override IReadOnlyList<ParameterShape> Parameters(LayerSettings settings)
        {
            int outputs = settings.Positive("outputs");
            return WeightAndBias(settings, [outputs, settings.Positive("inputs")], outputs);
        }

        public override ILayer<T> Create<T>(LayerSettings settings) =>
            new Dense<T>(settings.Positive("inputs"), settings.Positive("outputs"), new Random(0), WeightInit.Zeros, HasBias(settings));
    }

    private sealed class Conv2DKind() : LayerKind("Conv2D")
    {
        public override IReadOnlyList<ParameterShape> Parameters(LayerSettings settings)
        {
            int filters = settings.Positive("outChannels"), channels = settings.Positive("inChannels"), groups = Groups(settings);
            var (kernel, _, _) = Window(settings, pooling: false);
            ChannelGroups.Check("Conv2D", channels, filters, groups);
            return WeightAndBias(settings, [filters, channels / groups, kernel.Height, kernel.Width], filters);
        }

        public override ILayer<T> Create<T>(LayerSettings settings)
        {
            var (kernel, stride, padding) = Window(settings, pooling: false);
            return new Conv2D<T>(settings.Positive("inChannels"), settings.Positive("outChannels"), kernel, new Random(0), stride, padding, WeightInit.Zeros,
                HasBias(settings), Groups(settings));
        }

    }

    private sealed class PoolKind(string name) : LayerKind(name)
    {
        public override IReadOnlyList<ParameterShape> Parameters(LayerSettings settings)
        {
            Create<double>(settings);
            return [];
        }

        // ceilMode (1, or absent for off) for both; countIncludePad (0, or absent for on) for the average only, so that a max
        // pool's file holding it is refused as an unknown setting.
        public override ILayer<T> Create<T>(LayerSettings settings)
        {
            var (kernel, stride, padding) = Window(settings, pooling: true);
            bool ceilMode = Flag(settings, Window2D.CeilModeSetting, absent: false);
            return Name == "MaxPool2D" ? new MaxPool2D<T>(kernel, stride, padding, ceilMode)
                : new AvgPool2D<T>(kernel, stride, padding, ceilMode, Flag(settings, PoolWindow.CountIncludePadSetting, absent: true));
        }
    }

    private sealed class LeakyReLUKind() : LayerKind("LeakyReLU")
    {
        public override IReadOnlyList<ParameterShape> Parameters(LayerSettings settings)
        {
            settings.NonNegative("slope");
            return [];
        }

        public override ILayer<T> Create<T>(LayerSettings settings) => new LeakyReLU<T>(settings.NonNegative("slope"));
    }

    /// <summary>The slopes are the parameter; the description holds only how many (a file's are loaded over the initial 0.25).</summary>
    private sealed class PReLUKind() : LayerKind("PReLU")
    {
        public override IReadOnlyList<ParameterShape> Parameters(LayerSettings settings) => [new("weight", [settings.Positive(PReLU<double>.SlopesSetting)])];

        public override ILayer<T> Create<T>(LayerSettings settings) => new PReLU<T>(settings.Positive(PReLU<double>.SlopesSetting));
    }

    /// <summary>γ and β, each of the normalised shape, are parameters unless <c>affine</c> is 0.</summary>
    private sealed class LayerNormKind() : LayerKind("LayerNorm")
    {
        public override IReadOnlyList<ParameterShape> Parameters(LayerSettings settings)
        {
            var (shape, _, affine) = Read(settings);
            return affine ? [new("weight", [.. shape]), new("bias", [.. shape])] : [];
        }

        public override ILayer<T> Create<T>(LayerSettings settings)
        {
            var (shape, epsilon, affine) = Read(settings);
            return new LayerNorm<T>(shape, epsilon, affine);
        }

        private static (IReadOnlyList<int> Shape, double Epsilon, bool Affine) Read(LayerSettings settings)
        {
            var shape = settings.Lengths(LayerNorm<double>.NormalizedShapeSetting);
            if (ShapeMismatchException.ValueCount([.. shape]) > int.MaxValue)
                throw settings.Error(string.Create(CultureInfo.InvariantCulture, $"'{LayerNorm<double>.NormalizedShapeSetting}' holds more than {int.MaxValue} values."));
            double epsilon = settings.NonNegative("epsilon");
            if (epsilon == 0) throw settings.Error("'epsilon' must be positive, was 0.");
            return (shape, epsilon, Flag(settings, "affine", absent: true));
        }
    }

    private sealed class DropoutKind() : LayerKind("Dropout")
    {
        public override IReadOnlyList<ParameterShape> Parameters(LayerSettings settings)
        {
            settings.Probability("p");
            settings.OptionalInt32("seed", absent: 0);
            return [];
        }

        // The masks' seed, when the saved layer had one; files written before it was saved get seed 0.
        public override ILayer<T> Create<T>(LayerSettings settings) =>
            new Dropout<T>(settings.Probability("p"), seed: settings.OptionalInt32("seed", absent: 0));
    }

    /// <summary>The layers without settings or parameters.</summary>
    private sealed class ActivationKind(string name) : LayerKind(name)
    {
        public override ILayer<T> Create<T>(LayerSettings settings) => Name switch
        {
            "Sigmoid" => new Sigmoid<T>(),
            "Tanh" => new Tanh<T>(),
            "ReLU" => new ReLU<T>(),
            "Softmax" => new Softmax<T>(),
            "LogSoftmax" => new LogSoftmax<T>(),
            "Flatten" => new Flatten<T>(),
            "SiLU" => new SiLU<T>(),
            "GlobalAvgPool2D" => new GlobalAvgPool2D<T>(),
            "Hardsigmoid" => new Hardsigmoid<T>(),
            "Hardswish" => new Hardswish<T>(),
            _ => throw new InvalidOperationException($"No built-in layer is called '{Name}'."),
        };
    }

    /// <summary>A network inside a network: its layers' kinds, each through the registry, and its input shape when it had one.</summary>
    private sealed class SequentialKind() : LayerKind("Sequential")
    {
        public override IReadOnlyList<ParameterShape> Parameters(LayerSettings settings)
        {
            if (settings.LayerCount == 0) throw settings.Error("'Layers' is empty; a network needs at least one layer.");
            if (settings.Has(Sequential<double>.InputShapeSetting)) settings.Lengths(Sequential<double>.InputShapeSetting);
            return InnerParameters(settings, settings.LayerCount);
        }

        public override ILayer<T> Create<T>(LayerSettings settings)
        {
            var layers = new ILayer<T>[settings.LayerCount];
            for (int i = 0; i < layers.Length; i++) layers[i] = LayerRegistry.Create<T>(settings.Layer(i));
            var inputShape = settings.Has(Sequential<T>.InputShapeSetting) ? settings.Lengths(Sequential<T>.InputShapeSetting) : null;
            return new Sequential<T>(inputShape, layers);
        }
    }

    /// <summary>A residual block: its body's description, then its shortcut's when it is not the identity, each a <c>Sequential</c>.</summary>
    private sealed class ResidualKind() : LayerKind("Residual")
    {
        public override IReadOnlyList<ParameterShape> Parameters(LayerSettings settings) => InnerParameters(settings, Branches(settings));

        public override ILayer<T> Create<T>(LayerSettings settings)
        {
            int branches = Branches(settings);
            var body = (Sequential<T>)LayerRegistry.Create<T>(settings.Layer(0));
            return new Residual<T>(body, branches == 2 ? (Sequential<T>)LayerRegistry.Create<T>(settings.Layer(1)) : null);
        }

        // The body, and the shortcut network unless it is the identity; each must be a Sequential.
        private static int Branches(LayerSettings settings)
        {
            if (settings.LayerCount is not (1 or 2))
                throw settings.Error(string.Create(CultureInfo.InvariantCulture,
                    $"'Layers' holds {settings.LayerCount} networks; a residual block has its body and, unless the shortcut is the identity, its shortcut."));
            for (int b = 0; b < settings.LayerCount; b++)
                if (settings.Layer(b).Kind != "Sequential")
                    throw settings.Error(string.Create(CultureInfo.InvariantCulture, $"inner layer {b} is a '{settings.Layer(b).Kind}'; a residual block's body and shortcut are 'Sequential' networks."));
            return settings.LayerCount;
        }
    }

    // Issue 16 layers: GELU, ELU, Softplus and batch normalisation.
    private sealed class GeluKind() : LayerKind("GELU")
    {
        public override ILayer<T> Create<T>(LayerSettings settings) => new GELU<T>(TanhApproximation(settings));

        private static bool TanhApproximation(LayerSettings settings) =>
            settings.Int32("tanhApproximation", 0, 1) == 1;
    }

    private sealed class EluKind() : LayerKind("ELU")
    {
        public override ILayer<T> Create<T>(LayerSettings settings) => new ELU<T>(settings.NonNegative("alpha"));
    }

    /// <summary>Bounds finite with min below max; a file saying otherwise is refused here, naming both.</summary>
    private sealed class HardtanhKind() : LayerKind("Hardtanh")
    {
        public override IReadOnlyList<ParameterShape> Parameters(LayerSettings settings)
        {
            Bounds(settings);
            return [];
        }

        public override ILayer<T> Create<T>(LayerSettings settings)
        {
            var (min, max) = Bounds(settings);
            return new Hardtanh<T>(min, max);
        }

        private static (double Min, double Max) Bounds(LayerSettings settings)
        {
            double min = settings.Finite("min"), max = settings.Finite("max");
            return min < max ? (min, max) : throw settings.Error(string.Create(CultureInfo.InvariantCulture, $"'min' ({min}) must be below 'max' ({max})."));
        }
    }

    private sealed class SoftplusKind() : LayerKind("Softplus")
    {
        public override ILayer<T> Create<T>(LayerSettings settings)
        {
            double beta = settings.NonNegative("beta");
            if (beta == 0) throw settings.Error("'beta' must be positive, was 0.");
            return new Softplus<T>(beta, settings.Finite("threshold"));
        }
    }

    /// <summary>
    /// γ and β are parameters unless <c>affine</c> is 0; the running statistics come from the text settings (see
    /// <see cref="BatchNorm{T}"/>), checked for length and values before the layer sees them. Files written before
    /// <c>affine</c>, a null momentum or <c>batchesTracked</c> existed lack those settings and read as affine, with 0 batches.
    /// </summary>
    private sealed class BatchNormKind(string name) : LayerKind(name)
    {
        public override IReadOnlyList<ParameterShape> Parameters(LayerSettings settings)
        {
            var read = Read(settings);
            return read.Affine ? [new("weight", [read.Features]), new("bias", [read.Features])] : [];
        }

        public override ILayer<T> Create<T>(LayerSettings settings)
        {
            var (features, momentum, epsilon, affine, state) = Read(settings);
            BatchNorm<T> layer = Name == "BatchNorm1D"
                ? new BatchNorm1D<T>(features, momentum, epsilon, affine)
                : new BatchNorm2D<T>(features, momentum, epsilon, affine);
            layer.SetRunningStatistics(state.Mean, state.Variance, state.BatchesTracked);
            return layer;
        }

        private static (int Features, double? Momentum, double Epsilon, bool Affine, BatchNormState State) Read(LayerSettings settings)
        {
            int features = settings.Positive("features");
            double? momentum = null;
            if (settings.Has("momentum"))
            {
                double value = settings.NonNegative("momentum");
                if (value > 1) throw settings.Error(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"'momentum' must be in [0, 1], was {value}."));
                momentum = value;
            }
            double epsilon = settings.NonNegative("epsilon");
            if (epsilon == 0) throw settings.Error("'epsilon' must be positive, was 0.");
            bool affine = !settings.Has("affine") || settings.Int32("affine", 0, 1) == 1;
            return (features, momentum, epsilon, affine, State(settings, features));
        }
    }

    /// <summary>The largest BatchNorm batch count a description keeps: past 2^53 a double no longer holds every count exactly.</summary>
    internal const long MaxBatchesTracked = 1L << 53;

    /// <summary>The running statistics and batch count of a BatchNorm description, checked; a checkpoint restores them too.</summary>
    internal static BatchNormState State(LayerSettings settings, int features)
    {
        double[] Statistic(string key, bool variance)
        {
            var values = BatchNorm<double>.Decode(settings.Text(key), features)
                ?? throw settings.Error(string.Create(CultureInfo.InvariantCulture, $"'{key}' must be {features} float64 values in base64 (little-endian)."));
            for (int c = 0; c < values.Length; c++)
                if (!double.IsFinite(values[c]) || (variance && values[c] < 0))
                    throw settings.Error(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                        $"'{key}'[{c}] must be a finite{(variance ? " non-negative" : "")} number, was {values[c]}."));
            return values;
        }
        long batches = 0;
        if (settings.Has(BatchNorm<double>.BatchesTrackedSetting))
        {
            double value = settings.NonNegative(BatchNorm<double>.BatchesTrackedSetting);
            if (value != Math.Floor(value) || value > MaxBatchesTracked)
                throw settings.Error(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"'{BatchNorm<double>.BatchesTrackedSetting}' must be a whole number of batches up to 2^53, was {value}."));
            batches = (long)value;
        }
        return new(Statistic(BatchNorm<double>.RunningMeanSetting, false), Statistic(BatchNorm<double>.RunningVarianceSetting, true), batches);
    }

    /// <summary>What a BatchNorm layer learns besides its parameters.</summary>
    internal sealed record BatchNormState(double[] Mean, double[] Variance, long BatchesTracked)
    {
        // Numbers written in the invariant culture (RecordText), not the current one as the generated member list would.
        private bool PrintMembers(StringBuilder builder) => RecordText.PrintMembers(this, builder);
    }

    /// <summary>
    /// Whether a Dense, Conv2D or ConvTranspose2D description has a bias: unless <c>bias</c> is 0; files written before
    /// the setting existed lack it and have one.
    /// </summary>
    private static bool HasBias(LayerSettings settings) => Flag(settings, LayerBias.Setting, absent: true);

    /// <summary>A Conv2D's or ConvTranspose2D's groups: files written before the setting existed lack it and have one.</summary>
    private static int Groups(LayerSettings settings) => settings.Has(ChannelGroups.Setting) ? settings.Positive(ChannelGroups.Setting) : 1;

    /// <summary>A setting of 0 or 1 that files written before it existed lack: <paramref name="absent"/> then.</summary>
    private static bool Flag(LayerSettings settings, string key, bool absent) => settings.Has(key) ? settings.Int32(key, 0, 1) == 1 : absent;

    /// <summary>
    /// The settings that built-in layers' descriptions leave out at their default, by kind, with the default's value: a
    /// file may still spell one out (another writer, a hand), and it loads as the file without it.
    /// </summary>
    private static readonly Dictionary<string, (string Setting, double Default)[]> LeftOutDefaults = new()
    {
        ["Dense"] = [(LayerBias.Setting, 1)], ["Conv2D"] = [(LayerBias.Setting, 1), (ChannelGroups.Setting, 1)],
        ["ConvTranspose2D"] = [(LayerBias.Setting, 1), (ChannelGroups.Setting, 1)], ["BatchNorm1D"] = [("affine", 1)], ["BatchNorm2D"] = [("affine", 1)],
        ["LayerNorm"] = [("affine", 1)],
    };

    /// <summary>
    /// <paramref name="description"/> without a setting spelled out at the default that the layer's own description leaves
    /// out (<c>"bias": 1</c>, <c>"groups": 1</c>, <c>"affine": 1</c>), so that the file's description of a layer and the layer's
    /// compare equal however the file spells it; inner layers are left as they are.
    /// </summary>
    internal static LayerDescription WithoutSpelledDefaults(LayerDescription description) =>
        LeftOutDefaults.TryGetValue(description.Kind, out var left)
        && left.Any(d => description.Settings.TryGetValue(d.Setting, out double value) && value == d.Default)
            ? description with
            {
                Settings = description.Settings.Where(s => !left.Any(d => d.Setting == s.Key && d.Default == s.Value)).ToDictionary(),
            }
            : description;

    /// <summary>The parameters of the first <paramref name="count"/> inner layers, each named by its place (<c>"2.weight"</c>), as a network or block names them.</summary>
    private static List<ParameterShape> InnerParameters(LayerSettings settings, int count)
    {
        var shapes = new List<ParameterShape>();
        for (int i = 0; i < count; i++)
            foreach (var shape in LayerRegistry.Parameters(settings.Layer(i)))
                shapes.Add(shape with { Name = Sequential<double>.ParameterName(i, shape.Name) });
        return shapes;
    }

    /// <summary>A layer's weight of <paramref name="weightShape"/>, and its bias of <paramref name="outputs"/> values when it has one.</summary>
    private static IReadOnlyList<ParameterShape> WeightAndBias(LayerSettings settings, int[] weightShape, int outputs) =>
        HasBias(settings) ? [new("weight", weightShape), new("bias", [outputs])] : [new("weight", weightShape)];

    /// <summary>Kernel, stride and padding; pooling windows, like PyTorch's, pad by at most half the kernel.</summary>
    private static ((int Height, int Width) Kernel, (int Height, int Width) Stride, (int Height, int Width) Padding) Window(LayerSettings settings, bool pooling)
    {
        (int Height, int Width) kernel = (settings.WindowLength("kernelH"), settings.WindowLength("kernelW"));
        (int, int) stride = (settings.WindowLength("strideH"), settings.WindowLength("strideW"));
        int maxPadH = pooling ? kernel.Height / 2 : LayerSettings.MaxWindowLength;
        int maxPadW = pooling ? kernel.Width / 2 : LayerSettings.MaxWindowLength;
        return (kernel, stride, (settings.Padding("padH", maxPadH), settings.Padding("padW", maxPadW)));
    }
}
