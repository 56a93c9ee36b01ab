using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;

namespace OpenAIImagesTests
{
    /// <summary>A command runtime that records which of its members ran, on which thread; prompts answer yes.</summary>
    public sealed class RecordingRuntime : ICommandRuntime2
    {
        public ConcurrentQueue<KeyValuePair<string, int>> Calls { get; } = new ConcurrentQueue<KeyValuePair<string, int>>();

        private bool Record(string member)
        {
            Calls.Enqueue(new KeyValuePair<string, int>(member, Environment.CurrentManagedThreadId));
            return true;
        }

        public PSHost Host => null;
        public PSTransactionContext CurrentPSTransaction => null;
        public bool TransactionAvailable() => false;
        public void ThrowTerminatingError(ErrorRecord errorRecord) => throw new InvalidOperationException("not expected");
        public void WriteCommandDetail(string text) => Record("WriteCommandDetail");
        public void WriteDebug(string text) => Record("WriteDebug");
        public void WriteError(ErrorRecord errorRecord) => Record("WriteError");
        public void WriteObject(object sendToPipeline) => Record("WriteObject");
        public void WriteObject(object sendToPipeline, bool enumerateCollection) => Record("WriteObject");
        public void WriteProgress(ProgressRecord progressRecord) => Record("WriteProgress");
        public void WriteProgress(long sourceId, ProgressRecord progressRecord) => Record("WriteProgress");
        public void WriteVerbose(string text) => Record("WriteVerbose");
        public void WriteWarning(string text) => Record("WriteWarning");
        public void WriteInformation(InformationRecord informationRecord) => Record("WriteInformation");
        public bool ShouldProcess(string target) => Record("ShouldProcess");
        public bool ShouldProcess(string target, string action) => Record("ShouldProcess");
        public bool ShouldProcess(string verboseDescription, string verboseWarning, string caption) => Record("ShouldProcess");
        public bool ShouldProcess(string verboseDescription, string verboseWarning, string caption, out ShouldProcessReason shouldProcessReason)
        {
            shouldProcessReason = ShouldProcessReason.None;
            return Record("ShouldProcess");
        }
        public bool ShouldContinue(string query, string caption) => Record("ShouldContinue");
        public bool ShouldContinue(string query, string caption, ref bool yesToAll, ref bool noToAll) => Record("ShouldContinue");
        public bool ShouldContinue(string query, string caption, bool hasSecurityImpact, ref bool yesToAll, ref bool noToAll) => Record("ShouldContinue");
    }

    /// <summary>Calls every public method of the module's AsyncPipeline from a thread-pool thread.</summary>
    public static class PoolCaller
    {
        /// <summary>Runs the calls on the pool while this thread serves the pipeline; returns the names of the methods called and the pool thread's id.</summary>
        public static KeyValuePair<string[], int> CallEveryMethodFromThePool(object pipeline)
        {
            var called = new List<string>();
            int poolThread = -1;
            MethodInfo run = pipeline.GetType().GetMethod("Run");
            Func<Task> work = () => Task.Run(() =>
            {
                poolThread = Environment.CurrentManagedThreadId;
                foreach (MethodInfo method in pipeline.GetType().GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
                {
                    if (method.Name == "Run" || method.Name == "Dispose") continue;
                    object[] arguments = ArgumentsFor(method);
                    MethodInfo callable = method.IsGenericMethodDefinition ? method.MakeGenericMethod(typeof(int)) : method;
                    callable.Invoke(pipeline, arguments);
                    called.Add(method.Name);
                }
            });
            run.Invoke(pipeline, new object[] { work, null, TimeSpan.FromMilliseconds(50) });
            return new KeyValuePair<string[], int>(called.ToArray(), poolThread);
        }

        /// <summary>Queues one warning from the pool while no block runs: it waits for the next run, and runs there.</summary>
        public static void WarnFromThePoolBetweenRuns(object pipeline)
        {
            Task.Run(() => pipeline.GetType().GetMethod("WriteWarning").Invoke(pipeline, new object[] { "between runs" })).Wait();
        }

        public static void RunEmptyBlock(object pipeline)
        {
            Func<Task> work = () => Task.CompletedTask;
            pipeline.GetType().GetMethod("Run").Invoke(pipeline, new object[] { work, null, TimeSpan.FromMilliseconds(50) });
        }

        private static object[] ArgumentsFor(MethodInfo method)
        {
            var values = new List<object>();
            foreach (ParameterInfo parameter in method.GetParameters())
            {
                Type type = parameter.ParameterType;
                if (type == typeof(string)) values.Add("text");
                else if (type == typeof(bool)) values.Add(true);
                else if (type == typeof(object)) values.Add("an object");
                else if (type == typeof(ErrorRecord)) values.Add(new ErrorRecord(new Exception("e"), "TestError", ErrorCategory.NotSpecified, null));
                else if (type == typeof(ProgressRecord)) values.Add(new ProgressRecord(1, "activity", "status"));
                else if (type == typeof(InformationRecord)) values.Add(new InformationRecord("info", "test"));
                else if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Func<>)) values.Add(new Func<int>(() => Environment.CurrentManagedThreadId));
                else throw new NotSupportedException($"No test value for {method.Name}'s parameter {parameter.Name} of type {type}: add one here, so the new method is called too.");
            }
            return values.ToArray();
        }
    }
}
