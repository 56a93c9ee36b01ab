using OpenAIImages.Engine.Files;
using Xunit;

namespace OpenAIImages.Tests.Engine;

public sealed class FileWritingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("oai-files-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void WritesANewFileAndLeavesNoTemporary()
    {
        string path = Path.Combine(_dir, "a.png");
        Assert.Equal(path, SafeFileWriter.Write(path, new byte[] { 1, 2, 3 }, overwrite: false));
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(_dir));
    }

    [Fact]
    public void NeverOverwritesWithoutForce()
    {
        string path = Path.Combine(_dir, "a.png");
        File.WriteAllBytes(path, new byte[] { 9 });
        var error = Assert.Throws<OutputFileExistsException>(() => SafeFileWriter.Write(path, new byte[] { 1 }, overwrite: false));
        Assert.Equal("OutputFileExists", error.ErrorId);
        Assert.Contains("-Force", error.Message);
        Assert.Equal(new byte[] { 9 }, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(_dir));

        SafeFileWriter.Write(path, new byte[] { 1, 1 }, overwrite: true);
        Assert.Equal(new byte[] { 1, 1 }, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(_dir));
    }

    [Fact]
    public void UniqueNamesCountUpAndParallelWritersNeverCollide()
    {
        var paths = Enumerable.Range(0, 40).AsParallel().Select(i => SafeFileWriter.WriteUnique(_dir, "cat", ".png", new[] { (byte)i })).ToList();
        Assert.Equal(40, paths.Distinct().Count());
        Assert.Contains(Path.Combine(_dir, "cat.png"), paths);
        Assert.Contains(Path.Combine(_dir, "cat-40.png"), paths);
        Assert.Equal(40, Directory.GetFiles(_dir).Length);
        var contents = paths.Select(p => File.ReadAllBytes(p).Single()).OrderBy(b => b);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => (byte)i), contents);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void PlacingTakesAFreeNameWhole(bool moveRefusesTakenNames)
    {
        string temporary = Path.Combine(_dir, ".cat.partial");
        File.WriteAllBytes(temporary, new byte[] { 4, 5, 6 });
        string path = Path.Combine(_dir, "cat.png");
        Assert.True(SafeFileWriter.TryPlace(temporary, path, moveRefusesTakenNames));
        Assert.Equal(new byte[] { 4, 5, 6 }, File.ReadAllBytes(path));
        Assert.False(File.Exists(temporary));
        Assert.Single(Directory.GetFiles(_dir));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void PlacingNeverReplacesAFileThatIsThere(bool moveRefusesTakenNames)
    {
        string temporary = Path.Combine(_dir, ".cat.partial");
        File.WriteAllBytes(temporary, new byte[] { 4, 5, 6 });
        string path = Path.Combine(_dir, "cat.png");
        File.WriteAllBytes(path, new byte[] { 9 });
        Assert.False(SafeFileWriter.TryPlace(temporary, path, moveRefusesTakenNames));
        Assert.Equal(new byte[] { 9 }, File.ReadAllBytes(path));
        Assert.Equal(new byte[] { 4, 5, 6 }, File.ReadAllBytes(temporary));
    }

    [Fact]
    public void NewNamesAreTakenByMoveOnWindowsAndByClaimElsewhere()
    {
        // File.Replace (ReplaceFile) onto a placeholder made a moment before is what fails there under virus scanners.
        Assert.Equal(OperatingSystem.IsWindows(), SafeFileWriter.MoveRefusesTakenNames);
    }

    [Fact]
    public void ANameThatFitsIsNotRefusedBecauseOfItsTemporary()
    {
        // 250 characters: within the 255 a name may have, but not with 18 more for a temporary beside it.
        string name = new string('n', 246) + ".png";
        string path = Path.Combine(_dir, name);
        Assert.Equal(path, SafeFileWriter.Write(path, new byte[] { 1, 2 }, overwrite: false));
        Assert.Equal(new byte[] { 1, 2 }, File.ReadAllBytes(path));
        Assert.Equal(Path.Combine(_dir, new string('m', 246) + ".png"), SafeFileWriter.WriteUnique(_dir, new string('m', 246), ".png", new byte[] { 3 }));
        Assert.Equal(2, Directory.GetFiles(_dir).Length);
    }

    [Theory]
    [InlineData("a.png")]
    [InlineData("a-cat-in-a-hat-20250101-120000-1.png")]
    [InlineData("a\U0001F98A\U0001F98A\U0001F98A\U0001F98A\U0001F98A\U0001F98A\U0001F98A\U0001F98A\U0001F98A\U0001F98A\U0001F98Ax.png")]
    public void TemporaryNamesAreHiddenUniqueAndNoLongerThanLongTargets(string target)
    {
        string first = SafeFileWriter.TemporaryName(target), second = SafeFileWriter.TemporaryName(target);
        Assert.NotEqual(first, second);
        Assert.StartsWith(".", first);
        Assert.EndsWith(SafeFileWriter.TemporarySuffix, first);
        Assert.True(first.Length <= Math.Max(target.Length, 18), first);
        Assert.True(first.Select((c, i) => !char.IsHighSurrogate(c) || (i + 1 < first.Length && char.IsLowSurrogate(first[i + 1]))).All(ok => ok), "no split surrogate pair");
    }

    [Theory]
    [InlineData("A cat, in a hat!", "a-cat-in-a-hat")]
    [InlineData("../../etc/passwd", "etc-passwd")]
    [InlineData("..\\..\\Windows\\System32", "windows-system32")]
    [InlineData("CON", "con-image")]
    [InlineData("nul", "nul-image")]
    [InlineData("Com1", "com1-image")]
    [InlineData("lpt9", "lpt9-image")]
    [InlineData("console", "console")]
    [InlineData("com10", "com10")]
    [InlineData("   ", "image")]
    [InlineData("***", "image")]
    [InlineData("Ünïcödé façade", "ünïcödé-façade")]
    public void PromptNamesStayInsideTheDirectory(string prompt, string stem)
    {
        Assert.Equal(stem, OutputFileNamer.StemFromPrompt(prompt));
        string path = Path.GetFullPath(Path.Combine(_dir, OutputFileNamer.StemFromPrompt(prompt) + ".png"));
        Assert.Equal(_dir, Path.GetDirectoryName(path));
    }

    [Theory]
    [InlineData("CON", true)]
    [InlineData("con.png", true)]
    [InlineData("Nul .png", true)]
    [InlineData("aux.tar.gz", true)]
    [InlineData("COM\u00B9.png", true)]
    [InlineData("LPT0.jpg", true)]
    [InlineData("CONOUT$", true)]
    [InlineData("con-image.png", false)]
    [InlineData("icon.png", false)]
    [InlineData("com10.png", false)]
    [InlineData("nul-1.png", false)]
    public void WindowsDeviceNamesAreKnown(string name, bool reserved) => Assert.Equal(reserved, OutputFileNamer.IsReservedOnWindows(name));

    [Fact]
    public void AUniqueNameIsNeverADeviceName()
    {
        Assert.Equal(Path.Combine(_dir, "con-2.png"), SafeFileWriter.WriteUnique(_dir, "con", ".png", new byte[] { 1 }));
        Assert.Equal(Path.Combine(_dir, "NUL-2.png"), SafeFileWriter.WriteUnique(_dir, "NUL", ".png", new byte[] { 2 }));
        Assert.Equal(2, Directory.GetFiles(_dir).Length);
    }

    [Fact]
    public void LongPromptsMakeShortNames() => Assert.True(OutputFileNamer.StemFromPrompt(new string('x', 5000)).Length <= 26);

    [Theory]
    [InlineData("cat.png", 0, 1, ".png", "cat.png")]
    [InlineData("cat.png", 0, 3, ".png", "cat-1.png")]
    [InlineData("cat.png", 2, 3, ".png", "cat-3.png")]
    [InlineData("cat.png", 0, 1, ".jpg", "cat.jpg")]
    [InlineData("cat.jpeg", 0, 1, ".jpg", "cat.jpeg")]
    [InlineData("cat", 0, 1, ".webp", "cat.webp")]
    [InlineData("cat.v2", 0, 1, ".png", "cat.v2.png")]
    public void OutFileNamesFollowTheRealFormat(string given, int index, int count, string real, string expected)
    {
        Assert.Equal(Path.Combine(_dir, expected), OutputFileNamer.ForOutFile(Path.Combine(_dir, given), index, count, real));
    }
}
