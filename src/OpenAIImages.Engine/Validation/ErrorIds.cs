namespace OpenAIImages.Engine.Validation
{
    /// <summary>The condition names that bad input produces, as PowerShell error ids.</summary>
    public static class ErrorIds
    {
        public const string ApiKeyMissing = nameof(ApiKeyMissing);
        public const string PromptEmpty = nameof(PromptEmpty);
        public const string PromptTooLong = nameof(PromptTooLong);
        public const string ModelNameEmpty = nameof(ModelNameEmpty);
        public const string ModelEndpointNotSupported = nameof(ModelEndpointNotSupported);
        public const string SizeInvalid = nameof(SizeInvalid);
        public const string SizeNotSupported = nameof(SizeNotSupported);
        public const string CountOutOfRange = nameof(CountOutOfRange);
        public const string ValueNotSupported = nameof(ValueNotSupported);
        public const string ParameterNotSupportedByModel = nameof(ParameterNotSupportedByModel);

        /// <summary>A parameter the edit's body format lacks: uploads (multipart) or images by URL or file id (JSON).</summary>
        public const string ParameterNotSupportedForInput = nameof(ParameterNotSupportedForInput);
        public const string OutputCompressionOutOfRange = nameof(OutputCompressionOutOfRange);
        public const string OutputCompressionRequiresJpegOrWebp = nameof(OutputCompressionRequiresJpegOrWebp);
        public const string TransparentBackgroundRequiresPngOrWebp = nameof(TransparentBackgroundRequiresPngOrWebp);
        public const string StreamingNotSupported = nameof(StreamingNotSupported);
        public const string PartialImagesOutOfRange = nameof(PartialImagesOutOfRange);
        public const string PartialImagesRequireStream = nameof(PartialImagesRequireStream);
        public const string BaseUriInvalid = nameof(BaseUriInvalid);
        public const string InsecureBaseUri = nameof(InsecureBaseUri);
    }
}
