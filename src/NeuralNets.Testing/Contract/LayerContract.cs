using NeuralNets.Layers;

namespace NeuralNets.Testing.Contract;

/// <summary>
/// Every rule a layer must keep, each checked on its own and reported by name with the values that show a break:
/// the rules of <see cref="ILayer{T}"/> that a gradient check alone does not see.
/// </summary>
/// <remarks>
/// The layer is used as a training loop would use it: its parameter gradients are overwritten, and the save-and-load
/// rule (run last) puts it in a <see cref="Sequential{T}"/>, which prefixes its parameters' names with <c>0.</c>.
/// </remarks>
public static class LayerContract
{
    private delegate RuleResult Rule(ILayer<double> layer, int[] sample, LayerContractOptions options);

    // The rules after the gradient check and Backward's pair, which share one forward pass.
    private static readonly (string Name, Rule Run)[] Single =
    [
        (ForwardRules.LeavesInput, ForwardRules.LeavesItsInput),
        (ForwardRules.SampleAlone, ForwardRules.SampleAloneEqualsRow),
        (ShapeRules.Agrees, ShapeRules.OutputShapeAgrees),
        (ShapeRules.RejectsBadShapes, ShapeRules.BadShapesRejected),
        (ForwardRules.Deterministic, ForwardRules.InferenceIsDeterministic),
        (ModeRule.Name, ModeRule.Check),
    ];

    /// <summary>The name of every rule, in the order <see cref="Check"/> runs them.</summary>
    public static IReadOnlyList<string> Rules { get; } =
    [
        GradientRule.Name, BackwardRules.LeavesArgument, BackwardRules.Adds, ForwardRules.LeavesInput, ForwardRules.SampleAlone,
        ShapeRules.Agrees, ShapeRules.RejectsBadShapes, ForwardRules.Deterministic, ModeRule.Name, SaveLoadRule.Name,
    ];

    /// <summary>Checks every rule on <paramref name="layer"/> with samples of <paramref name="sampleShape"/>.</summary>
    /// <param name="layer">The layer, in double (as gradient checks need).</param>
    /// <param name="sampleShape">The shape of one sample, without the batch: <c>[inputs]</c> for a dense layer, <c>[C, H, W]</c> for a convolution.</param>
    /// <param name="options">Seed, tolerance and what the layer says of its training mode; null for the defaults.</param>
    /// <returns>Each rule's outcome; a rule that throws is reported as failed with the exception's type, message and the line of the layer's code it came from.</returns>
    public static LayerContractReport Check(ILayer<double> layer, IReadOnlyList<int> sampleShape, LayerContractOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(sampleShape);
        if (sampleShape.Count == 0 || sampleShape.Any(d => d <= 0))
            throw new ArgumentException($"The sample shape {ContractTensors.ShapeText(sampleShape)} needs at least one axis, every length positive.", nameof(sampleShape));
        options ??= new LayerContractOptions();
        int[] sample = [.. sampleShape];
        string name = Printed(layer);

        var results = new List<RuleResult> { Run(GradientRule.Name, () => GradientRule.Check(layer, sample, options)) };
        try
        {
            results.AddRange(BackwardRules.Check(layer, sample, options).ToList());
        }
        catch (Exception e)
        {
            results.Add(Threw(BackwardRules.LeavesArgument, e));
            results.Add(Threw(BackwardRules.Adds, e));
        }
        foreach (var (rule, run) in Single) results.Add(Run(rule, () => run(layer, sample, options)));
        results.Add(Run(SaveLoadRule.Name, () => SaveLoadRule.Check(layer, sample, options)));
        return new LayerContractReport(name, sample, results);
    }

    /// <summary>
    /// A sample shape the layer takes, read from its description: <c>[inputs]</c> for a dense layer, <c>[inChannels, 6, 6]</c>
    /// for a convolution, and <c>[4]</c> otherwise (an activation takes any shape).
    /// </summary>
    /// <exception cref="ArgumentException">The layer does not take the shape found; pass one to <see cref="Check"/> instead.</exception>
    public static int[] SampleShapeFor(ILayer<double> layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var settings = layer.Describe().Settings;
        int[] shape = settings.TryGetValue("inputs", out double inputs) ? [(int)inputs]
            : settings.TryGetValue("inChannels", out double channels) ? [(int)channels, 6, 6]
            : [4];
        if (!ShapeRules.Accepts(layer, shape))
            throw new ArgumentException($"{Printed(layer)} does not take samples of shape {ContractTensors.ShapeText(shape)}, the shape its description suggests; pass the sample shape, e.g. SatisfyLayerContract([3, 8, 8]).", nameof(layer));
        return shape;
    }

    private static RuleResult Run(string rule, Func<RuleResult> check)
    {
        try
        {
            return check();
        }
        catch (Exception e)
        {
            return Threw(rule, e);
        }
    }

    // The student's own line that threw, not only the rule's name: where to look first.
    private static RuleResult Threw(string rule, Exception e) => new(rule, RuleStatus.Failed, "threw " + ThrownException.Describe(e));

    private static string Printed(ILayer<double> layer)
    {
        try
        {
            return layer.ToString() ?? layer.GetType().Name;
        }
        catch (Exception)
        {
            return layer.GetType().Name;
        }
    }
}
