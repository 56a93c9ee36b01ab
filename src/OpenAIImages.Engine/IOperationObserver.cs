namespace OpenAIImages.Engine
{
    /// <summary>
    /// What the engine tells whoever runs it while a request is under way. The cmdlets implement it by queuing
    /// records for the pipeline thread; the engine never sees a cmdlet. Calls can come from any thread.
    /// </summary>
    public interface IOperationObserver
    {
        void Verbose(string message);
        void Debug(string message);
        void Warning(string message);
    }

    /// <summary>An observer that drops everything, for callers that want no messages.</summary>
    public sealed class NullOperationObserver : IOperationObserver
    {
        public static readonly NullOperationObserver Instance = new NullOperationObserver();
        public void Verbose(string message) { }
        public void Debug(string message) { }
        public void Warning(string message) { }
    }
}
