using NeuralNets.Data;
using NeuralNets.Tensors;

namespace NeuralNets.Tests.Data;

public class OneHotTests
{
    [Fact]
    public void Encode_Classes_OneHotRows()
    {
        var encoded = OneHot.Encode<float>([2, 0, 1], 3);

        encoded.Shape().Should().Equal(3, 3);
        encoded.Span().ToArray().Should().Equal(0, 0, 1, 1, 0, 0, 0, 1, 0);
    }

    [Fact]
    public void Encode_ClassOutOfRange_NamesTheSample()
    {
        var act = () => OneHot.Encode<double>([0, 3], 3);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Sample 1 has class 3, outside [0, 3).*");
    }
}
