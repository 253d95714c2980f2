using Cordial.Bot.Conversations;
using Cordial.Bot.Messages;
using Cordial.Bot.Triggers;

namespace Cordial.Bot.Responding;

/// <summary>A triggered message, stored as a node, waiting for its answer.</summary>
public sealed record ReplyRequest(IncomingMessage Message, MessageNode Node, TriggerDecision Trigger);
