using System.Globalization;
using System.Numerics;
using NeuralNets.Tensors;

namespace NeuralNets.Data;

/// <summary>
/// Fashion-MNIST (Zalando): 28×28 greyscale images of clothing in 10 classes, 60 000 for training
/// and 10 000 for testing, read from the four gzipped IDX files the dataset ships as.
/// </summary>
/// <remarks>
/// On Debian and Ubuntu the package <c>dataset-fashion-mnist</c> installs the files in
/// <see cref="DefaultDirectory"/>. Any directory holding <c>train-images-idx3-ubyte.gz</c>,
/// <c>train-labels-idx1-ubyte.gz</c>, <c>t10k-images-idx3-ubyte.gz</c> and
/// <c>t10k-labels-idx1-ubyte.gz</c> (or the same names without <c>.gz</c>) will do.
/// </remarks>
public static class FashionMnist
{
    /// <summary>Where <c>apt-get install dataset-fashion-mnist</c> puts the files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>Number of classes.</summary>
    public const int ClassCount = 10;

    /// <summary>Side of the square images, in pixels.</summary>
    public const int ImageSize = 28;

    private const string InstallHint = "Install it with `apt-get install -y dataset-fashion-mnist` (files go to " + DefaultDirectory + ") or pass the directory that holds the four IDX files.";

    /// <summary>The class names, by label: 0 is "T-shirt/top", 9 is "Ankle boot".</summary>
    public static IReadOnlyList<string> ClassNames { get; } = Array.AsReadOnly(
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]);

    /// <summary>Loads the training or the test set with pixels scaled to [0, 1].</summary>
    /// <param name="directory">The directory holding the IDX files, e.g. <see cref="DefaultDirectory"/>.</param>
    /// <param name="train">True for the 60 000 training images, false for the 10 000 test images.</param>
    /// <param name="flatten">True for features <c>[N, 784]</c> (for an MLP); false for <c>[N, 1, 28, 28]</c> (for a CNN).</param>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">A file is malformed or the images are not 28×28.</exception>
    public static Dataset<T> Load<T>(string directory, bool train, bool flatten = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"Fashion-MNIST directory '{directory}' does not exist. {InstallHint}");
        string prefix = train ? "train" : "t10k";
        string images = Locate(directory, $"{prefix}-images-idx3-ubyte");
        string labels = Locate(directory, $"{prefix}-labels-idx1-ubyte");
        // The images' own height and width, not the samples' shape: flattened, 14×56 images would pass as 784 values.
        return MnistFormat.Load<T>(images, labels, ClassCount, flatten, (height, width) =>
        {
            if (height != ImageSize || width != ImageSize)
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"{images}: Fashion-MNIST images are {ImageSize}×{ImageSize} but this file's are {height}×{width} (samples of shape {TensorMemory.ShapeText(new[] { 1, height, width })})."));
        });
    }

    private static string Locate(string directory, string name)
    {
        string gzipped = Path.Combine(directory, name + ".gz");
        if (File.Exists(gzipped)) return gzipped;
        string raw = Path.Combine(directory, name);
        if (File.Exists(raw)) return raw;
        throw new FileNotFoundException($"Fashion-MNIST file '{gzipped}' is missing (nor is there an uncompressed '{raw}'). {InstallHint}", gzipped);
    }
}
