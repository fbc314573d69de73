using System.Numerics.Tensors;

namespace Coursework;

/// <summary>Reference solution: L = −(1/N) Σₙ log softmax(z)[n, label], dL/dz = (p − onehot)/N.</summary>
public sealed partial class SoftmaxCrossEntropyLoss
{
    private double[] _gradient = [];
    private nint[] _shape = [];

    public double Forward(Tensor<double> output, Tensor<double> target)
    {
        _shape = output.Lengths.ToArray();
        int batch = (int)_shape[0], classes = (int)_shape[1];
        var z = new double[batch * classes];
        output.FlattenTo(z);
        var labels = new double[batch];
        target.FlattenTo(labels);
        _gradient = new double[z.Length];
        double loss = 0;
        for (int n = 0; n < batch; n++)
        {
            var row = z.AsSpan(n * classes, classes);
            double max = double.NegativeInfinity;
            foreach (double v in row) max = Math.Max(max, v);
            double sum = 0;
            foreach (double v in row) sum += Math.Exp(v - max);
            int label = (int)labels[n];
            loss -= row[label] - max - Math.Log(sum);
            for (int c = 0; c < classes; c++)
                _gradient[n * classes + c] = (Math.Exp(row[c] - max) / sum - (c == label ? 1 : 0)) / batch;
        }
        return loss / batch;
    }

    public Tensor<double> Backward() => Tensor.Create((double[])_gradient.Clone(), _shape);
}
