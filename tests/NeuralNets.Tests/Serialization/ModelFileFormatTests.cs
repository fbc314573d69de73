using System.Numerics.Tensors;
using NeuralNets.Layers;
using NeuralNets.Serialization;

namespace NeuralNets.Tests.Serialization;

/// <summary>Files of earlier format versions still load; what the current version writes.</summary>
public sealed class ModelFileFormatTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    // Written by the version-1 writer (main at a040074): a CNN of every built-in kind with settings, and its outputs for Input().
    private static readonly string Format1File = Path.Combine(AppContext.BaseDirectory, "Serialization", "Files", "format1-cnn.json");
    // What the format-1 network predicts, as bits: on a CPU with FMA, and on one without, whose unfused products round
    // two outputs 1–3 ulp differently (benchmarks/README.md, "Same weights on every CPU"). The fused values changed
    // by 1–3 ulp when double Tanh moved from TensorPrimitives.Tanh (its AVX2/AVX-512 algorithm) to Math.Tanh, which
    // CPUs without FMA already ran (issue 17), and the second by 1 ulp when it moved from Math.Tanh to the library's own
    // tanh (Kernels/DoubleTanh.cs), the same under every C runtime.
    private static readonly long[] FusedOutputs = [0x3FCFE46A78BBCFA6L, 0x3FCDBF47F54CCB90L, 0x3FD523CB0CF51732L, 0x3FCB739245999C8EL];
    private static readonly long[] UnfusedOutputs = [0x3FCFE46A78BBCFA6L, 0x3FCDBF47F54CCB90L, 0x3FD523CB0CF51732L, 0x3FCB739245999C91L];

    private static long[] Format1Outputs => NeuralNets.Kernels.KernelWidth.FusedFamily ? FusedOutputs : UnfusedOutputs;

    private static Tensor<double> Input()
    {
        var x = new double[2 * 36];
        for (int i = 0; i < x.Length; i++) x[i] = Math.Sin(i * 0.37);
        return Tensor.Create(x, [2, 1, 6, 6]);
    }

    [Fact]
    public void Load_FileOfFormatVersion1_PredictsWhatItsWriterPredicted()
    {
        File.ReadAllText(Format1File).Should().Contain("\"neuralnets-model/1\"");

        var network = ModelFile.Load<double>(Format1File);

        network.Predict(Input()).ToArray().Select(BitConverter.DoubleToInt64Bits).Should().Equal(Format1Outputs);
        network.Layers.Select(l => l.Describe().Kind).Should().Equal(
            "Conv2D", "LeakyReLU", "MaxPool2D", "AvgPool2D", "Flatten", "Dropout", "Dense", "Tanh", "Dense", "Sigmoid");
    }

    [Fact]
    public void Save_Format1NetworkAgain_WritesVersion2ThatLoadsAlike()
    {
        var network = ModelFile.Load<double>(Format1File);
        string path = Path.Combine(_temp.Path, "again.json");

        ModelFile.Save(network, path);
        string text = File.ReadAllText(path);
        var again = ModelFile.Load<double>(path);

        text.Should().Contain("\"neuralnets-model/2\"").And.NotContain("TextSettings").And.NotContain("ListSettings");
        again.Predict(Input()).ToArray().Select(BitConverter.DoubleToInt64Bits).Should().Equal(Format1Outputs);
    }

    [Fact]
    public void Save_WritesWhatTheReflectionSerializerWrote()
    {
        // The writer is generated at build time (so that a Native AOT application saves alike); the file must stay the
        // one the reflection-based serializer wrote with the same options: nested layers, text and list settings included.
        var network = Network.Sequential<float>(1, 4, 4).Conv2D(2, 3, padding: 1).BatchNorm2D(momentum: null).ReLU()
            .Add((_, random) => new Sequential<float>(new Dropout<float>(0.25, random.Next()), new Flatten<float>()))
            .Dense(6).Unflatten(1, [2, 3]).Flatten().Dense(2).Build(seed: 3);
        string path = Path.Combine(_temp.Path, "generated.json");
        var reflection = new System.Text.Json.JsonSerializerOptions
        {
            WriteIndented = true,
            DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
            Converters = { new LayerDescriptionJson() },
        };

        ModelFile.Save(network, path);

        string expected = System.Text.Json.JsonSerializer.Serialize(ModelFile.Document(network, path), reflection);
        string text = File.ReadAllText(path);
        text.Should().Contain("TextSettings").And.Contain("ListSettings").And.Contain("\"Layers\": [");
        text.Should().Be(expected);
    }

    [Fact]
    public void Load_NewerFormat_ThrowsInvalidDataNamingTheFormats()
    {
        string path = Path.Combine(_temp.Path, "future.json");
        File.WriteAllText(path, File.ReadAllText(Format1File).Replace("neuralnets-model/1", "neuralnets-model/3"));

        var act = () => ModelFile.Load<double>(path);

        act.Should().Throw<InvalidDataException>().WithMessage("*is not a NeuralNets model file (expected format 'neuralnets-model/2', or an earlier one*");
    }
}
