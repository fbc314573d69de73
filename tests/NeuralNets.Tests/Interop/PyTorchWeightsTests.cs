using System.Numerics;
using NeuralNets.Interop;
using NeuralNets.Layers;
using NeuralNets.Tensors;
using NeuralNets.Tests.Golden;

namespace NeuralNets.Tests.Interop;

/// <summary>
/// Real torch.nn models' <c>state_dict()</c>s (tests/PyTorchReference/state_dicts.py wrote them as Hugging Face's writer
/// lays out safetensors files) loaded into the same architectures built here, predicting as PyTorch predicted; and the
/// other way, the files <see cref="SafetensorsFile.Save{T}"/> writes for them, which must be the reference writer's bytes.
/// </summary>
public class PyTorchWeightsTests
{
    /// <summary>Where the test saves its own files for <c>state_dicts.py --check-ours</c>.</summary>
    private static readonly string Saved = Path.Combine(AppContext.BaseDirectory, "PyTorchWeightsSaved");

    private static PyTorchWeightsCase Case(string name) => PyTorchWeightValues.Cases.Single(c => c.Name == name);

    internal static string FileOf(string name) => Path.Combine(AppContext.BaseDirectory, "Interop", "PyTorchWeights", name + ".safetensors");

    /// <summary>The recorded model's architecture in NeuralNets, and the PyTorch module names of its layers (null for an nn.Sequential's own names).</summary>
    internal static (Sequential<T> Network, string[]? Modules) Twin<T>(string name) where T : unmanaged, IFloatingPointIeee754<T> =>
        name[..name.LastIndexOf('_')] switch
        {
            "mlp_sequential" => (Network.Sequential<T>([5]).Dense(8).Tanh().Dense(6).ReLU().Dense(3).Build(seed: 1), null),
            "cnn_sequential" => (Network.Sequential<T>([1, 8, 8]).Conv2D(4, 3, padding: 1).BatchNorm2D().ReLU().MaxPool2D(2)
                .Conv2D(6, 3).BatchNorm2D().ReLU().Flatten().Dense(5).Build(seed: 1), null),
            "module_mlp" => (Network.Sequential<T>([6]).Dense(10).BatchNorm1D().ReLU().Dense(4).Build(seed: 1), ["fc1", "bn1", "fc2"]),
            "module_cnn" => (Network.Sequential<T>([2, 10, 10]).Conv2D(4, 3).BatchNorm2D().ReLU().MaxPool2D(2)
                .Conv2D(6, 3, padding: 1).BatchNorm2D(affine: false).ReLU().MaxPool2D(2).Flatten().Dense(8).ReLU().Dense(3).Build(seed: 1),
                ["conv1", "bn1", "conv2", "bn2", "fc1", "fc2"]),
            "module_nested" => (Network.Sequential<T>([1, 8, 8]).Conv2D(3, 3).BatchNorm2D().ReLU().MaxPool2D(2).Flatten().Dropout(0.25).Dense(4).Build(seed: 1),
                ["features.0", "features.1", "classifier.2"]),
            "sequential_nested" => (new Sequential<T>([3], Network.Sequential<T>([3]).Dense(4).ReLU().Build(seed: 1),
                Network.Sequential<T>([4]).Dense(5).BatchNorm1D(affine: false).Build(seed: 2), new Dense<T>(5, 2, seed: 3)), null),
            // nn.Sequential(Conv2d(1, 4, 3, bias=False), BatchNorm2d(4), ReLU(), Flatten(), Linear(64, 3, bias=False)).
            "no_bias" => (Network.Sequential<T>([1, 6, 6]).Conv2D(4, 3, bias: false).BatchNorm2D().ReLU().Flatten().Dense(3, bias: false).Build(seed: 1), null),
            // fc1, act1 = PReLU(8), fc2, act2 = PReLU(), fc3.
            "module_prelu" => (Network.Sequential<T>([5]).Dense(8).PReLU(perChannel: true).Dense(6).PReLU().Dense(3).Build(seed: 1),
                ["fc1", "act1", "fc2", "act2", "fc3"]),
            // nn.Sequential(Conv2d(1, 3, 3), PReLU(3), MaxPool2d(2), Flatten(), Linear(27, 4), PReLU()).
            "prelu_cnn" => (Network.Sequential<T>([1, 8, 8]).Conv2D(3, 3).PReLU(perChannel: true).MaxPool2D(2).Flatten().Dense(4).PReLU().Build(seed: 1), null),
            // conv1, bn1, relu, layer1 = [BasicBlock(4, 4)], layer2 = [BasicBlock(4, 6, stride=2) with downsample], avgpool, fc.
            "tiny_resnet" => (Network.Sequential<T>([2, 8, 8]).Conv2D(4, 3, padding: 1, bias: false).BatchNorm2D().ReLU()
                .Residual(b => b.Conv2D(4, 3, padding: 1, bias: false).BatchNorm2D().ReLU().Conv2D(4, 3, padding: 1, bias: false).BatchNorm2D()).ReLU()
                .Residual(b => b.Conv2D(6, 3, stride: 2, padding: 1, bias: false).BatchNorm2D().ReLU().Conv2D(6, 3, padding: 1, bias: false).BatchNorm2D(),
                    shortcut: s => s.Conv2D(6, 1, stride: 2, bias: false).BatchNorm2D()).ReLU()
                .GlobalAvgPool2D().Dense(3).Build(seed: 1), ["conv1", "bn1", "layer1.0", "layer2.0", "fc"]),
            // fc1, ln1 = LayerNorm(8), fc2 (tanh between, through torch.tanh).
            "module_layer_norm" => (Network.Sequential<T>([5]).Dense(8).LayerNorm().Tanh().Dense(3).Build(seed: 1), ["fc1", "ln1", "fc2"]),
            // nn.Sequential(Conv2d(1, 3, 3), LayerNorm([3, 6, 6]), ReLU(), MaxPool2d(2), Flatten(), Linear(27, 4), LayerNorm(4, elementwise_affine=False)).
            "layer_norm_cnn" => (Network.Sequential<T>([1, 8, 8]).Conv2D(3, 3).LayerNorm().ReLU().MaxPool2D(2).Flatten().Dense(4)
                .LayerNorm(elementwiseAffine: false).Build(seed: 1), null),
            // Depthwise 3×3 (groups = 4) and pointwise 1×1 convolutions before BatchNorms, then a convolution in two groups.
            "depthwise_separable" => (Network.Sequential<T>([2, 8, 8]).Conv2D(4, 3, padding: 1).BatchNorm2D().ReLU()
                .Conv2D(4, 3, padding: 1, bias: false, groups: 4).BatchNorm2D().ReLU().Conv2D(8, 1, bias: false).BatchNorm2D().ReLU()
                .Conv2D(8, 3, stride: 2, groups: 2).ReLU().Flatten().Dense(3).Build(seed: 1), null),
            _ => throw new ArgumentException($"No twin for {name}.", nameof(name)),
        };

