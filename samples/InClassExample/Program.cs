// The in-class example of the lecture "Neural Networks 2": two inputs, one hidden layer of two
// sigmoid units, one linear output, squared error. Every forward value and every gradient is
// printed with the chain-rule formula that gives it, so that it can be checked by hand.
//
//   s_j = Σ_i w_{j,i} x_i      (x_0 = 1, so w_{j,0} is the bias)
//   h_j = σ(s_j) = 1 / (1 + e^(−s_j))
//   ŷ   = Σ_j w_{3,j} h_j      (h_0 = 1, so w_{3,0} is the bias)
//   L   = (ŷ − y)²             (PyTorch's MSELoss: the mean over the one output)
using System.CommandLine;
using System.Globalization;
using NeuralNets;
using NeuralNets.Layers;
using NeuralNets.Losses;
using NeuralNets.Optimizers;
using NeuralNets.Samples;
using Spectre.Console;

var learningRateOption = SampleCommandLine.PositiveReal("--learning-rate", "SGD step size η of the training that follows the worked example", 0.5, "η");
var stepsOption = SampleCommandLine.PositiveInteger("--steps", "SGD steps on the one example", 20);
var command = new RootCommand("The lecture's 2-2-1 sigmoid network: every forward value and gradient beside its chain-rule formula, then the loss falling under SGD.")
{
    learningRateOption, stepsOption,
};
command.SetAction(parsed => Explain(parsed.GetRequiredValue(learningRateOption), parsed.GetRequiredValue(stepsOption)));
return SampleCommandLine.Run(command, args);

