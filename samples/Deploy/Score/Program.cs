// Deploy, part 2: scores the Fashion-MNIST test set with an exported model in ONNX Runtime, without NeuralNets.
// Usage: dotnet run -c Release -- [model.onnx] [fashion-mnist directory]
using System.Buffers.Binary;
using System.IO.Compression;
using Microsoft.ML.OnnxRuntime;

string path = args.Length > 0 ? args[0] : "fashion-mnist.onnx";
string directory = args.Length > 1 ? args[1] : "/usr/share/datasets/fashion-mnist";
byte[] images = Idx(Path.Combine(directory, "t10k-images-idx3-ubyte.gz"), headerLength: 16);
byte[] labels = Idx(Path.Combine(directory, "t10k-labels-idx1-ubyte.gz"), headerLength: 8);
const int Pixels = 28 * 28, Classes = 10, Batch = 500;

using var session = new InferenceSession(path);
int count = labels.Length, correct = 0;
var input = new float[Batch * Pixels];
var output = new float[Batch * Classes];
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
        if (predicted == labels[start + i]) correct++;
    }
}
Console.WriteLine($"ONNX Runtime test accuracy: {(double)correct / count:F4} ({correct} of {count})");

// An IDX file (gzip): a big-endian header, then one byte per pixel or label.
static byte[] Idx(string file, int headerLength)
{
    using var stream = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
    using var memory = new MemoryStream();
    stream.CopyTo(memory);
    var bytes = memory.ToArray();
    int items = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4));
    if (bytes.Length < headerLength || items < 0) throw new InvalidDataException($"{file} is not an IDX file.");
    return bytes[headerLength..];
}
