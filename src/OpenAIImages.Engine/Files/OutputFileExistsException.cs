namespace OpenAIImages.Engine.Files
{
    /// <summary>The target file exists and replacing it was not asked for.</summary>
    public sealed class OutputFileExistsException : OpenAIImagesException
    {
        public string Path { get; }

        public OutputFileExistsException(string path)
            : this(path, "add -Force")
        {
        }

        /// <param name="path">The file that exists.</param>
        /// <param name="howToReplace">What the caller does to replace it, as the message's user would write it.</param>
        public OutputFileExistsException(string path, string howToReplace)
            : base(ErrorIds.OutputFileExists, $"The file '{path}' already exists. Choose another name, or {howToReplace} to replace it.")
        {
            Path = path;
        }
    }
}
