using NeuralNets.Data;

namespace NeuralNets.Tests.Data;

/// <summary>Fashion-MNIST's images are 28×28: a file of other images is refused, flattened or not, even when it holds 784 pixels each.</summary>
public class FashionMnistImageSizeTests
{
    [Theory]
    [InlineData(14, 56, true)]
    [InlineData(14, 56, false)]
    [InlineData(1, 784, true)]
    [InlineData(784, 1, true)]
    public void Load_ImagesOfOtherDimensions_FailsNamingTheFileAndTheDimensions(int height, int width, bool flatten)
    {
        using var dir = new TempDirectory();
        string images = IdxFiles.Write(dir.File("t10k-images-idx3-ubyte"), IdxFiles.Bytes([3, height, width], new byte[3 * height * width]), gzip: false);
        IdxFiles.Write(dir.File("t10k-labels-idx1-ubyte"), IdxFiles.Bytes([3], [0, 1, 2]), gzip: false);

        var act = () => FashionMnist.Load<float>(dir.Path, train: false, flatten);

        act.Should().Throw<InvalidDataException>().WithMessage($"{images}: Fashion-MNIST images are 28×28 but this file's are {height}×{width}*");
    }
}
