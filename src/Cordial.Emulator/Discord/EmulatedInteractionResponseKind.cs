namespace Cordial.Emulator.Discord;

/// <summary>What a bot did with an interaction.</summary>
public enum EmulatedInteractionResponseKind
{
    /// <summary>POST /interactions/{id}/{token}/callback.</summary>
    Callback,

    /// <summary>PATCH /webhooks/{app}/{token}/messages/@original.</summary>
    EditOriginal,

    /// <summary>POST /webhooks/{app}/{token}.</summary>
    FollowUp,

    /// <summary>PATCH of a follow-up message.</summary>
    EditFollowUp,

    /// <summary>DELETE of the original response or a follow-up.</summary>
    Delete,
}
