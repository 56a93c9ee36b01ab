namespace OpenAIImages.Engine.Validation
{
    /// <summary>Condition names for input images and masks.</summary>
    public static class InputErrorIds
    {
        public const string ImageNotFound = nameof(ImageNotFound);
        /// <summary>The file is there but cannot be read: no permission, or locked by another program.</summary>
        public const string ImageUnreadable = nameof(ImageUnreadable);
        public const string ImageFormatUnsupported = nameof(ImageFormatUnsupported);
        public const string ImageTooLarge = nameof(ImageTooLarge);
        public const string ImageNotSquare = nameof(ImageNotSquare);
        public const string ImageHasNoAlpha = nameof(ImageHasNoAlpha);
        public const string ImageMissing = nameof(ImageMissing);
        public const string TooManyImages = nameof(TooManyImages);
        public const string MaskFormatUnsupported = nameof(MaskFormatUnsupported);
        public const string MaskTooLarge = nameof(MaskTooLarge);
        public const string MaskSizeMismatch = nameof(MaskSizeMismatch);
        public const string MaskHasNoAlpha = nameof(MaskHasNoAlpha);
        public const string ImageReferenceInvalid = nameof(ImageReferenceInvalid);
        public const string ImageReferencesAndUploadsMixed = nameof(ImageReferencesAndUploadsMixed);
    }
}
