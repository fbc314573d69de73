namespace NeuralNets.Testing.Optimizers;

/// <summary>A rule under way: its state, advanced one step at a time.</summary>
public interface IRuleRun
{
    /// <summary>The step size η the next step uses; the harness changes it partway, as a schedule would.</summary>
    double LearningRate { get; set; }

    /// <summary>Takes one step from <paramref name="w"/>, asking <paramref name="gradient"/> for ∇J where the rule needs it.</summary>
    RuleStep Step(double[] w, Func<double[], double[]> gradient);
}
