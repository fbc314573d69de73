using NeuralNets.Optimizers;

namespace NeuralNets.Tests.Optimizers;

/// <summary>An optimizer over no parameters would train nothing without a word: every one refuses an empty list, as PyTorch's do.</summary>
public class EmptyParameterListTests
{
    [Theory]
    [MemberData(nameof(OptimizerCatalog.All), MemberType = typeof(OptimizerCatalog))]
    public void Constructor_NoParameters_ThrowsNamingTheArgument(string name)
    {
        var act = () => OptimizerCatalog.Create<float>(name, Array.Empty<Parameter<float>>());

        act.Should().Throw<ArgumentException>().WithMessage("*no parameters*").Which.ParamName.Should().Be("parameters");
    }
}
