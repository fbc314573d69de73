namespace NeuralNets.Testing.Optimizers;

/// <summary>One step of a rule written out: the point it started from, the gradient it used, its state after the step and where it moves w.</summary>
/// <param name="W">w before the step.</param>
/// <param name="G">The gradient the rule used (at the look-ahead point for Nesterov).</param>
/// <param name="State">Each state symbol's values after the step, in the order of <see cref="ReferenceRule.StateSymbols"/>.</param>
/// <param name="Next">w after the step, by the formula.</param>
public sealed record RuleStep(double[] W, double[] G, double[][] State, double[] Next);
