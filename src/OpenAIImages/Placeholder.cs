namespace OpenAIImages
{
    internal static class ModuleInfo { }
}
