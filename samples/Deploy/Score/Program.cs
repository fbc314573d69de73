// Deploy, part 2: scores the Fashion-MNIST test set with an exported model in ONNX Runtime, without NeuralNets.
// Usage: dotnet run -c Release -- [model.onnx] [fashion-mnist directory]
using System.Buffers.Binary;
using System.CommandLine;
using System.Globalization;
using System.IO.Compression;
using Microsoft.ML.OnnxRuntime;
using NeuralNets.Samples;
using Spectre.Console;

var modelArgument = new Argument<string>("model") { Description = "The ONNX file Deploy.Train wrote", DefaultValueFactory = _ => "fashion-mnist.onnx" };
var dataArgument = new Argument<string>("data") { Description = "Directory of the Fashion-MNIST files", DefaultValueFactory = _ => "/usr/share/datasets/fashion-mnist" };
var command = new RootCommand("Scores the Fashion-MNIST test set with an exported ONNX model in ONNX Runtime, without NeuralNets.")
{
    modelArgument, dataArgument,
};
command.SetAction(parsed => Score(parsed.GetRequiredValue(modelArgument), parsed.GetRequiredValue(dataArgument)));
return SampleCommandLine.Run(command, args);

static int Score(string path, string directory)
{
    const int Pixels = 28 * 28, Classes = 10, Batch = 500;
    byte[] images, labels;
    try
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} not found; Deploy.Train writes it.");
        images = Idx(Path.Combine(directory, "t10k-images-idx3-ubyte.gz"), headerLength: 16);
        labels = Idx(Path.Combine(directory, "t10k-labels-idx1-ubyte.gz"), headerLength: 8);
    }
    catch (IOException e)
    {
        Console.Error.WriteLine($"error: {e.Message}");
        return 1;
    }

    using var session = new InferenceSession(path);
    int count = labels.Length;
    var correct = new int[Classes];
    var support = new int[Classes];
    var input = new float[Batch * Pixels];
    var output = new float[Batch * Classes];
    void Run(Action<int> batchDone)
    {
        for (int start = 0; start < count; start += Batch)
        {
            int batch = Math.Min(Batch, count - start);
            // Pixels scaled to [0, 1], as the network was trained.
            for (int i = 0; i < batch * Pixels; i++) input[i] = images[start * Pixels + i] / 255f;
            using var inputValue = OrtValue.CreateTensorValueFromMemory(input, [Batch, 1, 28, 28]);
            using var outputValue = OrtValue.CreateTensorValueFromMemory(output, [Batch, Classes]);
            using var runOptions = new RunOptions();
            session.Run(runOptions, ["input"], [inputValue], ["output"], [outputValue]);
            for (int i = 0; i < batch; i++)
            {
                var scores = output.AsSpan(i * Classes, Classes);
                int predicted = 0;
                for (int c = 1; c < Classes; c++) if (scores[c] > scores[predicted]) predicted = c;
                int label = labels[start + i];
                support[label]++;
                if (predicted == label) correct[label]++;
            }
            batchDone(batch);
        }
    }
    // A bar on a terminal only: a redirected log gets the table and the line, not redrawn frames.
    if (AnsiConsole.Profile.Capabilities.Interactive)
        AnsiConsole.Progress().Start(context =>
        {
            var task = context.AddTask("scoring", maxValue: count);
            Run(batch => task.Increment(batch));
        });
    else
        Run(_ => { });

    var table = new Table { Title = new TableTitle("ONNX Runtime, per class") }
        .AddColumn("class", c => c.RightAligned()).AddColumn("correct", c => c.RightAligned())
        .AddColumn("of", c => c.RightAligned()).AddColumn("recall", c => c.RightAligned());
    for (int c = 0; c < Classes; c++)
        table.AddRow(Invariant($"{c}"), Invariant($"{correct[c]}"), Invariant($"{support[c]}"), Invariant($"{(double)correct[c] / Math.Max(1, support[c]):F4}"));
    SampleConsole.Show(table);
    int total = correct.Sum();
    SampleConsole.Line(Invariant($"ONNX Runtime test accuracy: {(double)total / count:F4} ({total} of {count})"));
    return 0;
}

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

// An IDX file (gzip): a big-endian header, then one byte per pixel or label.
static byte[] Idx(string file, int headerLength)
{
    using var stream = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
    using var memory = new MemoryStream();
    stream.CopyTo(memory);
    var bytes = memory.ToArray();
    if (bytes.Length < headerLength || BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4)) < 0) throw new InvalidDataException($"{file} is not an IDX file.");
    return bytes[headerLength..];
}
