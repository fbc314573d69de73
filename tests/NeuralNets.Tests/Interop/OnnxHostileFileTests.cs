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
    public void Load_RandomByteChanges_LoadOrFailWithInvalidDataExceptionOnly() => ChangeBytesAndLoad<float>(Valid, trials: 3000, seed: 12);

    /// <summary>PyTorch's files exercise what the importer folds and recognises: shapes computed from the data's, weights under a Transpose or Unsqueeze, branches joining in GELU and SiLU, a Pad before AveragePool.</summary>
    [Theory]
    [InlineData("cnn_norm_opset13_unfolded")]
    [InlineData("mlp_smooth_f64_dynamic_unfolded")]
    [InlineData("cnn_pool_opset9")]
    public void Load_RandomByteChangesOfAPyTorchFile_LoadOrFailWithInvalidDataExceptionOnly(string file)
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Interop", "PyTorchFiles", file + ".onnx"));
        if (file.Contains("f64", StringComparison.Ordinal)) ChangeBytesAndLoad<double>(bytes, trials: 1000, seed: 13);
        else ChangeBytesAndLoad<float>(bytes, trials: 1000, seed: 13);
    }

    [Fact]
    public void Load_WeightFoldedThroughMoreIdentitiesThanTheLimit_FailsNamingTheNode()
    {
        var graph = OnnxGraphs.Graph([2], [2]);
        graph.Initializers.Add(OnnxGraphs.Typed("w0", [2, 2], [1, 0, 0, 1]));
        for (int i = 0; i < 100; i++) graph.Nodes.Add(OnnxGraphs.Node("Identity", [$"w{i}"], $"w{i + 1}"));
        graph.Nodes.Add(OnnxGraphs.Node("Gemm", ["x", "w100"], "y"));

        var act = () => OnnxGraphs.Import<float>(OnnxGraphs.Model(graph));

        act.Should().Throw<InvalidDataException>().WithMessage("*(Identity) ends a chain of more than 64 folded constants*");
    }

    [Fact]
    public void Load_ShapeConcatenatedPastTheLimit_FailsBeforeGrowing()
    {
        // Each Concat doubles the shape before it: 2^40 lengths after 40 of them, unless the limit stops it.
        var graph = OnnxGraphs.Graph([4], [4]);
        graph.Initializers.Add(OnnxGraphs.Int64s("s0", 0, 4));
        for (int i = 0; i < 40; i++) graph.Nodes.Add(OnnxGraphs.Node("Concat", [$"s{i}", $"s{i}"], $"s{i + 1}", OnnxGraphs.Int("axis", 0)));
        graph.Nodes.Add(OnnxGraphs.Node("Reshape", ["x", "s40"], "y"));
        byte[] bytes = OnnxEncoder.Encode(OnnxGraphs.Model(graph));

        var (allocated, error) = Allocation.Measure(() => OnnxFile.FromBytes<float>(bytes, "'evil.onnx'"));

        error.Should().BeOfType<InvalidDataException>().Which.Message.Should().Contain("(Concat) computes a shape of more than 64 lengths");
        allocated.Should().BeLessThan(Allocation.Bound(bytes.Length));
    }

    [Fact]
    public void Load_EmptyShapeConcatenatedWithItselfDeeply_IsFollowedOncePerNode()
    {
        // Each Concat reads the one before it twice: followed as a tree, 2^20 visits (2^64 at the depth limit), though the
        // shape stays empty and never reaches the length limit.
        var graph = OnnxGraphs.Graph([4], [4]);
        graph.Initializers.Add(new TensorProto { Name = "s0", DataType = OnnxDataType.Int64, Dims = [0] });
        graph.Initializers.Add(OnnxGraphs.Int64s("keep", 0, -1));
        for (int i = 0; i < 20; i++) graph.Nodes.Add(OnnxGraphs.Node("Concat", [$"s{i}", $"s{i}"], $"s{i + 1}", OnnxGraphs.Int("axis", 0)));
        graph.Nodes.Add(OnnxGraphs.Node("Concat", ["s20", "keep"], "target", OnnxGraphs.Int("axis", 0)));
        graph.Nodes.Add(OnnxGraphs.Node("Reshape", ["x", "target"], "r"));
        graph.Nodes.Add(OnnxGraphs.Node("Relu", ["r"], "y"));
        byte[] bytes = OnnxEncoder.Encode(OnnxGraphs.Model(graph));

        var (allocated, error) = Allocation.Measure(() => OnnxFile.FromBytes<float>(bytes, "'evil.onnx'"));

        error.Should().BeNull();
        allocated.Should().BeLessThan(Allocation.Bound(bytes.Length));
    }

    [Fact]
    public void Load_SqueezeOfHugeDimensionsOverSmallData_FailsWithoutAllocatingThem()
    {
        var graph = OnnxGraphs.Graph([4], [4]);
        graph.Initializers.Add(OnnxGraphs.Raw("W", [1, 4, 1L << 40], [1, 2, 3, 4]));
        graph.Initializers.Add(OnnxGraphs.Int64s("axes", 0));
        graph.Nodes.Add(OnnxGraphs.Node("Squeeze", ["W", "axes"], "Ws"));
        graph.Nodes.Add(OnnxGraphs.Node("MatMul", ["x", "Ws"], "y"));
        byte[] bytes = OnnxEncoder.Encode(OnnxGraphs.Model(graph));

        var (allocated, error) = Allocation.Measure(() => OnnxFile.FromBytes<float>(bytes, "'evil.onnx'"));

        error.Should().BeOfType<InvalidDataException>().Which.Message.Should().Contain("'matmul_y' (MatMul) has a weight 'Ws' [4, 1099511627776], more values than can be held");
        allocated.Should().BeLessThan(Allocation.Bound(bytes.Length));
    }

    [Fact]
    public void Load_TransposeOfHugeDimensionsOverSmallData_FailsWithoutAllocatingThem()
    {
        var graph = OnnxGraphs.Graph([4], [4]);
        graph.Initializers.Add(OnnxGraphs.Raw("W", [1L << 26, 4], [1, 2, 3, 4]));
        graph.Nodes.Add(OnnxGraphs.Node("Transpose", ["W"], "Wt", OnnxGraphs.Ints("perm", 1, 0)));
        graph.Nodes.Add(OnnxGraphs.Node("MatMul", ["x", "Wt"], "y"));
        byte[] bytes = OnnxEncoder.Encode(OnnxGraphs.Model(graph));

        var (allocated, error) = Allocation.Measure(() => OnnxFile.FromBytes<float>(bytes, "'evil.onnx'"));

        error.Should().BeOfType<InvalidDataException>().Which.Message.Should().Contain("(Transpose) transposes 'W' [67108864, 4], which holds 4 values");
        allocated.Should().BeLessThan(Allocation.Bound(bytes.Length));
    }

    [Fact]
    public void Load_BranchesDoublingTheirFunctionAtEachNode_FailWithoutGrowingIt()
    {
        // s0 = x·x, s(i+1) = s(i) + s(i), y = s24·x: 26 nodes whose function written out as a flat sum has 2^24 terms.
        var graph = OnnxGraphs.Graph([4], [4]);
        graph.Nodes.Add(OnnxGraphs.Node("Mul", ["x", "x"], "s0"));
        for (int i = 0; i < 24; i++) graph.Nodes.Add(OnnxGraphs.Node("Add", [$"s{i}", $"s{i}"], $"s{i + 1}"));
        graph.Nodes.Add(OnnxGraphs.Node("Mul", ["s24", "x"], "y"));
        byte[] bytes = OnnxEncoder.Encode(OnnxGraphs.Model(graph));

        var (allocated, error) = Allocation.Measure(() => OnnxFile.FromBytes<float>(bytes, "'evil.onnx'"));

        error.Should().BeOfType<InvalidDataException>().Which.Message.Should().Contain("'mul_y' (Mul)");
        allocated.Should().BeLessThan(Allocation.Bound(bytes.Length));
    }

    private static void ChangeBytesAndLoad<T>(byte[] valid, int trials, int seed) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        for (int trial = 0; trial < trials; trial++)
        {
            var bytes = (byte[])valid.Clone();
            for (int k = random.Next(1, 4); k > 0; k--) bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            var (allocated, error) = Allocation.Measure(() => OnnxFile.FromBytes<T>(bytes));
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
