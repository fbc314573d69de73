using System.Buffers.Binary;
using System.Text;
using NeuralNets.Interop;
using NeuralNets.Layers;

namespace NeuralNets.Tests.Interop;

/// <summary>Damage the header's JSON parser lets through: text that is not UTF-8 is reported as a damaged file, naming it.</summary>
public class SafetensorsUtf8Tests
{
    private const string Header = """{"0.weight":{"dtype":"F64","shape":[1,1],"data_offsets":[0,8]},"0.bias":{"dtype":"F64","shape":[1],"data_offsets":[8,16]}}""";

    private static Sequential<T> Net<T>() where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        Network.Sequential<T>([1]).Dense(1).Build(seed: 5);

    /// <summary>A file of <paramref name="header"/>'s bytes and two F64 values.</summary>
    private static byte[] File(byte[] header, double weight, double bias)
    {
        var bytes = new byte[8 + header.Length + 16];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(8 + header.Length), weight);
        BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(16 + header.Length), bias);
        return bytes;
    }

    public static TheoryData<int> HeaderStringBytes()
    {
        // Every byte inside a string of the header: names, keys and the dtype's value.
        var data = new TheoryData<int>();
        bool inString = false;
        for (int i = 0; i < Header.Length; i++)
        {
            if (Header[i] == '"')
            {
                inString = !inString;
                continue;
            }
            if (inString) data.Add(i);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(HeaderStringBytes))]
    public void LoadParameters_HeaderStringByteNotUtf8_FailsAsDamagedNamingTheFile(int position)
    {
        byte[] header = Encoding.UTF8.GetBytes(Header);
        header[position] = 0xFF;

        var act = () => SafetensorsFile.LoadParameters(Net<float>(), File(header, 1, 2), "'bad.safetensors'");

        act.Should().Throw<InvalidDataException>().WithMessage("'bad.safetensors'*");
    }

    [Fact]
    public void LoadParameters_NameWithLoneSurrogateEscape_FailsAsNotUtf8()
    {
        byte[] header = Encoding.UTF8.GetBytes(Header.Replace("0.bias", "0.bias\\ud800"));

        var act = () => SafetensorsFile.LoadParameters(Net<float>(), File(header, 1, 2), "'bad.safetensors'");

        act.Should().Throw<InvalidDataException>().WithMessage("'bad.safetensors'*not valid UTF-8*");
    }
}
