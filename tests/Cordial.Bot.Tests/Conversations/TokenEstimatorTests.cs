using Cordial.Bot.Conversations;

namespace Cordial.Bot.Tests.Conversations;

public sealed class TokenEstimatorTests
{
    private const string EnglishParagraph =
        "The committee met on Tuesday to review the budget for next year. After a long discussion about the costs of " +
        "maintenance, travel and new equipment, the members agreed to postpone the decision until the auditors had " +
        "finished their report. Several people asked whether the library could stay open later in the evening, since " +
        "students often need a quiet place to work after their classes end. The chair promised to look into it and to " +
        "write to everyone before the next meeting, which will take place in the large hall on the second floor.";

    private const string CodeSample = """
        public static int Sum(IReadOnlyList<int> values)
        {
            var total = 0;
            for (var i = 0; i < values.Count; i++)
            {
                total += values[i];
            }

            return total;
        }
        """;

    /// <summary>Counts published by OpenAI for its tokenizers (help article "What are tokens and how to count them").</summary>
    [Theory]
    [InlineData("You miss 100% of the shots you don't take", 11)]
    [InlineData("Hello, world!", 4)]
    [InlineData("Cómo estás", 5)]
    [InlineData("OpenAI is great!", 5)]
    public void Short_texts_land_within_a_token_or_a_fifth_of_published_counts(string text, int published)
    {
        var estimate = TokenEstimator.Estimate(text);

        Assert.InRange(estimate, Math.Min(published - 1, published * 4 / 5), Math.Max(published + 1, published * 6 / 5));
    }

    [Fact]
    public void English_prose_follows_the_four_characters_and_three_quarters_of_a_word_rules()
    {
        var estimate = TokenEstimator.Estimate(EnglishParagraph);
        var byCharacters = EnglishParagraph.Length / 4.0;
        var byWords = EnglishParagraph.Split(' ').Length / 0.75;

        Assert.InRange(estimate, byCharacters * 0.8, byCharacters * 1.2);
        Assert.InRange(estimate, byWords * 0.8, byWords * 1.2);
    }

    [Fact]
    public void Code_costs_more_per_character_than_prose_and_stays_in_a_sane_range()
    {
        var code = TokenEstimator.Estimate(CodeSample);

        Assert.InRange(code, CodeSample.Length / 5, CodeSample.Length / 2);
        Assert.True((double)code / CodeSample.Length > (double)TokenEstimator.Estimate(EnglishParagraph) / EnglishParagraph.Length);
    }

    [Fact]
    public void Cjk_costs_at_least_a_token_per_character_and_emoji_two()
    {
        const string chinese = "今天天气很好我们去公园散步吧";
        const string japanese = "こんにちは世界";

        Assert.InRange(TokenEstimator.Estimate(chinese), chinese.Length, chinese.Length * 2);
        Assert.InRange(TokenEstimator.Estimate(japanese), japanese.Length, japanese.Length * 2);
        Assert.Equal(2 * 3, TokenEstimator.Estimate("🙂🙂🙂"));
    }

    [Fact]
    public void Other_scripts_cost_more_per_character_than_english()
    {
        const string russian = "Привет, как дела? Сегодня мы обсуждаем бюджет на следующий год.";
        const string english = "Hello, how are you? Today we discuss the budget for next year.";

        Assert.True(TokenEstimator.Estimate(russian) > TokenEstimator.Estimate(english));
    }

    [Fact]
    public void Empty_is_zero_and_anything_else_at_least_one()
    {
        Assert.Equal(0, TokenEstimator.Estimate(""));
        Assert.Equal(0, TokenEstimator.Estimate((string?)null));
        Assert.Equal(1, TokenEstimator.Estimate(" "));
        Assert.Equal(1, TokenEstimator.Estimate("a"));
        Assert.Equal(1, TokenEstimator.Estimate("\u200B"));
    }

    [Fact]
    public void Longer_text_never_estimates_fewer_tokens()
    {
        var previous = 0;
        for (var words = 1; words <= 200; words++)
        {
            var text = string.Join(' ', EnglishParagraph.Split(' ').Take(words));
            var estimate = TokenEstimator.Estimate(text);
            Assert.True(estimate >= previous, $"{words} words: {estimate} < {previous}");
            previous = estimate;
        }
    }

    [Fact]
    public void Estimating_allocates_nothing()
    {
        var text = EnglishParagraph + CodeSample + "今天天气很好 🙂 Привет";
        TokenEstimator.Estimate(text); // warm up (JIT)

        var before = GC.GetAllocatedBytesForCurrentThread();
        var total = 0;
        for (var i = 0; i < 100; i++)
        {
            total += TokenEstimator.Estimate(text);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(total > 0);
    }
}
