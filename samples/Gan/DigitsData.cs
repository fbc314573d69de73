using System.Globalization;
using NeuralNets.Data;
using NeuralNets.Tensors;

namespace NeuralNets.Samples.Gan;

/// <summary>
/// scikit-learn's 8×8 handwritten digits (1797 images, values 0–16) from <c>digits.csv.gz</c> of Debian's
/// <c>python3-sklearn</c> package, scaled to [−1, 1] to match a tanh generator.
/// </summary>
public static class DigitsData
{
    /// <summary>The environment variable that names scikit-learn's data folder (as the tests and CI use it).</summary>
    public const string Variable = "NEURALNETS_SKLEARN_DATA";

    /// <summary>Side of the square images.</summary>
    public const int ImageSize = 8;

    /// <summary>The path of <c>digits.csv.gz</c> in <paramref name="folder"/>, or in the folder <see cref="Variable"/> names.</summary>
    /// <exception cref="FileNotFoundException">No folder was given or the file is not there; the message says how to get it.</exception>
    public static string Locate(string? folder)
    {
        folder ??= Environment.GetEnvironmentVariable(Variable);
        const string hint = "Get it with `cd /tmp && apt-get download python3-sklearn && dpkg-deb -x python3-sklearn_*.deb /tmp/sk`, then pass " +
            "--data /tmp/sk/usr/lib/python3/dist-packages/sklearn/datasets/data (or set " + Variable + " to that folder).";
        if (string.IsNullOrEmpty(folder)) throw new FileNotFoundException($"No scikit-learn data folder was given. {hint}");
        string path = Path.Combine(folder, "digits.csv.gz");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} does not exist. {hint}", path);
    }

    /// <summary>All 1797 digits as <c>[N, 64]</c> in [−1, 1], with their labels 0–9.</summary>
    public static Dataset<float> Load(string path)
    {
        var table = CsvTable.Read(path, new CsvOptions { HasHeader = false, Label = ^1 });
        if (table.FeatureCount != ImageSize * ImageSize)
            throw new InvalidDataException($"{path}: digits have {ImageSize * ImageSize} pixels, but the file has {table.FeatureCount} columns before the label.");
        var pixels = new float[table.RowCount * table.FeatureCount];
        var labels = new int[table.RowCount];
        for (int row = 0; row < table.RowCount; row++)
        {
            for (int f = 0; f < table.FeatureCount; f++) pixels[row * table.FeatureCount + f] = (float)(table.Number(row, f) / 8 - 1);
            labels[row] = table.LabelKind == CsvLabelKind.Category
                ? int.Parse(table.LabelText(row), NumberStyles.Integer, CultureInfo.InvariantCulture)
                : (int)table.LabelValue(row);
        }
        return Dataset<float>.FromLabels(TensorMemory.Wrap(pixels, [table.RowCount, table.FeatureCount]), labels, classCount: 10);
    }
}
