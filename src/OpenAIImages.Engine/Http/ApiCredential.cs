using System;
using System.Runtime.InteropServices;
using System.Security;

namespace OpenAIImages.Engine.Http
{
    /// <summary>How a credential is presented to the server.</summary>
    public enum CredentialKind
    {
        /// <summary>OpenAI and compatible servers: <c>Authorization: Bearer KEY</c>.</summary>
        BearerApiKey,
        /// <summary>Azure OpenAI keys: <c>api-key: KEY</c>.</summary>
        AzureApiKey,
        /// <summary>A Microsoft Entra ID access token: <c>Authorization: Bearer TOKEN</c>.</summary>
        BearerAccessToken,
    }

    /// <summary>
    /// A secret kept out of sight: it has no property that returns it, ToString hides it, and it is revealed only
    /// to put it in a request header.
    /// </summary>
    public sealed class ApiCredential
    {
        private readonly string? _plain;
        private readonly SecureString? _secure;

        public CredentialKind Kind { get; }

        private ApiCredential(string? plain, SecureString? secure, CredentialKind kind)
        {
            _plain = plain;
            _secure = secure;
            Kind = kind;
        }

        public static ApiCredential FromString(string secret, CredentialKind kind = CredentialKind.BearerApiKey)
        {
            if (string.IsNullOrWhiteSpace(secret)) throw new ArgumentException("The credential is empty.", nameof(secret));
            return new ApiCredential(secret.Trim(), null, kind);
        }

        public static ApiCredential FromSecureString(SecureString secret, CredentialKind kind = CredentialKind.BearerApiKey)
        {
            if (secret == null || secret.Length == 0) throw new ArgumentException("The credential is empty.", nameof(secret));
            var copy = secret.Copy();
            copy.MakeReadOnly();
            var credential = new ApiCredential(null, copy, kind);
            // Blank text is no key: refused here, before a request is sent with it.
            if (credential.Reveal().Length == 0) throw new ArgumentException("The credential is blank.", nameof(secret));
            return credential;
        }

        /// <summary>The same secret presented another way (an Azure key in the api-key header, say).</summary>
        public ApiCredential As(CredentialKind kind) => new ApiCredential(_plain, _secure, kind);

        /// <summary>The secret itself, for the request header only.</summary>
        internal string Reveal()
        {
            if (_plain != null) return _plain;
            IntPtr pointer = IntPtr.Zero;
            try
            {
                pointer = Marshal.SecureStringToGlobalAllocUnicode(_secure!);
                return (Marshal.PtrToStringUni(pointer) ?? "").Trim();
            }
            finally
            {
                if (pointer != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }

        /// <summary>Shorter secrets are not searched for: replacing every "abc" in a message would hide more than the key.</summary>
        private const int MinRedactedLength = 6;

        /// <summary>
        /// <paramref name="text"/> with every occurrence of the secret replaced, for what a server sends back: OpenAI
        /// masks a wrong key in its answer, but a compatible server or gateway may quote the one it was given.
        /// </summary>
        internal string Redact(string text)
        {
            if (string.IsNullOrEmpty(text)) return text;
            string secret = Reveal();
            return secret.Length >= MinRedactedLength && text.IndexOf(secret, StringComparison.Ordinal) >= 0 ? text.Replace(secret, "(hidden)") : text;
        }

        public override string ToString() => Kind + " (hidden)";
    }
}
