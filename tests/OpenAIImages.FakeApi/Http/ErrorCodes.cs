namespace OpenAIImages.FakeApi.Http;

/// <summary>
/// The <c>error.code</c> values the fake returns. The first group are codes the real API is known to use; the
/// image-file group are the fake's own names for conditions whose real code is not documented (see README.md).
/// </summary>
public static class ErrorCodes
{
    public const string InvalidApiKey = "invalid_api_key";
    public const string UnknownParameter = "unknown_parameter";
    public const string UnsupportedParameter = "unsupported_parameter";
    public const string MissingRequiredParameter = "missing_required_parameter";
    public const string InvalidType = "invalid_type";
    public const string InvalidValue = "invalid_value";
    public const string EmptyString = "empty_string";
    public const string StringAboveMaxLength = "string_above_max_length";
    public const string IntegerBelowMinValue = "integer_below_min_value";
    public const string IntegerAboveMaxValue = "integer_above_max_value";
    public const string ArrayAboveMaxLength = "array_above_max_length";
    public const string ArrayBelowMinLength = "array_below_min_length";
    public const string UnsupportedFileMimetype = "unsupported_file_mimetype";
    public const string RateLimitExceeded = "rate_limit_exceeded";
    public const string InsufficientQuota = "insufficient_quota";
    public const string ModerationBlocked = "moderation_blocked";

    // The fake's own names.
    public const string InvalidImageFormat = "invalid_image_format";
    public const string ImageTooLarge = "image_too_large";
    public const string ImageNotSquare = "image_not_square";
    public const string ImageMissingAlpha = "image_missing_alpha";
    public const string MaskSizeMismatch = "mask_size_mismatch";
    public const string DuplicateParameter = "duplicate_parameter";
    public const string UnsupportedContentType = "unsupported_content_type";
    public const string MissingApiVersion = "missing_api_version";
}
