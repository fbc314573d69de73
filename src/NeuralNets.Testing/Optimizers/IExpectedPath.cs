namespace NeuralNets.Testing.Optimizers;

/// <summary>What the optimizer under test must do, step by step: where w goes and what Step returns.</summary>
internal interface IExpectedPath
{
    /// <summary>Whether η can be changed partway (a teacher's own rule may not expose it: <see cref="IRuleRun.LearningRate"/>).</summary>
    bool ExposesLearningRate { get; }

    /// <summary>η of the next step.</summary>
    double LearningRate { get; set; }

    /// <summary>The next step as the rule writes it (its <see cref="RuleStep.Next"/> is the w expected after it) and the loss Step must return.</summary>
    /// <param name="w">Where the optimizer under test stands before the step.</param>
    (RuleStep Row, double Loss) Next(double[] w);
}
