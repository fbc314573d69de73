namespace NeuralNets.Testing.Optimizers;

/// <summary>A rule under way: its state, advanced one step at a time.</summary>
public interface IRuleRun
{
    /// <summary>
    /// The step size η the next step uses; the harness changes it partway, as a schedule would. A rule written before
    /// this member existed keeps compiling and working: the default throws <see cref="NotSupportedException"/>, and the
    /// harness then leaves η as it is for that rule.
    /// </summary>
    double LearningRate
    {
        get => throw new NotSupportedException("This rule does not expose its learning rate.");
        set => throw new NotSupportedException("This rule does not expose its learning rate.");
    }

    /// <summary>Takes one step from <paramref name="w"/>, asking <paramref name="gradient"/> for ∇J where the rule needs it.</summary>
    RuleStep Step(double[] w, Func<double[], double[]> gradient);
}
