namespace NeuralNets.Testing.Optimizers;

/// <summary>A rule under way: its state, advanced one step at a time.</summary>
public interface IRuleRun
{
    /// <summary>Takes one step from <paramref name="w"/>, asking <paramref name="gradient"/> for ∇J where the rule needs it.</summary>
    RuleStep Step(double[] w, Func<double[], double[]> gradient);
}
