using System;

namespace OpenAIImages.Engine.Http
{
    /// <summary>What a transport failure says at its root: HttpClient and streams wrap the socket's own message.</summary>
    internal static class ExceptionChain
    {
        public static Exception Innermost(this Exception e)
        {
            while (e.InnerException != null) e = e.InnerException;
            return e;
        }
    }
}
