namespace Cordial.Llm.Quotas;

/// <summary>Whose quota a limit belongs to.</summary>
public enum QuotaScope
{
    /// <summary>The Discord user who asked (<c>ChatOptions.AdditionalProperties["cordial.user_id"]</c>).</summary>
    User = 0,

    /// <summary>The guild the request came from (<c>ChatOptions.AdditionalProperties["cordial.guild_id"]</c>).</summary>
    Guild = 1,

    /// <summary>The configured provider of the model a request is sent to.</summary>
    Provider = 2,
}
