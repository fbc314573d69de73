using NeuralNets.Data;
using NeuralNets.Tensors;

namespace NeuralNets.Tests.Data;

public class FashionMnistTests
{
    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Load_SmallFiles_ScalesPixelsAndShapes(bool flatten, bool gzip)
    {
        using var dir = new TempDirectory();
        IdxFiles.WriteImageSet(dir.Path, "t10k", count: 12, size: 28, classes: 10, gzip);

        var data = FashionMnist.Load<double>(dir.Path, train: false, flatten);

        data.Count.Should().Be(12);
        data.ClassCount.Should().Be(10);
        data.SampleShape.Should().Equal(flatten ? [784] : [1, 28, 28]);
        var pixels = data.Features.Span();
        // Sample 3, row 2, column 5 holds byte 3 + 2 + 5 = 10.
        pixels[3 * 784 + 2 * 28 + 5].Should().Be(10 / 255.0);
        pixels[0].Should().Be(0);
        data.Targets.Span()[11].Should().Be(1);
    }

    [Fact]
    public void Load_PixelBytes_ScaleToUnitInterval()
    {
        using var dir = new TempDirectory();
        var pixels = new byte[2 * 28 * 28];
        pixels[0] = 255;
        pixels[1] = 51;
        IdxFiles.Write(dir.File("train-images-idx3-ubyte"), IdxFiles.Bytes([2, 28, 28], pixels), gzip: true);
        IdxFiles.Write(dir.File("train-labels-idx1-ubyte"), IdxFiles.Bytes([2], [9, 0]), gzip: true);

        var data = FashionMnist.Load<float>(dir.Path, train: true, flatten: true);

        data.Features.Span()[0].Should().Be(1f);
        data.Features.Span()[1].Should().Be(0.2f);
        data.Targets.Span().ToArray().Should().Equal(9f, 0f);
    }

    [Fact]
    public void Load_MissingDirectory_ThrowsNamingPathAndPackage()
    {
        string path = Path.Combine(Path.GetTempPath(), "no-such-fashion-mnist-" + Guid.NewGuid().ToString("N"));
        var act = () => FashionMnist.Load<float>(path, train: true);
        act.Should().Throw<DirectoryNotFoundException>().WithMessage($"*'{path}'*apt-get install -y dataset-fashion-mnist*");
    }

    [Fact]
    public void Load_MissingLabelsFile_ThrowsNamingFileAndPackage()
    {
        using var dir = new TempDirectory();
        IdxFiles.WriteImageSet(dir.Path, "train", count: 2, size: 28, classes: 10, gzip: true);
        File.Delete(dir.File("train-labels-idx1-ubyte.gz"));

        var act = () => FashionMnist.Load<float>(dir.Path, train: true);

        act.Should().Throw<FileNotFoundException>().WithMessage("*train-labels-idx1-ubyte.gz*apt-get install -y dataset-fashion-mnist*");
    }

    [Fact]
    public void Load_WrongImageSize_Throws()
    {
        using var dir = new TempDirectory();
        IdxFiles.WriteImageSet(dir.Path, "t10k", count: 2, size: 27, classes: 10, gzip: true);
        var act = () => FashionMnist.Load<float>(dir.Path, train: false);
        act.Should().Throw<InvalidDataException>().WithMessage("*28×28*[1, 27, 27]*");
    }

    [Fact]
    public void Load_LabelCountDiffersFromImageCount_ThrowsNamingBoth()
    {
        using var dir = new TempDirectory();
        IdxFiles.WriteImageSet(dir.Path, "t10k", count: 5, size: 28, classes: 10, gzip: false);
        IdxFiles.Write(dir.File("t10k-labels-idx1-ubyte"), IdxFiles.Bytes([4], [0, 1, 2, 3]), gzip: false);

        var act = () => FashionMnist.Load<float>(dir.Path, train: false);

        act.Should().Throw<InvalidDataException>().WithMessage("*holds 4 labels*holds 5 images*");
    }

    [Fact]
    public void Load_LabelOutOfRange_ThrowsNamingLabelAndSample()
    {
        using var dir = new TempDirectory();
        IdxFiles.WriteImageSet(dir.Path, "t10k", count: 3, size: 28, classes: 10, gzip: true);
        IdxFiles.Write(dir.File("t10k-labels-idx1-ubyte"), IdxFiles.Bytes([3], [0, 10, 2]), gzip: true);

        var act = () => FashionMnist.Load<float>(dir.Path, train: false);

        act.Should().Throw<InvalidDataException>().WithMessage("*label 10 of sample 1*[0, 10)*");
    }

    [Fact]
    public void MnistFormat_ImagesOfRankTwo_ThrowsNamingShape()
    {
        using var dir = new TempDirectory();
        string images = IdxFiles.Write(dir.File("images"), IdxFiles.Bytes([2, 4], new byte[8]), gzip: false);
        string labels = IdxFiles.Write(dir.File("labels"), IdxFiles.Bytes([2], [0, 1]), gzip: false);

        var act = () => MnistFormat.Load<float>(images, labels, classCount: 2, flatten: true);

        act.Should().Throw<InvalidDataException>().WithMessage("*[N, height, width]*[2, 4]*");
    }

    [Fact]
    public void Load_GzippedImagesClaimingHugeShape_ThrowsNamingTheFileAllocatingLittle()
    {
        using var dir = new TempDirectory();
        IdxFiles.WriteImageSet(dir.Path, "t10k", count: 2, size: 28, classes: 10, gzip: true);
        // The header claims 2 738 000 images (2 GB of pixels); the file holds 2.
        string images = IdxFiles.Write(dir.File("t10k-images-idx3-ubyte"), IdxFiles.Bytes([2_738_000, 28, 28], new byte[2 * 28 * 28]), gzip: true);

        var (bytes, error) = Allocation.Measure(() => FashionMnist.Load<float>(dir.Path, train: false));

        error.Should().BeOfType<InvalidDataException>().Which.Message.Should().StartWith($"{images}: truncated:");
        bytes.Should().BeLessThan(Allocation.Bound(new FileInfo(images).Length));
    }

    [Fact]
    public void ClassNames_HaveOneNamePerClass()
    {
        FashionMnist.ClassNames.Should().HaveCount(FashionMnist.ClassCount).And.OnlyHaveUniqueItems();
        FashionMnist.ClassNames[0].Should().Be("T-shirt/top");
        FashionMnist.ClassNames[9].Should().Be("Ankle boot");
    }
}
