using CsCheck;
using NeuralNets.Data;

namespace NeuralNets.Tests.Data;

/// <summary>Fashion-MNIST directories with a mutated images or labels file: loading succeeds or throws InvalidDataException, and allocates little.</summary>
public class MnistFormatFuzzTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FashionMnistLoad_MutatedFiles_SucceedsOrThrowsInvalidDataWithBoundedAllocation(bool gzip)
    {
        using var dir = new TempDirectory();
        IdxFiles.WriteImageSet(dir.Path, "t10k", count: 2, size: 28, classes: 10, gzip);
        string suffix = gzip ? ".gz" : "";
        string images = dir.File("t10k-images-idx3-ubyte" + suffix), labels = dir.File("t10k-labels-idx1-ubyte" + suffix);
        byte[] validImages = File.ReadAllBytes(images), validLabels = File.ReadAllBytes(labels);
        var rawImages = IdxFiles.Bytes([2, 28, 28], new byte[2 * 28 * 28]);
        var rawLabels = IdxFiles.Bytes([2], [3, 9]);
        var imageEdits = Gen.OneOf(Fuzz.Mutations(validImages), IdxReaderFuzzTests.HeaderChanges(rawImages).Select(b => gzip ? IdxFiles.Gzip(b) : b));
        var labelEdits = Gen.OneOf(Fuzz.Mutations(validLabels), IdxReaderFuzzTests.HeaderChanges(rawLabels).Select(b => gzip ? IdxFiles.Gzip(b) : b));

        Fuzz.Check(Gen.Select(Gen.Bool, imageEdits, labelEdits), cases: 100, change =>
        {
            var (editImages, newImages, newLabels) = change;
            File.WriteAllBytes(images, editImages ? newImages : validImages);
            File.WriteAllBytes(labels, editImages ? validLabels : newLabels);
            byte[] input = editImages ? newImages : newLabels;
            Fuzz.Contained(() => FashionMnist.Load<float>(dir.Path, train: false), input);
            Fuzz.Contained(() => MnistFormat.Load<double>(images, labels, classCount: 10, flatten: true), input);
        });
    }
}
