using System.Globalization;
using NeuralNets.Layers;

namespace NeuralNets.Testing.Contract;

/// <summary>OutputShape predicts what Forward returns, and a shape the layer cannot take is refused with a clear exception.</summary>
internal static class ShapeRules
{
    public const string Agrees = "OutputShape agrees with Forward";
    public const string RejectsBadShapes = "bad shapes are rejected";

    public static bool Accepts(ILayer<double> layer, int[] sample)
    {
        try
        {
            layer.OutputShape(sample);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    // A clear message says what came: the offending length appears in it as a number of its own.
    private static bool NamesLength(string message, int length) =>
        System.Text.RegularExpressions.Regex.IsMatch(message, string.Create(CultureInfo.InvariantCulture, $@"(?<![0-9.]){length}(?![0-9.])"));

    public static RuleResult OutputShapeAgrees(ILayer<double> layer, int[] sample, LayerContractOptions options)
    {
        IReadOnlyList<int> predicted = layer.OutputShape(sample);
        var output = layer.Forward(ContractTensors.Random(options.Seed + 600, ContractTensors.Batched(2, sample)), training: false);
        int[] actual = ContractTensors.Shape(output);
        int[] expected = ContractTensors.Batched(2, predicted);
        return actual.SequenceEqual(expected)
            ? new RuleResult(Agrees, RuleStatus.Passed, "")
            : new RuleResult(Agrees, RuleStatus.Failed,
                $"OutputShape({ContractTensors.ShapeText(sample)}) says {ContractTensors.ShapeText(predicted)} per sample, so a batch of 2 should give {ContractTensors.ShapeText(expected)}, but Forward returned {ContractTensors.ShapeText(actual)}");
    }

    public static RuleResult BadShapesRejected(ILayer<double> layer, int[] sample, LayerContractOptions options)
    {
        // Judged only where Forward takes the right shape: an exception there (not written yet, a slip) is no refusal of a
        // wrong one, and leaves this rule to whichever rule met it first.
        layer.Forward(ContractTensors.Random(options.Seed + 700, ContractTensors.Batched(2, sample)), training: false);
        // The last axis one longer: the mistake a caller most often makes (a feature too many, an image a pixel wider).
        int[] bad = [.. sample];
        bad[^1] += 1;
        if (Accepts(layer, bad))
        {
            // The layer says it takes this shape (an activation takes any): then Forward must take it too.
            var output = layer.Forward(ContractTensors.Random(options.Seed + 700, ContractTensors.Batched(2, bad)), training: false);
            int[] expected = ContractTensors.Batched(2, layer.OutputShape(bad));
            return ContractTensors.Shape(output).SequenceEqual(expected)
                ? new RuleResult(RejectsBadShapes, RuleStatus.Passed, $"takes samples of shape {ContractTensors.ShapeText(bad)} too, as its OutputShape says")
                : new RuleResult(RejectsBadShapes, RuleStatus.Failed,
                    $"OutputShape accepts samples of shape {ContractTensors.ShapeText(bad)}, but Forward returned {ContractTensors.ShapeText(ContractTensors.Shape(output))} instead of {ContractTensors.ShapeText(expected)}");
        }
        try
        {
            layer.Forward(ContractTensors.Random(options.Seed + 700, ContractTensors.Batched(2, bad)), training: false);
        }
        catch (ArgumentException e) when (e is ShapeMismatchException || NamesLength(e.Message, bad[^1]))
        {
            return new RuleResult(RejectsBadShapes, RuleStatus.Passed, $"input of shape {ContractTensors.ShapeText(ContractTensors.Batched(2, bad))}: \"{e.Message}\"");
        }
        catch (ArgumentException e)
        {
            return new RuleResult(RejectsBadShapes, RuleStatus.Failed,
                $"Forward on a batch of shape {ContractTensors.ShapeText(ContractTensors.Batched(2, bad))} threw {ThrownException.TypeAndPlace(e)} (\"{e.Message}\"), which does not say what shape came; check the shape first and name the expected and the actual shape");
        }
        catch (Exception e)
        {
            return new RuleResult(RejectsBadShapes, RuleStatus.Failed,
                $"Forward on a batch of shape {ContractTensors.ShapeText(ContractTensors.Batched(2, bad))} (OutputShape refuses it) threw {ThrownException.TypeAndPlace(e)} (\"{e.Message}\"); throw an ArgumentException (or NeuralNets' ShapeMismatchException) that names the expected and the actual shape");
        }
        return new RuleResult(RejectsBadShapes, RuleStatus.Failed,
            $"Forward accepted a batch of shape {ContractTensors.ShapeText(ContractTensors.Batched(2, bad))} although OutputShape refuses samples of shape {ContractTensors.ShapeText(bad)}; check the input's shape first and throw an ArgumentException that names both shapes");
    }
}
