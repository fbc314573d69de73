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
    private delegate IEnumerable<RuleResult> RuleCheck(ILayer<double> layer, int[] sample, LayerContractOptions options);

    private static RuleCheck One(Func<ILayer<double>, int[], LayerContractOptions, RuleResult> rule) => (layer, sample, options) => [rule(layer, sample, options)];

    // Every check in the order run, with the rules it judges (Backward's three share one pass) and the earlier rules its
    // check relies on: what Forward does to its input and to a repeated input comes first, so the first failure in a
    // report is the one to fix, and a later rule that fails because of it is marked blocked (see Blame).
    private static readonly (string[] Names, RuleCheck Run, string[] Needs)[] Steps =
    [
        ([ForwardRules.LeavesInput], One(ForwardRules.LeavesItsInput), []),
        ([ForwardRules.Deterministic], One(ForwardRules.InferenceIsDeterministic), [ForwardRules.LeavesInput]),
        ([ShapeRules.Agrees], One(ShapeRules.OutputShapeAgrees), []),
        ([ShapeRules.RejectsBadShapes], One(ShapeRules.BadShapesRejected), []),
        ([ForwardRules.SampleAlone], One(ForwardRules.SampleAloneEqualsRow), [ForwardRules.LeavesInput, ForwardRules.Deterministic]),
        ([ModeRule.Name], One(ModeRule.Check), [ForwardRules.LeavesInput, ForwardRules.Deterministic]),
        ([GradientRule.Name], One(GradientRule.Check), [ForwardRules.LeavesInput, ForwardRules.Deterministic]),
        ([BackwardRules.Adds, BackwardRules.LeavesArgument, BackwardRules.ReturnsInputShape], BackwardRules.Check, []),
        ([SaveLoadRule.Name], One(SaveLoadRule.Check), [ForwardRules.LeavesInput, ForwardRules.Deterministic]),
    ];

    /// <summary>The name of every rule, in the order <see cref="Check"/> runs and reports them.</summary>
    public static IReadOnlyList<string> Rules { get; } = [.. Steps.SelectMany(step => step.Names)];

    /// <summary>Checks every rule on <paramref name="layer"/> with samples of <paramref name="sampleShape"/>.</summary>
    /// <param name="layer">The layer, in double (as gradient checks need).</param>
    /// <param name="sampleShape">The shape of one sample, without the batch: <c>[inputs]</c> for a dense layer, <c>[C, H, W]</c> for a convolution.</param>
    /// <param name="options">Seed, tolerance and what the layer says of its training mode; null for the defaults.</param>
    /// <returns>
    /// Each rule's outcome; a rule that throws is reported as failed with the exception's type, message and the line of
    /// the layer's code it came from, and a rule that fails because an earlier one failed is reported as blocked by it.
    /// </returns>
    public static LayerContractReport Check(ILayer<double> layer, IReadOnlyList<int> sampleShape, LayerContractOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(sampleShape);
        if (sampleShape.Count == 0 || sampleShape.Any(d => d <= 0))
            throw new ArgumentException($"The sample shape {ContractTensors.ShapeText(sampleShape)} needs at least one axis, every length positive.", nameof(sampleShape));
        options ??= new LayerContractOptions();
        int[] sample = [.. sampleShape];
        string name = Printed(layer);

        var blame = new Blame();
        foreach (var (names, run, needs) in Steps) blame.Judge(names, needs, () => run(layer, sample, options));
        return new LayerContractReport(name, sample, blame.Results);
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
