using NeuralNets.Interop;
using NeuralNets.Layers;
using NeuralNets.Tests.Golden;
using static NeuralNets.Tests.Interop.PyTorchExportedOnnxTests;

namespace NeuralNets.Tests.Interop;

/// <summary>
/// Residual blocks as <c>torch.onnx.export</c> writes them (tests/PyTorchReference/onnx_models.py): a small ResNet of two
/// BasicBlocks (BatchNorms folded into the convolutions by the exporter), and <c>x + f(x)</c> with the input listed first.
/// Their predictions against PyTorch's are checked with every other PyTorch file in <see cref="PyTorchExportedOnnxTests"/>.
/// </summary>
public class PyTorchResNetOnnxTests
{
    public static TheoryData<string> ResNetFiles => [.. PyTorchOnnxValues.Files.Where(f => f.Model == "resnet").Select(f => f.File)];

    /// <summary>Stem, a block with the identity shortcut, a block whose shortcut is the strided 1×1 convolution, each with its ReLU after the Add.</summary>
    [Theory, MemberData(nameof(ResNetFiles))]
    public void Load_ResNet_IsTheStemTwoBlocksPoolAndDense(string file)
    {
        var layers = IsDouble(file) ? Load<double>(file).DescribeLayers() : Load<float>(file).DescribeLayers();

        layers.Select(d => d.Kind).Should().Equal("Conv2D", "ReLU", "Residual", "ReLU", "Residual", "ReLU", "GlobalAvgPool2D", "Dense");
        Kinds(layers[2]).Should().Equal("Conv2D ReLU Conv2D");
        Kinds(layers[4]).Should().Equal("Conv2D ReLU Conv2D", "Conv2D");
        layers[4].Layers[1].Layers[0].Settings["strideH"].Should().Be(2);
    }

    /// <summary>PyTorch writes <c>x + self.inner(x)</c> as Add(x, Gemm's output): the branch with a node is the body.</summary>
    [Fact]
    public void Load_InputPlusBranch_IsAnIdentityBlockAroundTheBranch()
    {
        var block = Load<double>("mlp_residual_f64_plain").Layers[2].Should().BeOfType<Residual<double>>().Subject;

        block.Shortcut.Should().BeNull();
        block.Body.DescribeLayers().Select(d => d.Kind).Should().Equal("Dense");
    }

    /// <summary>
    /// The same model's state_dict loaded into NeuralNets' twin, BatchNorms and torchvision's names and all, predicts as
    /// its ONNX import, whose convolutions hold the BatchNorms folded in (within 1e-10: the two round differently).
    /// </summary>
    [Fact]
    public void SafetensorsTwin_SameWeights_PredictsAsTheOnnxImport()
    {
        var model = Model("resnet_f64_plain");
        var (twin, modules) = PyTorchWeightsTests.Twin<double>("tiny_resnet_f64");
        SafetensorsFile.LoadParameters(twin, Path.Combine(AppContext.BaseDirectory, "Interop", "PyTorchFiles", "resnet_f64.safetensors"),
            PyTorchWeightsTests.Renaming(twin, modules));

        var fromOnnx = Load<double>("resnet_f64_plain").Predict(Input<double>(model)).ToArray();

        twin.Predict(Input<double>(model)).ToArray().ShouldMatchPyTorch(fromOnnx, "the twin against the ONNX import");
        twin.Predict(Input<double>(model)).ToArray().ShouldMatchPyTorch(model.DoubleOutput, "the twin");
    }

    /// <summary>Each branch's layer kinds, in one string.</summary>
    private static IEnumerable<string> Kinds(LayerDescription block) => block.Layers.Select(branch => string.Join(' ', branch.Layers.Select(l => l.Kind)));
}
