using NeuralNets.Interop;
using NeuralNets.Layers;
using static NeuralNets.Tests.Interop.SafetensorsBatchNormTests;

namespace NeuralNets.Tests.Interop;

/// <summary>
/// Hostile or unusual safetensors files around a BatchNorm1D over two features (the layout of
/// <see cref="SafetensorsBatchNormTests"/>), and bias-less layers in nested networks: each either loads as PyTorch would
/// or is refused before anything changes.
/// </summary>
public class SafetensorsReviewProbeTests
{
    private static Sequential<double> Net() => Network.Sequential<double>([2]).BatchNorm1D().Build(seed: 1);

    private static readonly (string, string, int[], byte[]) Weight = ("0.weight", "F64", [2], F64(2, 3));
    private static readonly (string, string, int[], byte[]) Bias = ("0.bias", "F64", [2], F64(0.5, -0.5));
    private static readonly (string, string, int[], byte[]) Mean = ("0.running_mean", "F64", [2], F64(1, -1));
    private static readonly (string, string, int[], byte[]) Variance = ("0.running_var", "F64", [2], F64(4, 0.25));

    private static (string, string, int[], byte[]) Count(long count) => ("0.num_batches_tracked", "I64", [], I64(count));

    private static void ShouldBeUnchanged(Sequential<double> network)
    {
        network.Parameters[0].ValueSpan.ToArray().Should().Equal(1, 1);
        ((BatchNorm<double>)network.Layers[0]).RunningMean.ToArray().Should().Equal(0, 0);
        ((BatchNorm<double>)network.Layers[0]).BatchesTracked.Should().Be(0);
    }

    [Fact]
    public void LoadParameters_TensorsInNoParticularOrder_LoadAsInHuggingFacesOrder()
    {
        var network = Net();

        SafetensorsFile.LoadParameters(network, File(Variance, Count(5), Bias, Mean, Weight), "'f'");

        network.Parameters[0].ValueSpan.ToArray().Should().Equal(2, 3);
        ((BatchNorm<double>)network.Layers[0]).RunningVariance.ToArray().Should().Equal(4, 0.25);
        ((BatchNorm<double>)network.Layers[0]).BatchesTracked.Should().Be(5);
    }

    [Fact]
    public void LoadParameters_NegativeBatchCount_FailsAndChangesNothing()
    {
        var network = Net();

        var act = () => SafetensorsFile.LoadParameters(network, File(Weight, Bias, Mean, Variance, Count(-1)), "'f'");

        act.Should().Throw<InvalidDataException>().WithMessage("*'0.num_batches_tracked' counts -1 training batches*");
        ShouldBeUnchanged(network);
    }

    [Theory]
    [InlineData(9007199254740993L)]  // 2^53 + 1: a model file would keep it as 2^53
    [InlineData(long.MaxValue)]      // a model file would refuse it on reading
    public void LoadParameters_BatchCountBeyondWhatModelFilesKeep_FailsAndChangesNothing(long count)
    {
        var network = Net();

        var act = () => SafetensorsFile.LoadParameters(network, File(Weight, Bias, Mean, Variance, Count(count)), "'f'");

        act.Should().Throw<InvalidDataException>().WithMessage($"*'0.num_batches_tracked' counts {count} training batches*2^53*");
        ShouldBeUnchanged(network);
    }

    [Fact]
    public void LoadParameters_BatchCountOfTwoToThe53_Loads()
    {
        var network = Net();

        SafetensorsFile.LoadParameters(network, File(Weight, Bias, Mean, Variance, Count(1L << 53)), "'f'");

        ((BatchNorm<double>)network.Layers[0]).BatchesTracked.Should().Be(1L << 53);
    }

    public static TheoryData<string, string, int[], byte[], string> MisfitTensors() => new()
    {
        // An I64 scalar whose data_offsets span 16 bytes: the header check compares them with the shape.
        { "0.num_batches_tracked", "I64", [], [.. I64(3), .. I64(4)], "*'0.num_batches_tracked' is [] I64 but its data_offsets span 16 bytes*" },
        { "0.num_batches_tracked", "I64", [1], I64(3), "*'0.num_batches_tracked' is [1], but the BatchNorm buffer '0.num_batches_tracked' is []*" },
        { "0.num_batches_tracked", "F64", [], F64(3), "*'0.num_batches_tracked' has the dtype 'F64'*takes I64*" },
        { "0.running_var", "F64", [3], F64(1, 1, 1), "*'0.running_var' is [3], but the BatchNorm buffer '0.running_var' is [2]*" },
        { "0.running_var", "F64", [2], F64(1, double.PositiveInfinity), "*'0.running_var' holds Infinity for channel 1*" },
        { "0.running_mean", "F64", [2], F64(double.NaN, 1), "*'0.running_mean' holds NaN for channel 0*" },
        { "0.weight", "U8", [2], [1, 2], "*'0.weight' has the dtype 'U8'*F64, F32, F16 or BF16*" },
        { "0.weight", "BOOL", [2], [1, 0], "*'0.weight' has the dtype 'BOOL'*F64, F32, F16 or BF16*" },
    };

