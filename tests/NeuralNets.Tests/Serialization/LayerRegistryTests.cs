using System.Numerics;
using System.Numerics.Tensors;
using NeuralNets.Layers;
using NeuralNets.Serialization;
using NeuralNets.Tensors;

namespace NeuralNets.Tests.Serialization;

/// <summary>The registry: built-in kinds from the start, users' kinds once registered, names unique, hostile files checked before building.</summary>
public sealed class LayerRegistryTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Names_FromTheStart_HoldEveryBuiltInKind()
    {
        LayerRegistry.Names.Should().Contain(["AvgPool2D", "Conv2D", "Dense", "Dropout", "Flatten", "Hardsigmoid", "Hardswish", "Hardtanh", "LeakyReLU", "LogSoftmax", "MaxPool2D", "ReLU", "Residual", "Sequential", "Sigmoid", "Softmax", "Tanh"]);
    }

    [Fact]
    public void Register_NameOfABuiltInKind_ThrowsNamingTheHolder()
    {
        var act = () => LayerRegistry.Register(new ImpostorDenseKind());
        act.Should().Throw<ArgumentException>().WithMessage("*'Dense' is already registered, by DenseKind*needs a name of its own*");
    }

    [Fact]
    public void Register_SameKindFromManyThreads_IsAcceptedEveryTime()
    {
        Parallel.For(0, 64, _ => LayerRegistry.Register(new ReshapeKind()));
        LayerRegistry.IsRegistered("Reshape").Should().BeTrue();
    }

    [Theory]
    [InlineData(typeof(float))]
    [InlineData(typeof(double))]
    public void Create_BuiltInDescription_BuildsThatLayerForEitherElementType(Type element)
    {
        var description = new LayerDescription("Dense", new Dictionary<string, double> { ["inputs"] = 3, ["outputs"] = 2 });
        object layer = element == typeof(float) ? LayerRegistry.Create<float>(description) : LayerRegistry.Create<double>(description);
        layer.ToString().Should().Be("Dense(3 → 2)");
        layer.GetType().GetGenericArguments().Should().Equal(element);
    }

    [Fact]
    public void SaveThenLoad_UserLayerWithTextAndListSettings_RoundTripsDescriptionAndOutputs()
    {
        LayerRegistry.Register(new ReshapeKind());
        var network = new Sequential<double>([6], new Dense<double>(6, 6, seed: 3), new Reshape<double>([2, 3], "rows first"), new Flatten<double>());
        string path = Path.Combine(_temp.Path, "reshape.json");

        ModelFile.Save(network, path);
        var loaded = ModelFile.Load<double>(path);

        File.ReadAllText(path).Should().Contain("\"TextSettings\"").And.Contain("\"ListSettings\"");
        loaded.Layers[1].Describe().Should().Be(network.Layers[1].Describe());
        loaded.Layers[1].Describe().ToString().Should().Be("Reshape(note=\"rows first\", shape=[2, 3])");
        var x = TestTensors.Random<double>(2, 4, 6);
        loaded.Predict(x).ToArray().Should().Equal(network.Predict(x).ToArray());
    }

    [Fact]
    public void Load_UserKindWhoseDataDoesNotMatchItsDeclaredParameters_RefusesBeforeCreatingIt()
    {
        var kind = new CountingScaleKind();
        LayerRegistry.Register(kind);
        string path = Path.Combine(_temp.Path, "scale.json");
        ModelFile.Save(new Sequential<double>([4], new CountedScale<double>(4)), path);
        int created = CountingScaleKind.Created;
        // A hostile file: the layer claims a billion features, the data is still 4 values.
        ModelFileEdits.Edit(path, root => ModelFileEdits.Settings(root, 0)["features"] = 1_000_000_000);

        var act = () => ModelFile.Load<double>(path);

        act.Should().Throw<InvalidDataException>().WithMessage("*parameter 0 is '0.gain' [4] in the file but '0.gain' [1000000000]*");
        CountingScaleKind.Created.Should().Be(created);
    }

    [Fact]
    public void Load_UserKindThatThrowsArgumentException_IsReportedAsInvalidDataNamingTheLayer()
    {
        LayerRegistry.Register(new ReshapeKind());
        string path = Path.Combine(_temp.Path, "reshape.json");
        ModelFile.Save(new Sequential<double>([6], new Reshape<double>([2, 3], "x")), path);
        ModelFileEdits.Edit(path, root => ModelFileEdits.Layer(root, 0)["TextSettings"]!["note"] = "");

        var act = () => ModelFile.Load<double>(path);

        act.Should().Throw<InvalidDataException>().WithMessage("*layer 0 (Reshape): *note*");
    }

    private sealed class ImpostorDenseKind() : LayerKind("Dense")
    {
        public override ILayer<T> Create<T>(LayerSettings settings) => throw new NotSupportedException();
    }

    /// <summary>Gives each sample a new shape of as many values; the note is a word only there to be saved.</summary>
    private sealed class Reshape<T>(IReadOnlyList<int> shape, string note) : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly TensorBuffer<T> _output = new(), _inputGradient = new();
        private Tensor<T>? _input;
        private readonly string _note = string.IsNullOrEmpty(note) ? throw new ArgumentException("The note must not be empty.", nameof(note)) : note;

        public IReadOnlyList<Parameter<T>> Parameters => [];

        public Tensor<T> Forward(Tensor<T> input, bool training)
        {
            _input = input;
            var output = _output.Get(input.BatchSize(), shape.ToArray());
            input.Span().CopyTo(output.Span());
            return output;
        }

        public Tensor<T> Backward(Tensor<T> outputGradient)
        {
            var inputGradient = _inputGradient.GetLike(_input!);
            outputGradient.Span().CopyTo(inputGradient.Span());
            return inputGradient;
        }

        public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape) => shape;

        public LayerDescription Describe() => new("Reshape", new Dictionary<string, double>())
        {
            TextSettings = new Dictionary<string, string> { ["note"] = _note },
            ListSettings = new Dictionary<string, IReadOnlyList<int>> { ["shape"] = shape },
        };
    }

    private sealed class ReshapeKind() : LayerKind("Reshape")
    {
        public override ILayer<T> Create<T>(LayerSettings settings) => new Reshape<T>(settings.Lengths("shape"), settings.Text("note"));
    }

    /// <summary>y = gain ⊙ x, one gain per feature.</summary>
    private sealed class CountedScale<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly TensorBuffer<T> _output = new();
        private readonly Parameter<T> _gain;

        public CountedScale(int features)
        {
            _gain = new Parameter<T>("gain", features);
            _gain.ValueSpan.Fill(T.One);
            Parameters = [_gain];
        }

        public IReadOnlyList<Parameter<T>> Parameters { get; }

        public Tensor<T> Forward(Tensor<T> input, bool training)
        {
            var output = _output.GetLike(input);
            Span<T> x = input.Span(), y = output.Span(), g = _gain.ValueSpan;
            for (int i = 0; i < x.Length; i++) y[i] = x[i] * g[i % g.Length];
            return output;
        }

        public Tensor<T> Backward(Tensor<T> outputGradient) => throw new NotSupportedException("inference only");

        public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape) => inputShape;

        public LayerDescription Describe() => new("CountedScale", new Dictionary<string, double> { ["features"] = _gain.Length });
    }

    private sealed class CountingScaleKind() : LayerKind("CountedScale")
    {
        public static int Created;

        public override IReadOnlyList<ParameterShape> Parameters(LayerSettings settings) => [new("gain", [settings.Positive("features")])];

        public override ILayer<T> Create<T>(LayerSettings settings)
        {
            Interlocked.Increment(ref Created);
            return new CountedScale<T>(settings.Positive("features"));
        }
    }
}
