using NeuralNets.Interop;

namespace NeuralNets.Tests.Interop;

/// <summary>ONNX files are untrusted: every malformed one is an InvalidDataException, and none makes the reader allocate beyond its size.</summary>
public class OnnxHostileFileTests
{
    private static readonly byte[] Valid = OnnxFile.ToBytes(
        Network.Sequential<float>([1, 6, 6]).Conv2D(2, kernel: 3, padding: 1).ReLU().MaxPool2D(2).Flatten().Dense(3).Softmax().Build(seed: 1));

    [Fact]
    public void Load_EveryTruncation_FailsWithInvalidDataException()
    {
        for (int length = 0; length < Valid.Length; length += 3)
        {
            var act = () => OnnxFile.FromBytes<float>(Valid.AsMemory(0, length));
            act.Should().Throw<InvalidDataException>($"the file cut to {length} of {Valid.Length} bytes");
        }
    }

    [Fact]
    public void Load_RandomByteChanges_LoadOrFailWithInvalidDataExceptionOnly()
    {
        var random = new Random(12);
        for (int trial = 0; trial < 3000; trial++)
        {
            var bytes = (byte[])Valid.Clone();
            for (int k = random.Next(1, 4); k > 0; k--) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            var (allocated, error) = Allocation.Measure(() => OnnxFile.FromBytes<float>(bytes));
            if (error is not null) error.Should().BeOfType<InvalidDataException>($"trial {trial}: {error}");
            allocated.Should().BeLessThan(Allocation.Bound(bytes.Length), $"trial {trial}");
        }
    }

    [Fact]
    public void Load_LengthBeyondTheFile_FailsNamingTheField()
    {
        // ModelProto field 7 (graph), length-delimited, claiming 2^25 - 1 bytes that are not there.
        byte[] bytes = [0x3A, 0xFF, 0xFF, 0xFF, 0x0F, 1, 2, 3];

        var act = () => OnnxFile.FromBytes<float>(bytes, "'evil.onnx'");

        act.Should().Throw<InvalidDataException>().WithMessage("'evil.onnx': ModelProto: field 'graph' claims 33554431 bytes but only 3 remain.");
    }

    [Fact]
    public void Load_GroupWireType_FailsNamingTheField()
    {
        byte[] bytes = [(5 << 3) | 3];

        var act = () => OnnxFile.FromBytes<float>(bytes, "'evil.onnx'");

        act.Should().Throw<InvalidDataException>().WithMessage("*field 5 has the wire type 3, which ONNX never uses*");
    }

    [Fact]
    public void Load_HugeDimensionsOverSmallData_FailsWithoutAllocatingThem()
    {
        var graph = OnnxGraphs.Graph([4], [4]);
        graph.Initializers.Add(OnnxGraphs.Raw("W", [1L << 40, 4], [1, 2, 3, 4]));
        graph.Nodes.Add(OnnxGraphs.Node("Gemm", ["x", "W"], "y", OnnxGraphs.Int("transB", 1)));
        byte[] bytes = OnnxEncoder.Encode(OnnxGraphs.Model(graph));

        var (allocated, error) = Allocation.Measure(() => OnnxFile.FromBytes<float>(bytes, "'evil.onnx'"));

        error.Should().BeOfType<InvalidDataException>().Which.Message.Should().Contain("'gemm_y' (Gemm)").And.Contain("'W'");
        allocated.Should().BeLessThan(Allocation.Bound(bytes.Length));
    }

    [Fact]
    public void Load_InvalidUtf8Name_FailsNamingTheField()
    {
        // ModelProto field 2 (producer_name), two bytes that are not UTF-8.
        byte[] bytes = [0x12, 2, 0xC3, 0x28];

        var act = () => OnnxFile.FromBytes<float>(bytes, "'evil.onnx'");

        act.Should().Throw<InvalidDataException>().WithMessage("*'producer_name' is not valid UTF-8*");
    }
}
