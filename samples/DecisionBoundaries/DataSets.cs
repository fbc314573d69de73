using NeuralNets.Data;

namespace DecisionBoundariesSample;

/// <summary>The 2-D sets the sample can draw, from the library's <see cref="SyntheticData"/>.</summary>
internal static class DataSets
{
    public static readonly string[] Names = ["spirals", "circles", "xor", "blobs"];

    /// <summary>The named set, split 80/20 into training and test points.</summary>
    public static (Dataset<float> Train, Dataset<float> Test, string Title) Load(string name, int pointsPerClass, double noise, int seed)
    {
        var (data, title) = name switch
        {
            "spirals" => (SyntheticData.TwoSpirals<float>(pointsPerClass, noise, turns: 1.5, seed), "two spirals"),
            "circles" => (SyntheticData.ConcentricCircles<float>(pointsPerClass, noise, innerRadius: 0.5, seed), "concentric circles"),
            "xor" => (NoisyXor(pointsPerClass, noise, seed), "XOR"),
            "blobs" => (SyntheticData.GaussianBlobs<float>(pointsPerClass, classes: 4, standardDeviation: 0.4 + 4 * noise, radius: 2, seed), "four Gaussian blobs"),
            _ => throw new ArgumentException($"unknown data set '{name}'; choose one of {string.Join(", ", Names)}."),
        };
        var (train, test) = data.Split(validationFraction: 0.2, seed);
        return (train, test, title);
    }

    // The four XOR points of SyntheticData.Xor, each the centre of a cloud (spread 0.15 + noise), shifted to centre 0.
    private static Dataset<float> NoisyXor(int pointsPerClass, double noise, int seed)
    {
        var corners = SyntheticData.Xor<float>();
        var cornerXy = corners.Features.ToArray();
        var cornerLabels = corners.Targets.ToArray();
        var random = new Random(seed);
        int perCorner = Math.Max(1, pointsPerClass / 2);
        var features = new float[4 * perCorner][];
        var labels = new int[4 * perCorner];
        for (int i = 0; i < features.Length; i++)
        {
            int corner = i % 4;
            double spread = 0.15 + noise;
            features[i] = [(float)(cornerXy[2 * corner] - 0.5 + spread * Gaussian(random)), (float)(cornerXy[2 * corner + 1] - 0.5 + spread * Gaussian(random))];
            labels[i] = (int)cornerLabels[corner];
        }
        return Dataset<float>.FromLabels(features, labels, classCount: 2);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
