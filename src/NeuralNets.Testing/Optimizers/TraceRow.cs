using System.Globalization;
using System.Text;

namespace NeuralNets.Testing.Optimizers;

/// <summary>One row of an optimizer table: step t as the rule writes it, and where the optimizer under test put w.</summary>
/// <param name="T">The step, from 1.</param>
/// <param name="Rule">The rule's step: w before, the gradient, the state, w after by the formula.</param>
/// <param name="Actual">w after the optimizer under test took the step.</param>
public sealed record TraceRow(int T, RuleStep Rule, double[] Actual)
{
    // The generated member list, with the step written in the invariant culture.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append(CultureInfo.InvariantCulture, $"T = {T}, Rule = {Rule}, Actual = {Actual}");
        return true;
    }
}
