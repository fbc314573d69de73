using System.Numerics;
using System.Numerics.Tensors;
using System.Text.Json.Nodes;
using NeuralNets.Layers;
using NeuralNets.Serialization;
using NeuralNets.Tensors;
using static NeuralNets.Tests.Serialization.ModelFileEdits;

namespace NeuralNets.Tests.Serialization;

/// <summary>
/// A setting the loader does not read would change the layer silently (one flipped bit turns <c>momentum</c> into
/// <c>momentuM</c>, and the layer loads with no momentum): every setting a file holds must be one its layer's kind reads.
/// </summary>
public sealed class ModelFileUnknownSettingTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    // Layers: 0 Conv2D, 1 BatchNorm2D, 2 ReLU, 3 Flatten, 4 Dropout, 5 Dense, 6 Sequential(Dense, Tanh).
    private string Saved()
    {
        var inner = new Sequential<float>([4], new Dense<float>(4, 2, seed: 3), new Tanh<float>());
        var network = Network.Sequential<float>(1, 4, 4).Conv2D(2, kernel: 3, padding: 1).BatchNorm2D().ReLU().Flatten().Dropout(0.25)
            .Dense(4).Add((_, _) => inner).Build(seed: 1);
        string path = _temp.File("model.json");
        ModelFile.Save(network, path);
        return path;
    }

    private static void Rename(JsonObject settings, string from, string to)
    {
        var value = settings[from]!.DeepClone();
        settings.Remove(from);
        settings[to] = value;
    }

    [Fact]
    public void Load_SavedNetwork_LoadsAsBefore()
    {
        var act = () => ModelFile.Load<float>(Saved());

        act.Should().NotThrow();
    }

    [Fact]
    public void Load_MomentumKeyWithAFlippedBit_FailsNamingTheLayerTheKeyAndTheKnownKeys()
    {
        string path = Saved();
        Edit(path, root => Rename(Settings(root, 1), "momentum", "momentuM"));

        var act = () => ModelFile.Load<float>(path);

        act.Should().Throw<InvalidDataException>()
            .WithMessage($"'{path}': layer 1 (BatchNorm2D): *'momentuM'*")
            .Which.Message.Should().Contain("'momentum'").And.Contain("'epsilon'").And.Contain("'features'");
    }

    [Fact]
    public void Load_DropoutSeedKeyChanged_Fails()
    {
        string path = Saved();
        Edit(path, root => Rename(Settings(root, 4), "seed", "sees"));

        var act = () => ModelFile.Load<float>(path);

        act.Should().Throw<InvalidDataException>().WithMessage($"'{path}': layer 4 (Dropout): *'sees'*'seed'*");
    }

    [Fact]
    public void Load_ExtraNumberSettingOnALayerWithoutSettings_Fails()
    {
        string path = Saved();
        Edit(path, root => Settings(root, 2)["slope"] = 0.5);

        var act = () => ModelFile.Load<float>(path);

        act.Should().Throw<InvalidDataException>().WithMessage($"'{path}': layer 2 (ReLU): *'slope'*");
    }

    [Fact]
    public void Load_UnknownTextSetting_Fails()
    {
        string path = Saved();
        Edit(path, root => Layer(root, 1)["TextSettings"]!["runningMeam"] = "AAAAAAAAAAA=");

        var act = () => ModelFile.Load<float>(path);

        act.Should().Throw<InvalidDataException>().WithMessage($"'{path}': layer 1 (BatchNorm2D): *'runningMeam'*TextSettings*");
    }

    [Fact]
    public void Load_KnownNameInAnotherField_Fails()
    {
        // 'p' is Dropout's number; as a text setting it would be read by nothing.
        string path = Saved();
        Edit(path, root => Layer(root, 4)["TextSettings"] = new JsonObject { ["p"] = "0.9" });

        var act = () => ModelFile.Load<float>(path);

        act.Should().Throw<InvalidDataException>().WithMessage($"'{path}': layer 4 (Dropout): *'p' (in TextSettings)*");
    }

    [Fact]
    public void Load_UnknownSettingOfAnInnerLayer_FailsNamingItsPlace()
    {
        string path = Saved();
        Edit(path, root => Layer(root, 6)["Layers"]![0]!["Settings"]!["outputz"] = 2);

        var act = () => ModelFile.Load<float>(path);

        act.Should().Throw<InvalidDataException>().WithMessage($"'{path}': layer 6.0 (Dense): *'outputz'*");
    }

    [Fact]
    public void Load_UnknownListSettingOfANestedNetwork_Fails()
    {
        string path = Saved();
        Edit(path, root => Rename(Layer(root, 6)["ListSettings"]!.AsObject(), Sequential<float>.InputShapeSetting, "inputShapf"));

        var act = () => ModelFile.Load<float>(path);

        act.Should().Throw<InvalidDataException>().WithMessage($"'{path}': layer 6 (Sequential): *'inputShapf'*ListSettings*");
    }

    [Fact]
    public void Load_UserKindWithAnUnknownSetting_FailsLikeABuiltInOne()
    {
        LayerRegistry.Register(new GainKind());
        string path = _temp.File("gain.json");
        ModelFile.Save(new Sequential<float>([3], [new Gain<float>(3, 2)]), path);
        Edit(path, root => Settings(root, 0)["factos"] = 2);

        var act = () => ModelFile.Load<float>(path);

        act.Should().Throw<InvalidDataException>().WithMessage($"'{path}': layer 0 (UnknownSettingGain): *'factos'*'features', 'factor'*");
    }

    [Fact]
    public void Load_UserKindReadingItsDescriptionDirectly_StillLoads()
    {
        // A kind may read Description.Settings itself; a setting its layer describes again is one it knows.
        LayerRegistry.Register(new DirectGainKind());
        string path = _temp.File("direct.json");
        ModelFile.Save(new Sequential<float>([3], [new Gain<float>(3, 2, "UnknownSettingDirectGain")]), path);

        var network = ModelFile.Load<float>(path);

        network.Predict([1f, 2f, 3f]).Should().Equal(2f, 4f, 6f);
    }

    /// <summary>Multiplies by a fixed factor; no parameters.</summary>
    private sealed class Gain<T>(int features, double factor, string kind = "UnknownSettingGain") : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly TensorBuffer<T> _output = new();

        public IReadOnlyList<Parameter<T>> Parameters => [];

        public Tensor<T> Forward(Tensor<T> input, bool training)
        {
            var output = _output.GetLike(input);
            Span<T> x = input.Span(), y = output.Span();
            for (int i = 0; i < x.Length; i++) y[i] = x[i] * T.CreateChecked(factor);
            return output;
        }

        public Tensor<T> Backward(Tensor<T> outputGradient) => throw new NotSupportedException("inference only");

        public IReadOnlyList<int> OutputShape(IReadOnlyList<int> inputShape) => inputShape;

        public LayerDescription Describe() => new(kind, new Dictionary<string, double> { ["features"] = features, ["factor"] = factor });
    }

    private sealed class GainKind() : LayerKind("UnknownSettingGain")
    {
        public override ILayer<T> Create<T>(LayerSettings settings) => new Gain<T>(settings.Positive("features"), settings.Finite("factor"));
    }

    private sealed class DirectGainKind() : LayerKind("UnknownSettingDirectGain")
    {
        public override ILayer<T> Create<T>(LayerSettings settings) =>
            new Gain<T>((int)settings.Description.Settings["features"], settings.Description.Settings["factor"], Name);
    }
}
