using Microsoft.Extensions.Options;

namespace Cordial.Bot.Delivery;

/// <summary>Source-generated validator of <see cref="DeliveryOptions"/> (data annotations + cross-field rules).</summary>
[OptionsValidator]
public sealed partial class DeliveryOptionsValidator : IValidateOptions<DeliveryOptions>;
