using System.ClientModel;
using System.ClientModel.Primitives;

namespace Cordial.Llm.Providers;

/// <summary>The OpenAI SDK pipeline policy that applies a <see cref="RequestCustomization"/> to each request.</summary>
internal sealed class OpenAIRequestPolicy : PipelinePolicy
{
    private readonly RequestCustomization _customization;

    public OpenAIRequestPolicy(RequestCustomization customization)
    {
        _customization = customization;
    }

    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Apply(message);
        ProcessNext(message, pipeline, currentIndex);
    }

    public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Apply(message);
        await ProcessNextAsync(message, pipeline, currentIndex);
    }

    private void Apply(PipelineMessage message)
    {
        var request = message.Request;
        foreach (var (name, value) in _customization.Headers)
        {
            request.Headers.Set(name, value);
        }

        if (request.Uri is { } uri)
        {
            request.Uri = _customization.ApplyQuery(uri);
        }

        if (_customization.ChangesBody && request.Content is { } content)
        {
            using var buffer = new MemoryStream();
            content.WriteTo(buffer, message.CancellationToken);
            request.Content = BinaryContent.Create(BinaryData.FromBytes(_customization.ApplyBody(buffer.GetBuffer().AsSpan(0, (int)buffer.Length))));
        }
    }
}
