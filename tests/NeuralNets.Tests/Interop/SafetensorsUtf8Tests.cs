using System.Text;
using NeuralNets.Interop;
using static NeuralNets.Tests.Interop.OneDenseSafetensors;

namespace NeuralNets.Tests.Interop;

/// <summary>Damage the header's JSON parser lets through: text that is not UTF-8 is reported as a damaged file, naming it.</summary>
public class SafetensorsUtf8Tests
{
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
