namespace Playground.Engine;

/// <summary>The features in the order the page lists them, with the names the URL and the page use.</summary>
public static class FeatureNames
{
    /// <summary>Every feature, top to bottom as drawn.</summary>
    public static readonly IReadOnlyList<Features> All =
        [Features.X1, Features.X2, Features.X1Squared, Features.X2Squared, Features.X1X2, Features.SinX1, Features.SinX2];

    /// <summary>The feature's name in the URL.</summary>
    public static string Key(Features feature) => feature switch
    {
        Features.X1 => "x1",
        Features.X2 => "x2",
        Features.X1Squared => "x1sq",
        Features.X2Squared => "x2sq",
        Features.X1X2 => "x1x2",
        Features.SinX1 => "sinx1",
        Features.SinX2 => "sinx2",
        _ => throw new ArgumentOutOfRangeException(nameof(feature), feature, "Not a single feature."),
    };

    /// <summary>The feature as the page writes it.</summary>
    public static string Label(Features feature) => feature switch
    {
        Features.X1 => "x₁",
        Features.X2 => "x₂",
        Features.X1Squared => "x₁²",
        Features.X2Squared => "x₂²",
        Features.X1X2 => "x₁x₂",
        Features.SinX1 => "sin x₁",
        Features.SinX2 => "sin x₂",
        _ => throw new ArgumentOutOfRangeException(nameof(feature), feature, "Not a single feature."),
    };

    /// <summary>The chosen features, in drawing order.</summary>
    public static IReadOnlyList<Features> Chosen(Features features) => All.Where(f => features.HasFlag(f)).ToArray();

    /// <summary>The URL form: keys joined by commas.</summary>
    public static string Format(Features features) => string.Join(",", Chosen(features).Select(Key));

    /// <summary>The features named in <paramref name="text"/>; unknown names are ignored.</summary>
    public static Features Parse(string text)
    {
        var result = Features.None;
        foreach (var name in text.Split(',', StringSplitOptions.RemoveEmptyEntries))
            foreach (var feature in All)
                if (string.Equals(Key(feature), name.Trim(), StringComparison.OrdinalIgnoreCase)) result |= feature;
        return result;
    }

    /// <summary>The value of <paramref name="feature"/> at the point (x₁, x₂).</summary>
    public static float Value(Features feature, float x1, float x2) => feature switch
    {
        Features.X1 => x1,
        Features.X2 => x2,
        Features.X1Squared => x1 * x1,
        Features.X2Squared => x2 * x2,
        Features.X1X2 => x1 * x2,
        Features.SinX1 => MathF.Sin(x1),
        Features.SinX2 => MathF.Sin(x2),
        _ => throw new ArgumentOutOfRangeException(nameof(feature), feature, "Not a single feature."),
    };

    /// <summary>Writes the chosen features of each point as one row of <paramref name="rows"/> (points × features, row-major).</summary>
    public static void Map(IReadOnlyList<Features> chosen, ReadOnlySpan<float> x1, ReadOnlySpan<float> x2, Span<float> rows)
    {
        int width = chosen.Count;
        for (int i = 0; i < x1.Length; i++)
            for (int j = 0; j < width; j++)
                rows[i * width + j] = Value(chosen[j], x1[i], x2[i]);
    }
}
