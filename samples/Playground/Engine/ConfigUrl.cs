using System.Globalization;
using System.Text;

namespace Playground.Engine;

/// <summary>
/// The configuration as a URL query (<c>data=spiral&amp;layers=8,8&amp;opt=nesterov&amp;lr=0.03…</c>), so that a
/// teacher can link one exact run. Decoding forgives: a missing, unknown or out-of-range value takes
/// the default (or the nearest allowed value), because a hand-edited link should still open a page.
/// </summary>
public static class ConfigUrl
{
    /// <summary>Largest number of hidden layers and of neurons per layer the page offers.</summary>
    public const int MaxLayers = 6, MaxNeurons = 8;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The query string (without the leading '?') that <see cref="Decode"/> turns back into <paramref name="config"/>.</summary>
    public static string Encode(PlaygroundConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var text = new StringBuilder();
        void Add(string key, string value) => text.Append(text.Length == 0 ? "" : "&").Append(key).Append('=').Append(value);
        Add("data", Name(config.Data));
        Add("points", Number(config.Points));
        Add("noise", Number(config.Noise));
        Add("train", Number(config.TrainPercent));
        Add("batch", Number(config.BatchSize));
        Add("features", FeatureNames.Format(config.Features));
        Add("layers", string.Join(",", config.HiddenLayers.Select(Number)));
        Add("act", Name(config.Activation));
        Add("opt", Name(config.Optimizer));
        Add("lr", Number(config.LearningRate));
        Add("gamma", Number(config.Momentum));
        Add("b1", Number(config.Beta1));
        Add("b2", Number(config.Beta2));
        Add("eps", Number(config.Epsilon));
        Add("l2", Number(config.WeightDecay));
        Add("sched", Name(config.Schedule));
        Add("sepochs", Number(config.ScheduleEpochs));
        Add("sgamma", Number(config.ScheduleGamma));
        Add("seed", Number(config.Seed));
        return text.ToString();
    }

    /// <summary>The configuration in <paramref name="query"/> (with or without '?'); absent or invalid values take their defaults.</summary>
    public static PlaygroundConfig Decode(string? query)
    {
        var values = Parse(query);
        var d = new PlaygroundConfig();
        return new PlaygroundConfig
        {
            Data = Enum(values, "data", d.Data),
            Points = Integer(values, "points", d.Points, 20, 2000),
            Noise = Integer(values, "noise", d.Noise, 0, 50),
            TrainPercent = Integer(values, "train", d.TrainPercent, 10, 90),
            BatchSize = Integer(values, "batch", d.BatchSize, 1, 500),
            Features = values.TryGetValue("features", out var f) && FeatureNames.Parse(f) is var parsed && parsed != Features.None ? parsed : d.Features,
            HiddenLayers = values.TryGetValue("layers", out var l) ? Layers(l) : d.HiddenLayers,
            Activation = Enum(values, "act", d.Activation),
            Optimizer = Enum(values, "opt", d.Optimizer),
            LearningRate = Real(values, "lr", d.LearningRate, 1e-6, 10),
            Momentum = Real(values, "gamma", d.Momentum, 0, 0.999),
            Beta1 = Real(values, "b1", d.Beta1, 0, 0.999),
            Beta2 = Real(values, "b2", d.Beta2, 0, 0.9999),
            Epsilon = Real(values, "eps", d.Epsilon, 1e-12, 1),
            WeightDecay = Real(values, "l2", d.WeightDecay, 0, 1),
            Schedule = Enum(values, "sched", d.Schedule),
            ScheduleEpochs = Integer(values, "sepochs", d.ScheduleEpochs, 1, 100000),
            ScheduleGamma = Real(values, "sgamma", d.ScheduleGamma, 0.01, 1),
            Seed = Integer(values, "seed", d.Seed, 0, int.MaxValue),
        };
    }

    /// <summary>The lower-case name an enum value has in the URL.</summary>
    public static string Name<TEnum>(TEnum value) where TEnum : struct, Enum => value.ToString().ToLowerInvariant();

    private static string Number(int value) => value.ToString(Invariant);

    private static string Number(double value) => value.ToString("R", Invariant);

    private static Dictionary<string, string> Parse(string? query)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in (query ?? "").TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0) values[Uri.UnescapeDataString(pair[..equals])] = Uri.UnescapeDataString(pair[(equals + 1)..]);
        }
        return values;
    }

    private static TEnum Enum<TEnum>(Dictionary<string, string> values, string key, TEnum fallback) where TEnum : struct, Enum =>
        values.TryGetValue(key, out var text) && System.Enum.TryParse<TEnum>(text, ignoreCase: true, out var value)
            && System.Enum.IsDefined(value) && !int.TryParse(text, out _) ? value : fallback;

    private static int Integer(Dictionary<string, string> values, string key, int fallback, int min, int max) =>
        values.TryGetValue(key, out var text) && int.TryParse(text, NumberStyles.Integer, Invariant, out int value)
            ? Math.Clamp(value, min, max) : fallback;

    private static double Real(Dictionary<string, string> values, string key, double fallback, double min, double max) =>
        values.TryGetValue(key, out var text) && double.TryParse(text, NumberStyles.Float, Invariant, out double value) && double.IsFinite(value)
            ? Math.Clamp(value, min, max) : fallback;

    // An empty list is allowed: no hidden layer is logistic (or linear) regression on the features.
    private static int[] Layers(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(n => int.TryParse(n, NumberStyles.Integer, Invariant, out int v) ? Math.Clamp(v, 1, MaxNeurons) : 4)
            .Take(MaxLayers).ToArray();
}
