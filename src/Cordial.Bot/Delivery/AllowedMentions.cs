namespace Cordial.Bot.Delivery;

/// <summary>
/// The allowed mentions of every message the bot sends: none. Model text can contain <c>@everyone</c>, role and
/// user mentions; none of them may ping anyone, and replies do not ping the replied-to author either.
/// There is deliberately no way to build another value.
/// </summary>
/// <remarks>On the wire: <c>"allowed_mentions": {"parse": [], "replied_user": false}</c>.</remarks>
public sealed class AllowedMentions
{
    private AllowedMentions()
    {
    }

    /// <summary>Nothing is pinged.</summary>
    public static AllowedMentions None { get; } = new();

    /// <summary>The mention types Discord may parse from the content: always empty.</summary>
    public IReadOnlyList<string> Parse { get; } = [];

    /// <summary>Whether a reply pings the author of the replied-to message: always false.</summary>
    public bool RepliedUser => false;
}
