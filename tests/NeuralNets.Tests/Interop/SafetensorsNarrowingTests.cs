using System.Text;
using NeuralNets.Interop;
using static NeuralNets.Tests.Interop.OneDenseSafetensors;

namespace NeuralNets.Tests.Interop;

/// <summary>F64 values narrowed to float: a finite value that float cannot hold is refused, naming the tensor, rather than loaded as infinity.</summary>
public class SafetensorsNarrowingTests
{
    [Fact]
    public void LoadParameters_F64BeyondFloatRange_FailsNamingTheTensorAndLeavesTheNetworkAlone()
    {
        var network = Net<float>();
        float before = network.Parameters[0].ValueSpan[0];

        var act = () => SafetensorsFile.LoadParameters(network, File(Encoding.UTF8.GetBytes(Header), 1, 1e300), "'big.safetensors'");

        act.Should().Throw<InvalidDataException>().WithMessage("'big.safetensors': tensor '0.bias'*1E+300*Single*");
        network.Parameters[0].ValueSpan[0].Should().Be(before);
    }

    [Theory]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NaN)]
    [InlineData(-3.4e38)]
    public void LoadParameters_F64ThatFloatHolds_OrAlreadyNotFinite_LoadsAsConverted(double value)
    {
        // Infinity and NaN in the file are the file's values, passed on as PyTorch would; only a change of value is refused.
        var network = Net<float>();

        SafetensorsFile.LoadParameters(network, File(Encoding.UTF8.GetBytes(Header), value, 1e-320), "'f.safetensors'");

        network.Parameters[0].ValueSpan[0].Should().Be((float)value);
        network.Parameters[1].ValueSpan[0].Should().Be(0f, "1e-320 rounds to zero, as any narrowing rounds");
    }
}
