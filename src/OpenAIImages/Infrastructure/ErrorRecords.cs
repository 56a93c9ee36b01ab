using System;
using System.IO;
using System.Management.Automation;
using OpenAIImages.Engine;
using OpenAIImages.Engine.Files;
using OpenAIImages.Engine.Http;
using OpenAIImages.Engine.Validation;

namespace OpenAIImages.Infrastructure
{
    /// <summary>Turns the engine's exceptions into ErrorRecords with a condition id, a fitting category and the target.</summary>
    internal static class ErrorRecords
    {
        public static ErrorRecord From(Exception exception, object? target)
        {
            string id = exception is OpenAIImagesException known ? known.ErrorId : exception.GetType().Name;
            var record = new ErrorRecord(exception, id, CategoryOf(exception), target);
            string? advice = AdviceFor(exception);
            if (advice != null) record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = advice };
            return record;
        }

        /// <summary>Errors after which no other item of the pipeline can succeed.</summary>
        public static bool EndsTheCall(Exception exception) =>
            (exception is ImageRequestException r && (r.ErrorId == ErrorIds.ApiKeyMissing || r.ErrorId == ErrorIds.BaseUriInvalid || r.ErrorId == ErrorIds.InsecureBaseUri))
            || (exception is OpenAIApiException a && (a.StatusCode == 401 || a.ErrorId == ErrorIds.OpenAIQuotaExceeded));

        private static ErrorCategory CategoryOf(Exception exception) => exception switch
        {
            ImageRequestException r when r.ErrorId == ErrorIds.ApiKeyMissing => ErrorCategory.AuthenticationError,
            ImageRequestException _ => ErrorCategory.InvalidArgument,
            OutputFileExistsException _ => ErrorCategory.ResourceExists,
            Engine.Imaging.ImageDecodeException _ => ErrorCategory.InvalidData,
            OpenAIApiException a => a.StatusCode switch
            {
                401 => ErrorCategory.AuthenticationError,
                403 => ErrorCategory.PermissionDenied,
                404 => ErrorCategory.ObjectNotFound,
                408 => ErrorCategory.OperationTimeout,
                429 when a.ErrorId == ErrorIds.OpenAIQuotaExceeded => ErrorCategory.QuotaExceeded,
                429 => ErrorCategory.LimitsExceeded,
                _ when a.ErrorId == ErrorIds.OpenAIContentBlocked => ErrorCategory.SecurityError,
                _ when a.StatusCode >= 500 => ErrorCategory.ResourceUnavailable,
                _ => ErrorCategory.InvalidArgument,
            },
            OpenAITransportException t when t.ErrorId == OpenAITransportException.TimedOut => ErrorCategory.OperationTimeout,
            OpenAITransportException t when t.ErrorId == OpenAITransportException.ResponseInvalid => ErrorCategory.InvalidData,
            OpenAITransportException _ => ErrorCategory.ConnectionError,
            UnauthorizedAccessException _ => ErrorCategory.PermissionDenied,
            FileNotFoundException _ => ErrorCategory.ObjectNotFound,
            DirectoryNotFoundException _ => ErrorCategory.ObjectNotFound,
            IOException _ => ErrorCategory.WriteError,
            _ => ErrorCategory.NotSpecified,
        };

        private static string? AdviceFor(Exception exception) => exception switch
        {
            // The engine's hint knows the party (Azure OpenAI, OpenAI, a compatible server) and the connection.
            OpenAIApiException a when a.Hint != null => a.Hint,
            OpenAIApiException a when a.StatusCode == 401 => "Check the key this server expects in -ApiKey.",
            OpenAIApiException a when a.ErrorId == ErrorIds.OpenAIQuotaExceeded => "The account has no quota left; check billing for the organization and project.",
            OpenAIApiException a when a.StatusCode == 429 => "Wait and try again, or lower -ThrottleLimit.",
            OpenAIApiException a when a.ErrorId == ErrorIds.OpenAIContentBlocked => "The prompt or image was refused by the safety system; rephrase the prompt.",
            OpenAIApiException a when a.StatusCode >= 500 => "The service failed; try again later.",
            _ => null,
        };
    }
}
