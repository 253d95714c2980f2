using System.Text;
using BenchmarkDotNet.Attributes;
using Cordial.Bot.Delivery;

namespace Cordial.Benchmarks.Bot;

/// <summary>
/// Splitting a 10 KB answer made of prose and fenced code blocks (target: at most 20 µs for the 2000 split).
/// Run: dotnet run -c Release --project bench/Cordial.Benchmarks -- --filter *MessageSplitter* --job short
/// </summary>
[MemoryDiagnoser]
public class MessageSplitterBenchmarks
{
    private string _answer = "";
    private IReadOnlyList<string> _parts = [];

    [GlobalSetup]
    public void Setup()
    {
        _answer = BuildAnswer(10 * 1024);
        _parts = MessageSplitter.Split(_answer);
    }

    [Benchmark(Baseline = true)]
    public IReadOnlyList<string> Split10KbPlain() => MessageSplitter.Split(_answer, MessageSplitter.PlainLimit);

    [Benchmark]
    public IReadOnlyList<string> Split10KbEmbed() => MessageSplitter.Split(_answer, MessageSplitter.EmbedLimit);

    [Benchmark]
    public string Unsplit10Kb() => MessageSplitter.Unsplit(_parts);

    private static string BuildAnswer(int length)
    {
        var builder = new StringBuilder(length + 512);
        var section = 0;
        while (builder.Length < length)
        {
            section++;
            builder.Append("### Part ").Append(section).Append("\n\n")
                .Append("The function below processes the input in a single pass. It keeps a small buffer, ")
                .Append("checks every element, and returns early on errors. Why? Because it is faster.\n\n");
            if (section % 2 == 0)
            {
                builder.Append("```python\n");
                for (var i = 0; i < 24; i++)
                {
                    builder.Append("def handle_").Append(i).Append("(item):\n    return item * ").Append(i).Append('\n');
                }

                builder.Append("```\n\n");
            }
            else
            {
                for (var i = 0; i < 5; i++)
                {
                    builder.Append("- item ").Append(i).Append(": explained in a sentence or two, with enough words to wrap.\n");
                }

                builder.Append('\n');
            }
        }

        return builder.ToString(0, length);
    }
}