static int Explain(double learningRate, int steps)
{
    double[] x = [0.5, -1.0];
    const double y = 1.0;
    // Weights into hidden unit 1 (w_{1,0}, w_{1,1}, w_{1,2}), hidden unit 2, and the output (w_{3,0}, w_{3,1}, w_{3,2}).
    double[] w1 = [0.1, 0.2, -0.3], w2 = [-0.1, 0.4, 0.5], w3 = [0.2, 0.6, -0.7];

    // Dense stores weight [outputs, inputs] and bias [outputs] separately, as PyTorch's nn.Linear does.
    var hidden = new Dense<double>(inputs: 2, outputs: 2, seed: 0);
    hidden.Weight.SetValue([w1[1], w1[2], w2[1], w2[2]]);
    hidden.Bias!.SetValue([w1[0], w2[0]]);
    var sigmoid = new Sigmoid<double>();
    var output = new Dense<double>(inputs: 2, outputs: 1, seed: 0);
    output.Weight.SetValue([w3[1], w3[2]]);
    output.Bias!.SetValue([w3[0]]);
    var network = new Sequential<double>([2], hidden, sigmoid, output);
    var loss = new MeanSquaredError<double>();
    var input = Tensor(x, 1, 2);
    var target = Tensor([y], 1, 1);

    Console.WriteLine($"Network: {network}");
    Console.WriteLine($"x = ({x[0]}, {x[1]}), y = {y}");
    Console.WriteLine($"w_1 = ({Join(w1)}), w_2 = ({Join(w2)}), w_3 = ({Join(w3)})   [w_(j,0) is the bias]");

    // Forward, one layer at a time so that s and h can be shown (Sequential.Forward runs the same three calls).
    var sTensor = hidden.Forward(input, training: true);
    var hTensor = sigmoid.Forward(sTensor, training: true);
    var yHatTensor = output.Forward(hTensor, training: true);
    double[] s = Values(sTensor), h = Values(hTensor);
    double yHat = Values(yHatTensor)[0];
    double l = loss.Forward(yHatTensor, target);

    Console.WriteLine();
    Console.WriteLine("Forward pass");
    double[][] w12 = [w1, w2];
    for (int j = 0; j < 2; j++)
    {
        var wj = w12[j];
        Console.WriteLine($"  s_{j + 1} = w_({j + 1},0) + w_({j + 1},1)·x_1 + w_({j + 1},2)·x_2 = {wj[0]} + {P(wj[1])}·{P(x[0])} + {P(wj[2])}·{P(x[1])} = {s[j]:F10}");
    }
    for (int j = 0; j < 2; j++)
        Console.WriteLine($"  h_{j + 1} = σ(s_{j + 1}) = 1/(1 + e^({-s[j]})) = {h[j]:F10}");
    Console.WriteLine($"  ŷ   = w_(3,0) + w_(3,1)·h_1 + w_(3,2)·h_2 = {w3[0]} + {P(w3[1])}·{P(h[0])} + {P(w3[2])}·{P(h[1])} = {yHat:F10}");
    Console.WriteLine($"  L   = (ŷ − y)² = ({yHat:F6} − {y})² = {l:F10}");

    // Backward, in reverse: each layer adds its parameters' gradients and returns the gradient of its input.
    network.ZeroGradients();
    var dYHatTensor = loss.Backward();
    var dHTensor = output.Backward(dYHatTensor);
    var dSTensor = sigmoid.Backward(dHTensor);
    hidden.Backward(dSTensor);
    double[] dYHat = Values(dYHatTensor), dH = Values(dHTensor), dS = Values(dSTensor);
    double[] dW3 = [output.Bias!.GradientSpan[0], output.Weight.GradientSpan[0], output.Weight.GradientSpan[1]];
    double[][] dW12 =
    [
        [hidden.Bias!.GradientSpan[0], hidden.Weight.GradientSpan[0], hidden.Weight.GradientSpan[1]],
        [hidden.Bias!.GradientSpan[1], hidden.Weight.GradientSpan[2], hidden.Weight.GradientSpan[3]],
    ];

    Console.WriteLine();
    Console.WriteLine("Backward pass (chain rule)");
    Console.WriteLine($"  dL/dŷ       = 2(ŷ − y) = 2·({yHat:F6} − {y}) = {dYHat[0]:F10}");
    Console.WriteLine($"  dL/dw_(3,0) = dL/dŷ · 1 = {dW3[0]:F10}");
    for (int j = 0; j < 2; j++)
        Console.WriteLine($"  dL/dw_(3,{j + 1}) = dL/dŷ · h_{j + 1} = {P(dYHat[0])} · {P(h[j])} = {dW3[j + 1]:F10}");
    for (int j = 0; j < 2; j++)
        Console.WriteLine($"  dL/dh_{j + 1}     = dL/dŷ · w_(3,{j + 1}) = {P(dYHat[0])} · {P(w3[j + 1])} = {dH[j]:F10}");
    for (int j = 0; j < 2; j++)
        Console.WriteLine($"  dL/ds_{j + 1}     = dL/dh_{j + 1} · h_{j + 1}(1 − h_{j + 1}) = {P(dH[j])} · {P(h[j])}·{P(1 - h[j])} = {dS[j]:F10}");
    double[] x0 = [1.0, x[0], x[1]];
    for (int j = 0; j < 2; j++)
        for (int i = 0; i < 3; i++)
            Console.WriteLine($"  dL/dw_({j + 1},{i}) = dL/ds_{j + 1} · x_{i} = {P(dS[j])} · {P(x0[i])} = {dW12[j][i]:F10}");

    // Training: repeat forward, backward and the SGD update w ← w − η·dL/dw on the same example.
    var sgd = new Sgd<double>(network.Parameters, learningRate);
    double before = w3[1];
    Console.WriteLine();
    Console.WriteLine($"Training with SGD, η = {learningRate}: w ← w − η·dL/dw");
    var log = new Table().AddColumn("step", c => c.RightAligned()).AddColumn("L before the step", c => c.RightAligned())
        .AddColumn("ŷ after", c => c.RightAligned()).AddColumn("w_(3,1) after", c => c.RightAligned());
    for (int step = 1; step <= steps; step++)
    {
        double stepLoss = sgd.Step(() =>
        {
            network.ZeroGradients();
            double value = loss.Forward(network.Forward(input, training: true), target);
            network.Backward(loss.Backward());
            return value;
        });
        if (step == 1)
            Console.WriteLine($"  after step 1: w_(3,1) = {before} − {learningRate}·{P(dW3[1])} = {output.Weight.ValueSpan[0]:F10}");
        if (step <= 5 || step % 5 == 0 || step == steps)
            log.AddRow($"{step}", $"{stepLoss:F10}", $"{network.Predict(x)[0]:F6}", $"{output.Weight.ValueSpan[0]:F6}");
    }
    SampleConsole.Show(log);
    double final = loss.Forward(network.Forward(input, training: false), target);
    Console.WriteLine($"final: ŷ = {network.Predict(x)[0]:F6}, L = {final:F10}");
    return 0;
}

static System.Numerics.Tensors.Tensor<double> Tensor(double[] values, params int[] shape) =>
    System.Numerics.Tensors.Tensor.Create(values, [.. shape.Select(d => (nint)d)]);

static double[] Values(System.Numerics.Tensors.Tensor<double> tensor)
{
    var values = new double[tensor.FlattenedLength];
    tensor.FlattenTo(values);
    return values;
}

static string Join(double[] values) => string.Join(", ", values);

// A factor in a printed product: six decimals at most, negative ones in parentheses.
static string P(double value)
{
    string text = Math.Round(value, 6).ToString(CultureInfo.InvariantCulture);
    return value < 0 ? $"({text})" : text;
}