    [Theory]
    [MemberData(nameof(MisfitTensors))]
    public void LoadParameters_TensorThatDoesNotFit_FailsAndChangesNothing(string name, string dtype, int[] shape, byte[] data, string message)
    {
        var network = Net();
        var tensors = new[] { Weight, Bias, Mean, Variance, Count(3) }.Select(t => t.Item1 == name ? (name, dtype, shape, data) : t).ToArray();

        var act = () => SafetensorsFile.LoadParameters(network, File(tensors), "'f'");

        act.Should().Throw<InvalidDataException>().WithMessage(message);
        ShouldBeUnchanged(network);
    }

    [Fact]
    public void LoadParameters_RunningMeanWithoutCountOrVariance_FailsAndChangesNothing()
    {
        var network = Net();

        var act = () => SafetensorsFile.LoadParameters(network, File(Weight, Bias, Mean, Count(2)), "'f'");

        act.Should().Throw<InvalidDataException>().WithMessage("*no tensor for the BatchNorm buffer '0.running_var'*");
        ShouldBeUnchanged(network);
    }

    [Fact]
    public void LoadParameters_HeaderNamingATensorTwice_Fails()
    {
        byte[] file = File(Weight, Bias, Mean, Variance, ("0.bias", "F64", [2], F64(7, 7)));

        var act = () => SafetensorsFile.LoadParameters(Net(), file, "'f'");

        act.Should().Throw<InvalidDataException>().WithMessage("'f': the header names '0.bias' twice.");
    }

    [Fact]
    public void LoadParameters_RenamingTwoFileTensorsIntoOne_Fails()
    {
        var rename = new Dictionary<string, string> { ["a"] = "0.bias", ["0.bias"] = "0.bias" };

        var act = () => SafetensorsFile.LoadParameters(Net(), File(Weight, Bias, Mean, Variance, ("a", "F64", [2], F64(7, 7))), "'f'", rename);

        act.Should().Throw<InvalidDataException>().WithMessage("*both load into '0.bias'*");
    }

    [Fact]
    public void SaveLoad_BiaslessLayersInANestedNetwork_KeepNoBiasAndTheSameValues()
    {
        static Sequential<double> Build(int seed) => new([3, 5, 5],
            Network.Sequential<double>([3, 5, 5]).Conv2D(2, 3, bias: false).BatchNorm2D().ReLU().Flatten().Build(seed),
            Network.Sequential<double>([18]).Dense(4, bias: false).Tanh().Dense(2).Build(seed + 1));
        var source = Build(1);
        var target = Build(2);

        byte[] file = SafetensorsFile.ToBytes(source);
        SafetensorsFile.LoadParameters(target, file, "'f'");

        System.Text.Encoding.UTF8.GetString(file).Should().Contain("\"0.0.weight\"").And.NotContain("\"0.0.bias\"").And.NotContain("\"1.0.bias\"").And.Contain("\"1.2.bias\"");
        target.Parameters.Select(p => p.ValueSpan.ToArray()).Should().BeEquivalentTo(source.Parameters.Select(p => p.ValueSpan.ToArray()), o => o.WithStrictOrdering());
        SafetensorsFile.ToBytes(target).Should().Equal(file);
    }

    /// <summary>The bytes of a file of <paramref name="header"/> and <paramref name="dataLength"/> bytes of data (zeros but for 1.0 at each 8-byte step).</summary>
    private static byte[] Raw(string header, int dataLength)
    {
        byte[] json = System.Text.Encoding.UTF8.GetBytes(header);
        var file = new byte[8 + json.Length + dataLength];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        for (int i = 0; i + 8 <= dataLength; i += 8) System.Buffers.Binary.BinaryPrimitives.WriteDoubleLittleEndian(file.AsSpan(8 + json.Length + i), 1);
        return file;
    }

    [Theory]
    // Eight bytes between the weight and the bias, which no tensor covers.
    [InlineData("""{"0.weight":{"dtype":"F64","shape":[2,1],"data_offsets":[0,16]},"0.bias":{"dtype":"F64","shape":[2],"data_offsets":[24,40]}}""", 40, "*the 8 bytes of data between 16 and 24 that no tensor holds*")]
    // Eight bytes after the last tensor.
    [InlineData("""{"0.weight":{"dtype":"F64","shape":[2,1],"data_offsets":[0,16]},"0.bias":{"dtype":"F64","shape":[2],"data_offsets":[16,32]}}""", 40, "*the 8 bytes of data between 32 and 40 that no tensor holds*")]
    // Eight bytes before the first.
    [InlineData("""{"0.weight":{"dtype":"F64","shape":[2,1],"data_offsets":[8,24]},"0.bias":{"dtype":"F64","shape":[2],"data_offsets":[24,40]}}""", 40, "*the 8 bytes of data between 0 and 8 that no tensor holds*")]
    public void LoadParameters_DataNoTensorHolds_FailsAsTheFormatForbidsIt(string header, int dataLength, string message)
    {
        // The format requires the data to be covered entirely, so that a file cannot be two files at once (a polyglot);
        // the reference reader refuses such files, and so PyTorch's safetensors.torch.load_file.
        var network = Network.Sequential<double>([1]).Dense(2).Build(seed: 1);
        var before = network.Parameters[0].ValueSpan.ToArray();

        var act = () => SafetensorsFile.LoadParameters(network, Raw(header, dataLength), "'f'", strict: false);

        act.Should().Throw<InvalidDataException>().WithMessage(message);
        network.Parameters[0].ValueSpan.ToArray().Should().Equal(before);
    }
}
