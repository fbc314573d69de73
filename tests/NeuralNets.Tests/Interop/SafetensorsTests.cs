using System.Buffers.Binary;
using System.Text;
using NeuralNets.Interop;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Interop;

public class SafetensorsTests
{
    /// <summary>A file as PyTorch's <c>safetensors.torch.save_file</c> writes it, built by hand: header length, JSON, little-endian data.</summary>
    private static byte[] File(string header, params float[] data)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + 4 * data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        for (int i = 0; i < data.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(8 + json.Length + 4 * i), data[i]);
        return bytes;
    }

    // class Net(nn.Module): fc1 = nn.Linear(2, 3); fc2 = nn.Linear(3, 1); forward = fc2(relu(fc1(x)))
    private const string PyTorchHeader =
        """{"__metadata__":{"format":"pt"},"fc1.bias":{"dtype":"F32","shape":[3],"data_offsets":[24,36]},"fc1.weight":{"dtype":"F32","shape":[3,2],"data_offsets":[0,24]},"fc2.bias":{"dtype":"F32","shape":[1],"data_offsets":[48,52]},"fc2.weight":{"dtype":"F32","shape":[1,3],"data_offsets":[36,48]}}""";

    private static readonly float[] PyTorchData = [1, 0, 0, 1, 1, -1, /* fc1.bias */ 0, 0, 0.5f, /* fc2.weight */ 1, 2, 3, /* fc2.bias */ -1];

    private static Sequential<T> Net<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        Network.Sequential<T>([2]).Dense(3).ReLU().Dense(1).Build(seed: 5);

    [Fact]
    public void LoadParameters_PyTorchModuleNames_LoadThroughForModules()
    {
        var network = Net<float>();

        SafetensorsFile.LoadParameters(network, File(PyTorchHeader, PyTorchData), "'net.safetensors'", PyTorchNames.ForModules(network, "fc1", "fc2"));

        network.Parameters[0].ValueSpan.ToArray().Should().Equal(1, 0, 0, 1, 1, -1);
        network.Parameters[3].ValueSpan.ToArray().Should().Equal(-1);
        // x = [2, 1]: h = relu([2, 1, 1.5]) → y = 2 + 2 + 4.5 − 1 = 7.5.
        network.Predict([2f, 1f]).Should().Equal(7.5f);
    }

    [Fact]
    public void LoadParameters_SequentialNamesInF32_LoadIntoADoubleNetwork()
    {
        string header = PyTorchHeader.Replace("fc1.", "0.").Replace("fc2.", "2.");
        var network = Net<double>();

        SafetensorsFile.LoadParameters(network, File(header, PyTorchData), "'seq.safetensors'");

        network.Predict([2.0, 1.0]).Should().Equal(7.5);
    }

    [Fact]
    public void LoadParameters_Bfloat16AndFloat16_ConvertExactly()
    {
        // 1.5 is 0x3FC0 in bfloat16 and 0x3E00 in float16.
        byte[] json = Encoding.UTF8.GetBytes("""{"0.weight":{"dtype":"BF16","shape":[1,1],"data_offsets":[0,2]},"0.bias":{"dtype":"F16","shape":[1],"data_offsets":[2,4]}}""");
        var bytes = new byte[8 + json.Length + 4];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8 + json.Length), 0x3FC0);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(10 + json.Length), 0x3E00);
        var network = Network.Sequential<float>([1]).Dense(1).Build(seed: 1);

        SafetensorsFile.LoadParameters(network, bytes, "'half.safetensors'");

        network.Parameters.Select(p => p.ValueSpan[0]).Should().Equal(1.5f, 1.5f);
    }

    [Fact]
    public void SaveLoad_Double_BitIdenticalWithMetadata()
    {
        var source = Net<double>();
        var target = Network.Sequential<double>([2]).Dense(3).ReLU().Dense(1).Build(seed: 99);

        byte[] bytes = SafetensorsFile.ToBytes(source, new Dictionary<string, string> { ["format"] = "pt" });
        SafetensorsFile.LoadParameters(target, bytes, "'round.safetensors'");

        for (int i = 0; i < source.Parameters.Count; i++) target.Parameters[i].ValueSpan.ToArray().Should().Equal(source.Parameters[i].ValueSpan.ToArray());
        (BinaryPrimitives.ReadUInt64LittleEndian(bytes) % 8).Should().Be(0UL, "the data starts 8-byte aligned");
    }

    [Fact]
    public void SaveLoad_ThroughAFile_Float()
    {
        var source = Net<float>();
        var target = Network.Sequential<float>([2]).Dense(3).ReLU().Dense(1).Build(seed: 99);
        string path = Path.Combine(Path.GetTempPath(), $"nn-{Guid.NewGuid():N}.safetensors");
        try
        {
            SafetensorsFile.Save(source, path);
            SafetensorsFile.LoadParameters(target, path);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
        target.Parameters[2].ValueSpan.ToArray().Should().Equal(source.Parameters[2].ValueSpan.ToArray());
    }

    public static TheoryData<string, string> HostileHeaders() => new()
    {
        { """{"0.weight":{"dtype":"F32","shape":[3,2],"data_offsets":[0,2400]}}""", "*'0.weight' has data_offsets [0, 2400] outside the 52 bytes of data*" },
        { """{"0.weight":{"dtype":"F32","shape":[3,3],"data_offsets":[0,24]}}""", "*'0.weight' is [3, 3] F32 but its data_offsets span 24 bytes*" },
        { """{"0.weight":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,24]}}""", "*'0.weight' is [4294967296, 4294967296] F32*" },
        { """{"0.weight":{"dtype":"I8","shape":[52],"data_offsets":[0,52]}}""", "*'0.weight' has the dtype 'I8', but the parameter '0.weight' takes F64, F32, F16 or BF16." },
        { """{"0.weight":{"dtype":"F4","shape":[3,2],"data_offsets":[0,3]}}""", "*'0.weight' has the dtype 'F4', which this reader does not know*" },
        { """{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},"b":{"dtype":"F32","shape":[3],"data_offsets":[8,20]}}""", "*'a' and 'b' overlap*" },
        { """{"0.weight":{"dtype":"F32","shape":[-3],"data_offsets":[0,12]}}""", "*'shape' must hold non-negative integers*" },
        { """[1, 2]""", "*must be a JSON object*" },
        { """{"0.weight":""", "*not valid JSON*" },
    };

    [Theory]
    [MemberData(nameof(HostileHeaders))]
    public void LoadParameters_HostileHeader_FailsNamingTheTensorAndChangesNothing(string header, string message)
    {
        var network = Net<float>();
        var before = network.Parameters.Select(p => p.ValueSpan.ToArray()).ToList();

        var act = () => SafetensorsFile.LoadParameters(network, File(header, PyTorchData), "'evil.safetensors'");

        act.Should().Throw<InvalidDataException>().WithMessage(message);
        network.Parameters.Select(p => p.ValueSpan.ToArray()).Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
    }

    [Fact]
    public void LoadParameters_HeaderLengthBeyondTheFile_Fails()
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, ulong.MaxValue);

        var act = () => SafetensorsFile.LoadParameters(Net<float>(), bytes, "'evil.safetensors'");

        act.Should().Throw<InvalidDataException>().WithMessage("'evil.safetensors': the header length is 18446744073709551615 bytes, but the file holds 8 after it*");
    }

    [Fact]
    public void LoadParameters_MissingShapeMismatchAndUnexpected_FailNamingTheTensor()
    {
        var missing = () => SafetensorsFile.LoadParameters(Net<float>(), File(PyTorchHeader, PyTorchData), "'f'");
        missing.Should().Throw<InvalidDataException>().WithMessage("'f' holds no tensor for the parameter '0.weight' [3, 2]*PyTorchNames*");

        var wrongShape = () => SafetensorsFile.LoadParameters(Network.Sequential<float>([3]).Dense(2).ReLU().Dense(1).Build(seed: 1),
            File(PyTorchHeader, PyTorchData), "'f'", new Dictionary<string, string> { ["fc1.weight"] = "0.weight", ["fc1.bias"] = "0.bias", ["fc2.weight"] = "2.weight", ["fc2.bias"] = "2.bias" });
        wrongShape.Should().Throw<InvalidDataException>().WithMessage("'f': the tensor 'fc1.weight' is [3, 2], but the parameter '0.weight' is [2, 3].");

        var network = Network.Sequential<float>([2]).Dense(3).Build(seed: 1);
        var unexpected = () => SafetensorsFile.LoadParameters(network, File(PyTorchHeader, PyTorchData), "'f'", new Dictionary<string, string> { ["fc1.weight"] = "0.weight", ["fc1.bias"] = "0.bias" });
        unexpected.Should().Throw<InvalidDataException>().WithMessage("'f' holds tensors the network has no parameter for: 'fc2.bias', 'fc2.weight'*");
        SafetensorsFile.LoadParameters(network, File(PyTorchHeader, PyTorchData), "'f'", new Dictionary<string, string> { ["fc1.weight"] = "0.weight", ["fc1.bias"] = "0.bias" }, strict: false);
        network.Parameters[1].ValueSpan.ToArray().Should().Equal(0, 0, 0.5f);
    }
}