    private static Sequential<T> Loaded<T>(string name) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (network, modules) = Twin<T>(name);
        SafetensorsFile.LoadParameters(network, FileOf(name), Renaming(network, modules));
        return network;
    }

    internal static IReadOnlyDictionary<string, string>? Renaming<T>(Sequential<T> network, string[]? modules) where T : unmanaged, IFloatingPointIeee754<T> =>
        modules is null ? null : PyTorchNames.ForModules(network, modules);

    private static T[] Predict<T>(Sequential<T> network, PyTorchWeightsCase recorded) where T : unmanaged, IFloatingPointIeee754<T> =>
        network.Predict(TensorMemory.Wrap(recorded.Input.Select(T.CreateChecked).ToArray(), recorded.InputShape)).ToArray();

    /// <summary>The metadata the recorder wrote, as Hugging Face's <c>save_pretrained</c> does.</summary>
    private static readonly Dictionary<string, string> PyTorchFormat = new() { ["format"] = "pt" };

    /// <summary>Every model; the one without biases into layers built with bias: false.</summary>
    public static TheoryData<string> Models() => [.. PyTorchWeightValues.Cases.Select(c => c.Name)];

    public static TheoryData<string> Float32Models() => [.. PyTorchWeightValues.Cases.Where(c => c.DType == "F32").Select(c => c.Name)];

    /// <summary>The models NeuralNets holds in the file's own type (not F16 or BF16): saving them must give the file back.</summary>
    public static TheoryData<string> SavableModels() => [.. PyTorchWeightValues.Cases.Where(c => c.DType is "F32" or "F64").Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Models))]
    public void LoadParameters_PyTorchStateDictIntoADoubleNetwork_PredictsAsPyTorchInFloat64(string name)
    {
        var network = Loaded<double>(name);

        Predict(network, Case(name)).ShouldMatchPyTorch(Case(name).Float64Output, name);
        // Every BatchNorm took its count from the file: the recorder ran three training passes.
        NormsOf(network).Where(n => n.BatchesTracked != 3).Should().BeEmpty();
    }

    private static IEnumerable<BatchNorm<T>> NormsOf<T>(Sequential<T> network) where T : unmanaged, IFloatingPointIeee754<T> =>
        network.Layers.SelectMany(l => l is Sequential<T> inner ? NormsOf(inner)
            : l is Residual<T> block ? block.Branches.SelectMany(NormsOf) : l is BatchNorm<T> norm ? [norm] : []);

    /// <summary>
    /// Float32 weights in a float network, against torch's float32 output. The two compute the same sums (at most 36
    /// products, three or four layers deep) in different orders, each rounding to float32 (2⁻²⁴ ≈ 6e-8 relative): the
    /// recorded outputs, all below 1, differ from torch's by at most 1.2e-7 and torch's from the float64 truth by as much.
    /// 1e-6·max(1, |y|), sixteen float32 steps at 1, leaves room for that and none for a misplaced weight or a missing
    /// BatchNorm buffer, which move the outputs by tenths.
    /// </summary>
    [Theory]
    [MemberData(nameof(Float32Models))]
    public void LoadParameters_Float32StateDictIntoAFloatNetwork_PredictsAsPyTorchInFloat32(string name)
    {
        var recorded = Case(name);

        var actual = Predict(Loaded<float>(name), recorded);

        actual.Should().HaveCount(recorded.Output!.Length);
        for (int i = 0; i < actual.Length; i++)
            Math.Abs(actual[i] - recorded.Output[i]).Should().BeLessThanOrEqualTo(1e-6 * Math.Max(1, Math.Abs(recorded.Output[i])),
                $"{name}[{i}]: NeuralNets {actual[i]:R}, PyTorch {recorded.Output[i]:R}");
    }

    [Theory]
    [MemberData(nameof(SavableModels))]
    public void Save_AModelLoadedFromPyTorch_WritesTheReferenceWritersBytes(string name)
    {
        byte[] written = Case(name).DType == "F64" ? SavedAgain(Twin<double>(name), name) : SavedAgain(Twin<float>(name), name);

        written.Should().Equal(File.ReadAllBytes(FileOf(name)), "the names, their order, the dtypes, the padding and the metadata are the reference writer's");
    }

    /// <summary>Loads the model's file into <paramref name="twin"/> and saves it under the same names, into <see cref="Saved"/> for <c>state_dicts.py --check-ours</c>.</summary>
    private static byte[] SavedAgain<T>((Sequential<T> Network, string[]? Modules) twin, string name) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var renaming = Renaming(twin.Network, twin.Modules);
        SafetensorsFile.LoadParameters(twin.Network, FileOf(name), renaming);
        Directory.CreateDirectory(Saved);
        string path = Path.Combine(Saved, name + ".safetensors");
        SafetensorsFile.Save(twin.Network, path, PyTorchFormat, renaming);
        return File.ReadAllBytes(path);
    }

    /// <summary>ModuleNested as networks in a network: features = nn.Sequential(Conv2d, BatchNorm2d, ReLU, MaxPool2d), classifier = nn.Sequential(Flatten, Dropout, Linear).</summary>
    private static Sequential<T> NestedTwin<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
        new([1, 8, 8], Network.Sequential<T>([1, 8, 8]).Conv2D(3, 3).BatchNorm2D().ReLU().MaxPool2D(2).Build(seed: 1),
            Network.Sequential<T>([3, 3, 3]).Flatten().Dropout(0.25).Dense(4).Build(seed: 2));

    [Fact]
    public void LoadParameters_ModuleOfSequentialsIntoNestedNetworks_PredictsAsPyTorchAndSavesTheSameBytes()
    {
        var network = NestedTwin<double>();
        var renaming = PyTorchNames.ForModules(network, "features", "classifier");
        var inFloat = NestedTwin<float>();

        SafetensorsFile.LoadParameters(network, FileOf("module_nested_f32"), renaming);
        SafetensorsFile.LoadParameters(inFloat, FileOf("module_nested_f32"), PyTorchNames.ForModules(inFloat, "features", "classifier"));

        renaming.Should().Contain("features.1.running_var", "0.1.running_var").And.Contain("classifier.2.weight", "1.2.weight");
        Predict(network, Case("module_nested_f32")).ShouldMatchPyTorch(Case("module_nested_f32").Float64Output, "module_nested_f32");
        SafetensorsFile.ToBytes(inFloat, PyTorchFormat, PyTorchNames.ForModules(inFloat, "features", "classifier"))
            .Should().Equal(File.ReadAllBytes(FileOf("module_nested_f32")));
    }

    [Fact]
    public void LoadParameters_BiasFreeStateDictIntoLayersWithBiases_RefusedSayingWhyUnlessAskedToZeroThem()
    {
        // nn.Sequential(Conv2d(1, 4, 3, bias=False), BatchNorm2d(4), ReLU(), Flatten(), Linear(64, 3, bias=False)).
        var network = Network.Sequential<double>([1, 6, 6]).Conv2D(4, 3).BatchNorm2D().ReLU().Flatten().Dense(3).Build(seed: 1);
        var before = network.Parameters[0].ValueSpan.ToArray();

        var act = () => SafetensorsFile.LoadParameters(network, FileOf("no_bias_f64"));

        act.Should().Throw<InvalidDataException>().WithMessage("*holds no tensor for the parameter '0.bias' [4], though it holds the weight '0.weight': the PyTorch layer was built with bias=False*bias: false*zeroAbsentBiases: true*");
        network.Parameters[0].ValueSpan.ToArray().Should().Equal(before);

        network.Parameters[1].ValueSpan.Fill(0.5);
        SafetensorsFile.LoadParameters(network, FileOf("no_bias_f64"), zeroAbsentBiases: true);

        network.Parameters[1].ValueSpan.ToArray().Should().OnlyContain(b => b == 0);
        Predict(network, Case("no_bias_f64")).ShouldMatchPyTorch(Case("no_bias_f64").Float64Output, "no_bias_f64");
    }

    [Fact]
    public void LoadParameters_StateDictWithBiasesIntoBiasFreeLayers_RefusedNamingTheBiases()
    {
        var network = Network.Sequential<double>([5]).Dense(8, bias: false).Tanh().Dense(6).ReLU().Dense(3).Build(seed: 1);

        var act = () => SafetensorsFile.LoadParameters(network, FileOf("mlp_sequential_f64"));

        act.Should().Throw<InvalidDataException>().WithMessage("*holds tensors the network has no parameter for: '0.bias'*bias: false*");
        SafetensorsFile.LoadParameters(network, FileOf("mlp_sequential_f64"), strict: false);
    }

    [Fact]
    public void Save_BiasFreeLayers_WritesNoBiasTensorAndLoadsBackWithoutZeroAbsentBiases()
    {
        var network = Network.Sequential<double>([2, 5, 5]).Conv2D(3, 3, bias: false).BatchNorm2D().ReLU().ConvTranspose2D(2, 3, stride: 2, bias: false)
            .Flatten().Dense(4, bias: false).Build(seed: 3);
        var copy = Network.Sequential<double>([2, 5, 5]).Conv2D(3, 3, bias: false).BatchNorm2D().ReLU().ConvTranspose2D(2, 3, stride: 2, bias: false)
            .Flatten().Dense(4, bias: false).Build(seed: 4);

        SafetensorsFile.LoadParameters(copy, SafetensorsFile.ToBytes(network), "saved");

        network.Parameters.Select(p => p.Name).Should().Equal("0.weight", "1.weight", "1.bias", "3.weight", "5.weight");
        copy.Parameters.Select(p => p.ValueSpan.ToArray()).Should().BeEquivalentTo(network.Parameters.Select(p => p.ValueSpan.ToArray()), o => o.WithStrictOrdering());
    }
}
