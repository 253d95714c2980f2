using Cordial.Bot.Conversations;
using Cordial.Bot.Delivery;
using Cordial.Bot.Messages;
using Cordial.Bot.Triggers;

namespace Cordial.Bot.Responding;

/// <summary>A triggered message, stored as a node, waiting for its answer.</summary>
/// <param name="Message">The message (for /chat: the command, with the interaction's id).</param>
/// <param name="Node">Its stored node.</param>
/// <param name="Trigger">Why it is answered.</param>
/// <param name="Surface">Where the answer goes when not into the message's channel as a reply (the /chat interaction).</param>
public sealed record ReplyRequest(IncomingMessage Message, MessageNode Node, TriggerDecision Trigger, IReplySurface? Surface = null);
