using System.CommandLine;
using System.Globalization;

namespace NeuralNets.Samples;

/// <summary>
/// The samples' options on System.CommandLine: each value is checked where it is parsed, so an error names the option
/// and the value, and <c>--help</c> lists every option with its default.
/// </summary>
internal static class SampleCommandLine
{
    /// <summary>An integer option that must be positive.</summary>
    public static Option<int> PositiveInteger(string name, string description, int defaultValue) =>
        WithDefault(Parsed<int>(name, description, "N", ParseInteger(name, value => value > 0, "a positive integer")), defaultValue);

    /// <summary>A positive integer option without a default (the sample chooses one when it is absent).</summary>
    public static Option<int?> OptionalPositiveInteger(string name, string description) =>
        Parsed<int?>(name, description, "N", text => ParseInteger(name, value => value > 0, "a positive integer")(text));

    /// <summary>Any integer, such as a seed.</summary>
    public static Option<int> Integer(string name, string description, int defaultValue) =>
        WithDefault(Parsed<int>(name, description, "N", ParseInteger(name, _ => true, "an integer")), defaultValue);

    /// <summary>A real option that must be positive and finite.</summary>
    public static Option<double> PositiveReal(string name, string description, double defaultValue, string helpName = "X") =>
        WithDefault(Parsed<double>(name, description, helpName, text =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value > 0 && double.IsFinite(value)
                ? (value, null)
                : (0, $"{name} must be a positive number, but was '{text}'.")), defaultValue);

    /// <summary>A text option, such as a path.</summary>
    public static Option<string> Text(string name, string description, string defaultValue, string helpName) =>
        new(name) { Description = description, DefaultValueFactory = _ => defaultValue, HelpName = helpName };

    /// <summary>A text option that must be one of <paramref name="choices"/> (offered as completions too).</summary>
    public static Option<string> Choice(string name, string description, string defaultValue, IReadOnlyCollection<string> choices, string helpName = "NAME")
    {
        var option = WithDefault(Parsed<string>(name, description, helpName, text => choices.Contains(text)
            ? (text, null)
            : ("", $"{name} must be one of {string.Join(", ", choices)}, but was '{text}'.")), defaultValue);
        option.CompletionSources.Add([.. choices]);
        return option;
    }

    /// <summary>
    /// Parses <paramref name="args"/> and runs the command's action: its exit code, 0 after <c>--help</c>, and 1 when the
    /// command line is wrong, with the errors (each naming the option and the value) on standard error and the help on
    /// standard output.
    /// </summary>
    public static int Run(RootCommand command, string[] args)
    {
        // The options parse invariantly (above); this makes the samples print numbers the same way in every culture.
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        return command.Parse(args).Invoke();
    }

    // Parsed here rather than by System.CommandLine's converter: invariant culture, and a message naming the option and the value.
    private static Option<T> Parsed<T>(string name, string description, string helpName, Func<string, (T Value, string? Error)> parse) =>
        new(name)
        {
            Description = description,
            HelpName = helpName,
            CustomParser = result =>
            {
                if (result.Tokens.Count == 0) return default!;
                var (value, error) = parse(result.Tokens[^1].Value);
                if (error is not null) result.AddError(error);
                return value;
            },
        };

    private static Func<string, (int Value, string? Error)> ParseInteger(string name, Func<int, bool> accept, string what) => text =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && accept(value)
            ? (value, null)
            : (0, $"{name} must be {what}, but was '{text}'.");

    private static Option<T> WithDefault<T>(Option<T> option, T defaultValue)
    {
        option.DefaultValueFactory = _ => defaultValue;
        return option;
    }
}
