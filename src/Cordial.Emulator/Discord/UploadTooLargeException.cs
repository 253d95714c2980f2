namespace Cordial.Emulator.Discord;

/// <summary>A simulated user attached a file over <see cref="DiscordEmulatorOptions.UserUploadLimit"/>; the message says which and the limit.</summary>
public sealed class UploadTooLargeException : ArgumentException
{
    public UploadTooLargeException(string message)
        : base(message)
    {
    }

    public UploadTooLargeException()
    {
    }

    public UploadTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
