using MathNet.Numerics.Distributions;
using NeuralNets.Data;

namespace Playground.Engine;

/// <summary>
/// Points of the plane [−6, 6]² with a target each (class 0 or 1, or a value in [−1, 1] for the
/// regression surface), already split into training and test points. The four class sets come from
/// the library's <see cref="SyntheticData"/> where it has them (spirals, circles, blobs), scaled to the plane.
/// </summary>
public sealed class PlaneData
{
    /// <summary>Half the side of the square the page draws: the plane is [−Extent, Extent]².</summary>
    public const float Extent = 6f;

    private PlaneData(float[] x1, float[] x2, float[] target, int trainCount)
    {
        (X1, X2, Target, TrainCount) = (x1, x2, target, trainCount);
    }

    /// <summary>First coordinate of every point; the first <see cref="TrainCount"/> are the training points.</summary>
    public float[] X1 { get; }

    /// <summary>Second coordinate of every point.</summary>
    public float[] X2 { get; }

    /// <summary>Class (0 or 1) or regression value of every point.</summary>
    public float[] Target { get; }

    /// <summary>How many of the points (the first ones) are for training; the rest are the test points.</summary>
    public int TrainCount { get; }

    /// <summary>All points.</summary>
    public int Count => X1.Length;

    /// <summary>The points <paramref name="config"/> asks for, shuffled from its seed and split by its ratio.</summary>
    public static PlaneData Generate(PlaygroundConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        int perClass = Math.Max(2, config.Points / 2);
        double noise = config.Noise / 100.0;
        var (x1, x2, target) = config.Data switch
        {
            // The library's spirals and circles fill [−1, 1]²; its noise is in those units.
            DataKind.Spiral => Scaled(SyntheticData.TwoSpirals<float>(perClass, noise * 0.3, turns: 1.5, config.Seed), 5f),
            DataKind.Circle => Scaled(SyntheticData.ConcentricCircles<float>(perClass, noise * 0.3, innerRadius: 0.5, config.Seed), 5f),
            DataKind.Gauss => Scaled(SyntheticData.GaussianBlobs<float>(perClass, classes: 2, standardDeviation: 0.25 + noise, radius: 2, config.Seed), 1.5f),
            DataKind.Xor => Xor(2 * perClass, noise, config.Seed),
            DataKind.Regression => Surface(2 * perClass, noise, config.Seed),
            _ => throw new ArgumentOutOfRangeException(nameof(config), config.Data, "Unknown data set."),
        };
        Shuffle(x1, x2, target, config.Seed);
        int trainCount = Math.Clamp((int)Math.Round(x1.Length * config.TrainPercent / 100.0), 1, x1.Length - 1);
        return new PlaneData(x1, x2, target, trainCount);
    }

    /// <summary>The regression surface's noise-free value at (x₁, x₂): a bump up and a bump down, in [−1, 1].</summary>
    public static float Surface(float x1, float x2) =>
        MathF.Exp(-((x1 - 2) * (x1 - 2) + (x2 - 2) * (x2 - 2)) / 8) - MathF.Exp(-((x1 + 2) * (x1 + 2) + (x2 + 2) * (x2 + 2)) / 8);

    private static (float[], float[], float[]) Scaled(Dataset<float> set, float scale)
    {
        var features = new float[set.Count * 2];
        set.Features.FlattenTo(features);
        var labels = new float[set.Count];
        set.Targets.FlattenTo(labels);
        var (x1, x2) = (new float[set.Count], new float[set.Count]);
        for (int i = 0; i < set.Count; i++)
            (x1[i], x2[i]) = (Math.Clamp(features[2 * i] * scale, -Extent, Extent), Math.Clamp(features[2 * i + 1] * scale, -Extent, Extent));
        return (x1, x2, labels);
    }

    // As the original: uniform points away from the axes, the class is the sign of x₁x₂, and the noise moves the point after labelling.
    private static (float[], float[], float[]) Xor(int count, double noise, int seed)
    {
        var random = new Random(seed);
        var (x1, x2, target) = (new float[count], new float[count], new float[count]);
        for (int i = 0; i < count; i++)
        {
            double a = Away(random), b = Away(random);
            target[i] = a * b >= 0 ? 1 : 0;
            x1[i] = (float)Math.Clamp(a + Gaussian(random, noise * 2), -Extent, Extent);
            x2[i] = (float)Math.Clamp(b + Gaussian(random, noise * 2), -Extent, Extent);
        }
        return (x1, x2, target);
    }

    private static double Gaussian(Random random, double standardDeviation) =>
        standardDeviation == 0 ? 0 : Normal.Sample(random, 0, standardDeviation);

    private static double Away(Random random)
    {
        double v = random.NextDouble() * 4.7 + 0.3;
        return random.Next(2) == 0 ? -v : v;
    }

    private static (float[], float[], float[]) Surface(int count, double noise, int seed)
    {
        var random = new Random(seed);
        var (x1, x2, target) = (new float[count], new float[count], new float[count]);
        for (int i = 0; i < count; i++)
        {
            x1[i] = (float)(random.NextDouble() * 2 - 1) * (Extent - 1);
            x2[i] = (float)(random.NextDouble() * 2 - 1) * (Extent - 1);
            target[i] = Math.Clamp(Surface(x1[i], x2[i]) + (float)Gaussian(random, noise), -1f, 1f);
        }
        return (x1, x2, target);
    }

    private static void Shuffle(float[] x1, float[] x2, float[] target, int seed)
    {
        var random = new Random(unchecked(seed * 31 + 7));
        for (int i = x1.Length - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (x1[i], x1[j]) = (x1[j], x1[i]);
            (x2[i], x2[j]) = (x2[j], x2[i]);
            (target[i], target[j]) = (target[j], target[i]);
        }
    }
}
