namespace OpenAIImages.Engine.Files
{
    /// <summary>The target file exists and replacing it was not asked for.</summary>
    public sealed class OutputFileExistsException : OpenAIImagesException
    {
        public string Path { get; }

        public OutputFileExistsException(string path)
            : base(ErrorIds.OutputFileExists, $"The file '{path}' already exists. Choose another name, or add -Force to replace it.")
        {
            Path = path;
        }
    }
}
