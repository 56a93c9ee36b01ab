namespace OpenAIImages.Engine
{
    /// <summary>
    /// Every condition name the module reports, as PowerShell error ids (the first part of FullyQualifiedErrorId):
    /// one set for the engine, the cmdlets and the tests. Each is its own name, so the constant and the text agree.
    /// </summary>
    public static class ErrorIds
    {
        // Requests that cannot succeed, refused before anything is sent.
        public const string ApiKeyMissing = nameof(ApiKeyMissing);
        public const string ApiKeyAndAccessToken = nameof(ApiKeyAndAccessToken);
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
        public const string ProxyInvalid = nameof(ProxyInvalid);
        public const string ProxyCredentialWithoutProxy = nameof(ProxyCredentialWithoutProxy);

        // Input images and masks.
        public const string ImageNotFound = nameof(ImageNotFound);

        /// <summary>The file is there but cannot be read: no permission, or locked by another program.</summary>
        public const string ImageUnreadable = nameof(ImageUnreadable);
        public const string ImageFormatUnsupported = nameof(ImageFormatUnsupported);

        /// <summary>The image claims a format but its data does not decode: cut short, or damaged.</summary>
        public const string ImageCorrupt = nameof(ImageCorrupt);
        public const string ImageTooLarge = nameof(ImageTooLarge);
        public const string ImageNotSquare = nameof(ImageNotSquare);
        public const string ImageHasNoAlpha = nameof(ImageHasNoAlpha);
        public const string ImageMissing = nameof(ImageMissing);
        public const string TooManyImages = nameof(TooManyImages);
        public const string MaskFormatUnsupported = nameof(MaskFormatUnsupported);
        public const string MaskTooLarge = nameof(MaskTooLarge);
        public const string MaskSizeMismatch = nameof(MaskSizeMismatch);
        public const string MaskHasNoAlpha = nameof(MaskHasNoAlpha);
        public const string MatchSizeAndDimensions = nameof(MatchSizeAndDimensions);
        public const string DimensionMissing = nameof(DimensionMissing);
        public const string ImageReferenceInvalid = nameof(ImageReferenceInvalid);
        public const string ImageReferencesAndUploadsMixed = nameof(ImageReferencesAndUploadsMixed);

        // Saving.
        public const string OutputFileExists = nameof(OutputFileExists);
        public const string OutFileAndOutputDirectory = nameof(OutFileAndOutputDirectory);
        public const string OutputPathNotFileSystem = nameof(OutputPathNotFileSystem);
        public const string OutputDirectoryIsFile = nameof(OutputDirectoryIsFile);
        public const string OutFileIsFolder = nameof(OutFileIsFolder);
        public const string OutFileFormatMismatch = nameof(OutFileFormatMismatch);
        public const string OutputFolderNotWritable = nameof(OutputFolderNotWritable);
        public const string ResponsesModelMissing = nameof(ResponsesModelMissing);
        public const string ResponsesModelIsImageModel = nameof(ResponsesModelIsImageModel);
        public const string ParameterNotSupportedByResponses = nameof(ParameterNotSupportedByResponses);
        public const string ModelNotSupportedByResponses = nameof(ModelNotSupportedByResponses);
        public const string ResponseNotStored = nameof(ResponseNotStored);
        public const string OpenAIAnsweredWithText = nameof(OpenAIAnsweredWithText);
        public const string ParameterNotSupportedByBatch = nameof(ParameterNotSupportedByBatch);
        public const string BatchNeedsOutputDirectory = nameof(BatchNeedsOutputDirectory);
        public const string BatchJournalInvalid = nameof(BatchJournalInvalid);
        public const string BatchNotFinished = nameof(BatchNotFinished);
        public const string BatchItemNotProcessed = nameof(BatchItemNotProcessed);

        // No usable answer came back.
        public const string OpenAIConnectionFailed = nameof(OpenAIConnectionFailed);
        public const string OpenAIRequestTimedOut = nameof(OpenAIRequestTimedOut);
        public const string OpenAIResponseInvalid = nameof(OpenAIResponseInvalid);

        // The API refused: by error code first, else by HTTP status.
        public const string OpenAIContentBlocked = nameof(OpenAIContentBlocked);
        public const string OpenAIQuotaExceeded = nameof(OpenAIQuotaExceeded);
        public const string OpenAIModelNotFound = nameof(OpenAIModelNotFound);
        public const string OpenAIBadRequest = nameof(OpenAIBadRequest);
        public const string OpenAIAuthenticationFailed = nameof(OpenAIAuthenticationFailed);
        public const string OpenAIPermissionDenied = nameof(OpenAIPermissionDenied);
        public const string OpenAINotFound = nameof(OpenAINotFound);
        public const string OpenAIRequestTimeout = nameof(OpenAIRequestTimeout);
        public const string OpenAIConflict = nameof(OpenAIConflict);
        public const string OpenAIRequestTooLarge = nameof(OpenAIRequestTooLarge);
        public const string OpenAIUnprocessableRequest = nameof(OpenAIUnprocessableRequest);
        public const string OpenAIRateLimited = nameof(OpenAIRateLimited);
        public const string OpenAIServerError = nameof(OpenAIServerError);
        public const string OpenAIRequestFailed = nameof(OpenAIRequestFailed);
    }
}
