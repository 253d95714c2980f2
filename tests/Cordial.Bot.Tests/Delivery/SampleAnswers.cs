using System.Text;

namespace Cordial.Bot.Tests.Delivery;

/// <summary>Deterministic long answers for tests and benchmarks-like checks.</summary>
internal static class SampleAnswers
{
    /// <summary>About <paramref name="length"/> characters of prose and fenced code (python, js, plain, tilde).</summary>
    public static string WithCodeBlocks(int length)
    {
        var builder = new StringBuilder();
        var section = 0;
        while (builder.Length < length)
        {
            section++;
            builder.Append("## Step ").Append(section).Append("\n\n");
            builder.Append("Here is how the parser handles section ").Append(section)
                .Append(". It reads the input, checks each token, and reports errors early! Does it scale? Yes, it does.\n\n");
            switch (section % 4)
            {
                case 0:
                    builder.Append("```python\n");
                    for (var i = 0; i < 30; i++)
                    {
                        builder.Append("def step_").Append(section).Append('_').Append(i).Append("(value):\n    return value * ").Append(i).Append('\n');
                    }

                    builder.Append("```\n\n");
                    break;
                case 1:
                    builder.Append("  ```js\n");
                    for (var i = 0; i < 25; i++)
                    {
                        builder.Append("  const item").Append(i).Append(" = compute(").Append(i).Append("); // ").Append(section).Append('\n');
                    }

                    builder.Append("  ```\n\n");
                    break;
                case 2:
                    builder.Append("~~~~text\n");
                    for (var i = 0; i < 20; i++)
                    {
                        builder.Append("line ").Append(i).Append(" of plain preformatted text with `backticks` inside\n");
                    }

                    builder.Append("~~~~\n\n");
                    break;
                default:
                    for (var i = 0; i < 6; i++)
                    {
                        builder.Append("- point ").Append(i).Append(": a sentence about the topic, with some detail. Another sentence follows here.\n");
                    }

                    builder.Append('\n');
                    break;
            }
        }

        return builder.ToString();
    }
}
