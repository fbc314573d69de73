using System.Globalization;
using System.Numerics;
using NeuralNets.Kernels;
using NeuralNets.Tensors;

namespace NeuralNets.Data;

/// <summary>The small two-dimensional sets a teacher draws on the board, generated from a seed.</summary>
public static class SyntheticData
{
    /// <summary>The four XOR points (0,0)→0, (0,1)→1, (1,0)→1, (1,1)→0, as a two-class set.</summary>
    public static Dataset<T> Xor<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] features = [T.Zero, T.Zero, T.Zero, T.One, T.One, T.Zero, T.One, T.One];
        return Dataset<T>.FromOwnedFeatures(features, [4, 2], [0, 1, 1, 0], classCount: 2);
    }

    /// <summary>Two interleaved spirals (classes 0 and 1) in roughly [−1, 1]².</summary>
    /// <param name="pointsPerClass">Points on each spiral.</param>
    /// <param name="noise">Standard deviation of Gaussian noise added to each coordinate.</param>
    /// <param name="turns">How many turns each spiral makes.</param>
    /// <param name="seed">The seed.</param>
    public static Dataset<T> TwoSpirals<T>(int pointsPerClass, double noise = 0.05, double turns = 1.5, int seed = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentRange.ThrowIfNegativeOrZero(pointsPerClass);
        ArgumentRange.ThrowIfNegative(noise);
        ArgumentRange.ThrowIfNegativeOrZero(turns);
        var random = new Random(seed);
        var features = new T[pointsPerClass * 2 * 2];
        var labels = new int[pointsPerClass * 2];
        for (int i = 0; i < pointsPerClass; i++)
        {
            double t = (double)(i + 1) / pointsPerClass;         // 0 → 1 along the arm
            double halfTurns = 2 * t * turns;                    // the angle in units of π
            for (int c = 0; c < 2; c++)
            {
                int n = 2 * i + c;
                double phase = c;                                 // the second arm is the first rotated by π
                features[2 * n] = T.CreateChecked(t * CosinePi.Of(halfTurns + phase) + Noise(random, noise));
                features[2 * n + 1] = T.CreateChecked(t * CosinePi.SineOf(halfTurns + phase) + Noise(random, noise));
                labels[n] = c;
            }
        }
        return Dataset<T>.FromOwnedFeatures(features, [labels.Length, 2], labels, classCount: 2);
    }

    /// <summary>Gaussian blobs: <paramref name="classes"/> clusters with centres evenly spaced on a circle of radius <paramref name="radius"/>.</summary>
    public static Dataset<T> GaussianBlobs<T>(int pointsPerClass, int classes = 3, double standardDeviation = 0.3, double radius = 2.0, int seed = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentRange.ThrowIfNegativeOrZero(pointsPerClass);
        ArgumentRange.ThrowIfLessThan(classes, 2);
        ArgumentRange.ThrowIfNegative(standardDeviation);
        var random = new Random(seed);
        var features = new T[pointsPerClass * classes * 2];
        var labels = new int[pointsPerClass * classes];
        for (int i = 0; i < pointsPerClass; i++)
            for (int c = 0; c < classes; c++)
            {
                int n = i * classes + c;
                double angle = 2.0 * c / classes;                 // in units of π
                features[2 * n] = T.CreateChecked(radius * CosinePi.Of(angle) + Noise(random, standardDeviation));
                features[2 * n + 1] = T.CreateChecked(radius * CosinePi.SineOf(angle) + Noise(random, standardDeviation));
                labels[n] = c;
            }
        return Dataset<T>.FromOwnedFeatures(features, [labels.Length, 2], labels, classes);
    }

    /// <summary>Two concentric circles: class 0 on the outer (radius 1), class 1 on the inner (radius <paramref name="innerRadius"/>).</summary>
    public static Dataset<T> ConcentricCircles<T>(int pointsPerClass, double noise = 0.05, double innerRadius = 0.5, int seed = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentRange.ThrowIfNegativeOrZero(pointsPerClass);
        ArgumentRange.ThrowIfNegative(noise);
        if (!(innerRadius > 0 && innerRadius < 1)) throw new ArgumentOutOfRangeException(nameof(innerRadius), string.Create(CultureInfo.InvariantCulture, $"The inner radius must lie strictly between 0 and 1, but was {innerRadius}."));
        var random = new Random(seed);
        var features = new T[pointsPerClass * 2 * 2];
        var labels = new int[pointsPerClass * 2];
        for (int i = 0; i < pointsPerClass; i++)
            for (int c = 0; c < 2; c++)
            {
                int n = 2 * i + c;
                double angle = random.NextDouble() * 2;            // in units of π
                double r = c == 0 ? 1.0 : innerRadius;
                features[2 * n] = T.CreateChecked(r * CosinePi.Of(angle) + Noise(random, noise));
                features[2 * n + 1] = T.CreateChecked(r * CosinePi.SineOf(angle) + Noise(random, noise));
                labels[n] = c;
            }
        return Dataset<T>.FromOwnedFeatures(features, [labels.Length, 2], labels, classCount: 2);
    }

    private static double Noise(Random random, double standardDeviation) =>
        standardDeviation == 0 ? 0 : standardDeviation * StandardNormal.Draw(random);
}
