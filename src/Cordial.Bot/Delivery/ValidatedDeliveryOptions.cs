using Microsoft.Extensions.Options;

namespace Cordial.Bot.Delivery;

/// <summary>
/// <see cref="DeliveryOptions"/> that passed <see cref="DeliveryOptionsValidator"/>: the factory checks its options once,
/// not once per reply (the check enumerates the data-annotation attributes and allocates on every call).
/// </summary>
internal sealed class ValidatedDeliveryOptions
{
    private ValidatedDeliveryOptions(DeliveryOptions value) => Value = value;

    public DeliveryOptions Value { get; }

    /// <exception cref="OptionsValidationException"><paramref name="options"/> is invalid.</exception>
    public static ValidatedDeliveryOptions Of(DeliveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validation = new DeliveryOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(DeliveryOptions.SectionName, typeof(DeliveryOptions), validation.Failures);
        }

        return new ValidatedDeliveryOptions(options);
    }
}
