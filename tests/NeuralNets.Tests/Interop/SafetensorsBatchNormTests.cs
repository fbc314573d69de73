using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using NeuralNets.Interop;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Interop;

/// <summary>
/// BatchNorm's buffers in safetensors files as PyTorch writes them (running_mean, running_var, and num_batches_tracked as
/// an I64 scalar), the files' other integer tensors, and what is refused: each case built by hand around a network of
/// one BatchNorm1D over two features.
/// </summary>
public class SafetensorsBatchNormTests
{
    private static Sequential<double> Net() => Network.Sequential<double>([2]).BatchNorm1D().Build(seed: 1);

    internal static byte[] F64(params double[] values)
    {
        var bytes = new byte[8 * values.Length];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(8 * i), values[i]);
        return bytes;
    }

    internal static byte[] I64(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        return bytes;
    }

    /// <summary>A file of the tensors in the order given, each a name, a dtype, a shape and its bytes.</summary>
    internal static byte[] File(params (string Name, string DType, int[] Shape, byte[] Data)[] tensors)
    {
        var header = new StringBuilder("{");
        long offset = 0;
        foreach (var (name, dtype, shape, data) in tensors)
        {
            header.Append(CultureInfo.InvariantCulture, $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":[{string.Join(',', shape)}],\"data_offsets\":[{offset},{offset + data.Length}]}},");
            offset += data.Length;
        }
        byte[] json = Encoding.UTF8.GetBytes(header.ToString().TrimEnd(',') + "}");
        var file = new byte[8 + json.Length + offset];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        int position = 8 + json.Length;
        foreach (var (_, _, _, data) in tensors)
        {
            data.CopyTo(file, position);
            position += data.Length;
        }
        return file;
    }

    private static readonly (string, string, int[], byte[]) Weight = ("0.weight", "F64", [2], F64(2, 3));
    private static readonly (string, string, int[], byte[]) Bias = ("0.bias", "F64", [2], F64(0.5, -0.5));
    private static readonly (string, string, int[], byte[]) Mean = ("0.running_mean", "F64", [2], F64(1, -1));
    private static readonly (string, string, int[], byte[]) Variance = ("0.running_var", "F64", [2], F64(4, 0.25));

    private static BatchNorm<double> Norm(Sequential<double> network) => (BatchNorm<double>)network.Layers[0];

    [Fact]
    public void LoadParameters_PyTorchBuffers_SetTheRunningStatisticsAndTheCount()
    {
        var network = Net();

        SafetensorsFile.LoadParameters(network, File(Weight, Bias, Mean, Variance, ("0.num_batches_tracked", "I64", [], I64(12))), "'bn.safetensors'");

        Norm(network).RunningMean.ToArray().Should().Equal(1, -1);
        Norm(network).RunningVariance.ToArray().Should().Equal(4, 0.25);
        Norm(network).BatchesTracked.Should().Be(12);
    }

    [Fact]
    public void LoadParameters_WithoutNumBatchesTracked_KeepsTheLayersCountAsPyTorchDoes()
    {
        var network = Net();
        Norm(network).SetRunningStatistics([0, 0], [1, 1], batchesTracked: 7);

        SafetensorsFile.LoadParameters(network, File(Weight, Bias, Mean, Variance), "'old.safetensors'");

        Norm(network).RunningVariance.ToArray().Should().Equal(4, 0.25);
        Norm(network).BatchesTracked.Should().Be(7);
    }

    [Fact]
    public void LoadParameters_WithoutRunningVariance_FailsSayingWhatPyTorchWrites()
    {
        var act = () => SafetensorsFile.LoadParameters(Net(), File(Weight, Bias, Mean), "'f'");

        act.Should().Throw<InvalidDataException>()
            .WithMessage("'f' holds no tensor for the BatchNorm buffer '0.running_var' [2]: PyTorch writes a BatchNorm's running_mean and running_var*track_running_stats=False*");
    }

    [Theory]
    [InlineData("0.num_batches_tracked", "F32", 4, "'f': tensor '0.num_batches_tracked' has the dtype 'F32', but the BatchNorm buffer '0.num_batches_tracked' takes I64, as PyTorch writes it.")]
    [InlineData("0.weight", "I32", 4, "'f': tensor '0.weight' has the dtype 'I32', but the parameter '0.weight' takes F64, F32, F16 or BF16.")]
    public void LoadParameters_TensorOfTheWrongDType_FailsNamingBoth(string name, string dtype, int valueSize, string message)
    {
        var tensors = new[] { Weight, Bias, Mean, Variance, ("0.num_batches_tracked", "I64", Array.Empty<int>(), I64(3)) }
            .Select(t => t.Item1 == name ? (name, dtype, t.Item3, new byte[valueSize * t.Item3.Aggregate(1, (a, b) => a * b)]) : t).ToArray();

        var act = () => SafetensorsFile.LoadParameters(Net(), File(tensors), "'f'");

        act.Should().Throw<InvalidDataException>().WithMessage(message);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void LoadParameters_VarianceBatchNormRefuses_FailsAndChangesNothing(double variance)
    {
        var network = Net();

        var act = () => SafetensorsFile.LoadParameters(network, File(Weight, Bias, Mean, ("0.running_var", "F64", [2], F64(1, variance))), "'f'");

        act.Should().Throw<InvalidDataException>().WithMessage("'f': tensor '0.running_var' holds * for channel 1; a BatchNorm's running mean must be finite, and its variance finite and not negative.");
        network.Parameters[0].ValueSpan.ToArray().Should().Equal(1, 1);
        Norm(network).RunningMean.ToArray().Should().Equal(0, 0);
    }

    [Fact]
    public void LoadParameters_Int64TensorTheNetworkHasNoPlaceFor_LeftAsideWhenNotStrict()
    {
        // As a Hugging Face model's position_ids buffer: the header reader used to refuse any integer dtype outright.
        byte[] file = File(Weight, Bias, Mean, Variance, ("position_ids", "I64", [1, 2], [.. I64(0), .. I64(1)]));
        var network = Net();

        var strict = () => SafetensorsFile.LoadParameters(network, file, "'f'");
        SafetensorsFile.LoadParameters(network, file, "'f'", strict: false);

        strict.Should().Throw<InvalidDataException>().WithMessage("'f' holds tensors the network has no parameter for: 'position_ids'*");
        network.Parameters[0].ValueSpan.ToArray().Should().Equal(2, 3);
    }

    [Fact]
    public void ForModules_BatchNormWithoutAffine_IsAModuleAndItsBuffersAreMapped()
    {
        // self.fc1 = nn.Linear(2, 3); self.bn = nn.BatchNorm1d(3, affine=False); self.fc2 = nn.Linear(3, 1)
        var network = Network.Sequential<double>([2]).Dense(3).BatchNorm1D(affine: false).Dense(1).Build(seed: 1);

        var names = PyTorchNames.ForModules(network, "fc1", "bn", "fc2");

        names.Should().Contain("bn.running_mean", "1.running_mean").And.Contain("bn.num_batches_tracked", "1.num_batches_tracked").And.Contain("fc2.bias", "2.bias");
        Encoding.UTF8.GetString(SafetensorsFile.ToBytes(network, rename: names)).Should().Contain("\"bn.num_batches_tracked\"").And.Contain("\"fc1.weight\"")
            .And.NotContain("\"1.running_var\"", "saved with the renaming, the file holds the module's names");
    }

    [Theory]
    [InlineData("a", "0.weight", "b", "0.weight", "*maps both 'a' and 'b' to '0.weight'*")]
    [InlineData("0.bias", "0.weight", "x", "x", "*'0.weight' and '0.bias' would both be written as '0.bias'*")]
    public void ToBytes_RenamingThatNamesATensorTwice_Fails(string file1, string network1, string file2, string network2, string message)
    {
        var act = () => SafetensorsFile.ToBytes(Net(), rename: new Dictionary<string, string> { [file1] = network1, [file2] = network2 });

        act.Should().Throw<ArgumentException>().WithMessage(message);
    }
}
