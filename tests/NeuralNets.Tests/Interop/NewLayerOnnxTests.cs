using NeuralNets.Interop;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Interop;

/// <summary>ONNX round trips of the issue 16 layers written as one opset-13 operator (Elu; Softplus with β = 1 and threshold ≥ 40); GELU, written out, is refused on import with a message.</summary>
public class NewLayerOnnxTests
{
    [Fact]
    public void EluAndSoftplus_ExportThenImport_PredictTheSame()
    {
        var network = Network.Sequential<float>(12).Dense(8).ELU(0.5).Dense(6).Softplus(beta: 1, threshold: 40).Build(seed: 3);
        var imported = OnnxFile.FromBytes<float>(OnnxFile.ToBytes(network));
        imported.Layers.OfType<ELU<float>>().Single().Alpha.Should().Be(0.5);
        var x = TestTensors.Random<float>(4, 5, 12);
        imported.Predict(x).ToArray().Should().Equal(network.Predict(x).ToArray(), (a, b) => Math.Abs(a - b) <= 1e-6f * Math.Max(1, Math.Abs(b)));
    }

    [Fact]
    public void GeluExport_ImportNamesTheOperatorItCannotTake()
    {
        var network = Network.Sequential<float>(4).GELU().Build(seed: 1);
        var act = () => OnnxFile.FromBytes<float>(OnnxFile.ToBytes(network));
        act.Should().Throw<InvalidDataException>().WithMessage("*only a chain of operators*can be imported*");
    }
}
