using NeuralNets.Layers;

namespace NeuralNets.Tests;

/// <summary>Sizes past what one array holds fail with an argument error naming the layer and the size, never a bare overflow.</summary>
public class SizeOverflowTests
{
    [Fact]
    public void BuildDense_50000By50000_ThrowsNamingLayerAndWeightSize()
    {
        var act = () => Network.Sequential<float>(50000).Dense(50000).Build(seed: 1);
        act.Should().Throw<ArgumentException>().Where(e => e.GetType() != typeof(OverflowException))
            .WithMessage("Dense(50000 → 50000): its weight would hold 2500000000 values*");
    }

    [Fact]
    public void FlattenOutputShape_SampleOf65536By65536_ThrowsShapeMismatchNamingFlattenAndSize()
    {
        var act = () => new Flatten<float>().OutputShape([1, 65536, 65536]);
        act.Should().Throw<ShapeMismatchException>()
            .WithMessage("Flatten(): expected input of shape at most 2147483647 values per sample but got [1, 65536, 65536] (4294967296 values*");
    }

    [Fact]
    public void FlattenOutputShape_ProductPastALong_SaysMoreThan()
    {
        var act = () => new Flatten<double>().OutputShape([65536, 65536, 65536, 65536, 65536]);
        act.Should().Throw<ShapeMismatchException>().WithMessage("*(more than 9223372036854775807 values*");
    }

    [Fact]
    public void ParameterConstructor_TooManyValues_ThrowsNamingParameterAndShape()
    {
        var act = () => new Parameter<float>("conv.weight", 4096, 4096, 13, 13);
        act.Should().Throw<ArgumentException>().WithParameterName("shape")
            .WithMessage("Parameter 'conv.weight' of shape [4096, 4096, 13, 13] would hold 2835349504 values*");
    }

    [Fact]
    public void SequentialBuilder_InputShapeTooLarge_ThrowsNamingTheShape()
    {
        // [1, 65536, 65536] can never be a sample, so the builder says so before any layer (Flatten included) sees it.
        var act = () => Network.Sequential<float>(1, 65536, 65536).Flatten();
        act.Should().Throw<ArgumentException>().WithParameterName("inputShape").WithMessage("The input shape [1, 65536, 65536] holds 4294967296 values*");
    }
}
