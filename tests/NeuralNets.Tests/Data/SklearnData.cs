namespace NeuralNets.Tests.Data;

/// <summary>
/// The CSV files of Debian's <c>python3-sklearn</c> package (iris, wine, breast cancer, digits), found through the
/// environment variable <c>NEURALNETS_SKLEARN_DATA</c> that <c>.ci/run</c> sets after extracting the package
/// (no Python needed). Tests that need them skip, saying so, where the variable is not set.
/// </summary>
internal static class SklearnData
{
    public const string Variable = "NEURALNETS_SKLEARN_DATA";

    /// <summary>The path of <paramref name="name"/> in the data folder; skips the test when the folder is not there.</summary>
    public static string File(string name)
    {
        string? folder = Environment.GetEnvironmentVariable(Variable);
        Assert.SkipWhen(string.IsNullOrEmpty(folder) || !Directory.Exists(folder),
            $"{Variable} is not set to scikit-learn's data folder (.ci/run sets it: apt-get download python3-sklearn, dpkg-deb -x, then .../sklearn/datasets/data).");
        string path = Path.Combine(folder!, name);
        Assert.SkipUnless(System.IO.File.Exists(path), $"{path} is missing from {Variable}'s folder.");
        return path;
    }

    /// <summary>The checked-in iris sample: 15 rows of iris.csv (5 per class) under its scikit-learn first line.</summary>
    public static string IrisSample => Path.Combine(AppContext.BaseDirectory, "Data", "Fixtures", "iris-sample.csv");
}
