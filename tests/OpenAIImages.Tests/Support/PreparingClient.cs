using OpenAIImages.Engine;
using OpenAIImages.Engine.Requests;
using OpenAIImages.Engine.Results;
using OpenAIImages.Engine.Streaming;
using OpenAIImages.Engine.Validation;

namespace OpenAIImages.Tests.Support;

/// <summary>The client called with plain requests, each prepared once first, as the cmdlets do.</summary>
internal static class PreparingClient
{
    public static Task<IReadOnlyList<GeneratedImage>> GenerateAsync(this OpenAIImageClient client, ImageGenerationRequest request, IOperationObserver? observer = null, CancellationToken cancellationToken = default, IImageStreamObserver? streamObserver = null) =>
        client.GenerateAsync(ImageRequestValidator.Prepare(request), observer, cancellationToken, streamObserver);

    public static Task<IReadOnlyList<GeneratedImage>> EditAsync(this OpenAIImageClient client, ImageEditRequest request, IOperationObserver? observer = null, CancellationToken cancellationToken = default, IImageStreamObserver? streamObserver = null) =>
        client.EditAsync(ImageRequestValidator.Prepare(request), observer, cancellationToken, streamObserver);

    public static Task<IReadOnlyList<GeneratedImage>> CreateVariationAsync(this OpenAIImageClient client, ImageVariationRequest request, IOperationObserver? observer = null, CancellationToken cancellationToken = default) =>
        client.CreateVariationAsync(ImageRequestValidator.Prepare(request), observer, cancellationToken);
}
