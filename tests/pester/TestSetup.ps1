# Shared setup for the Pester suite. Dot-source it in each file's BeforeAll:
#     BeforeAll { . (Join-Path $PSScriptRoot 'TestSetup.ps1') }
# build.ps1 -Task Test sets OPENAIIMAGES_TEST_MANIFEST (the built psd1) and OPENAIIMAGES_TEST_FAKEAPI (the FakeApi
# .csproj). To run one file by hand after ./build.ps1 -Task Build:
#     $env:OPENAIIMAGES_TEST_MANIFEST = (Resolve-Path ./out/OpenAIImages/*/OpenAIImages.psd1).Path
#     Invoke-Pester ./tests/pester/New-OpenAIImage.Tests.ps1 -Output Detailed

function Get-RepositoryRoot {
    # $PSScriptRoot in a function is the folder of the file that defines it: tests/pester.
    Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
}

function Get-TestPngBase64 {
    # Small real PNGs (64x64 squares and one 64x32), so the tests need no image library.
    param([ValidateSet('Red', 'Green', 'Blue', 'Wide')] [string] $Kind)
    switch ($Kind) {
        'Red' { 'iVBORw0KGgoAAAANSUhEUgAAAEAAAABACAYAAACqaXHeAAAAZklEQVR42u3QMREAAAgEION8/zx20RyeDBSgOpnPSoAAAQIECBAgQIAAAQIECBAgQIAAAQIECBAgQIAAAQIECBAgQIAAAQIECBAgQIAAAQIECBAgQIAAAQIECBAgQIAAAQIECLhvAUbssf8SvEWKAAAAAElFTkSuQmCC' }
        'Green' { 'iVBORw0KGgoAAAANSUhEUgAAAEAAAABACAYAAACqaXHeAAAAZklEQVR42u3QQREAAAQAMHGE0P+0Ioezxwossms+CwECBAgQIECAAAECBAgQIECAAAECBAgQIECAAAECBAgQIECAAAECBAgQIECAAAECBAgQIECAAAECBAgQIECAAAECBAgQIOC+BcYpsf8vStzjAAAAAElFTkSuQmCC' }
        'Blue' { 'iVBORw0KGgoAAAANSUhEUgAAAEAAAABACAYAAACqaXHeAAAAZklEQVR42u3QQREAAAQAMHGE0D+FLuRw9liBRVbPZyFAgAABAgQIECBAgAABAgQIECBAgAABAgQIECBAgAABAgQIECBAgAABAgQIECBAgAABAgQIECBAgAABAgQIECBAgAABAgTct8AY8g6DiH3cAAAAAElFTkSuQmCC' }
        'Wide' { 'iVBORw0KGgoAAAANSUhEUgAAAEAAAAAgCAYAAACinX6EAAAAQUlEQVR42u3QQREAAAQAMHH0PyG0ogd7rMCiK+ezECBAgAABAgQIECBAgAABAgQIECBAgAABAgQIECBAgAABAu5bF4sZPPr22T0AAAAASUVORK5CYII=' }
    }
}

function Get-TestManifestPath {
    $manifest = $env:OPENAIIMAGES_TEST_MANIFEST
    if (-not $manifest) {
        throw 'OPENAIIMAGES_TEST_MANIFEST is not set. Run the suite with ./build.ps1 -Task Test, or set it to out/OpenAIImages/<version>/OpenAIImages.psd1 after ./build.ps1 -Task Build.'
    }
    if (-not (Test-Path -LiteralPath $manifest -PathType Leaf)) {
        throw "OPENAIIMAGES_TEST_MANIFEST names '$manifest', which does not exist. Build the module first (./build.ps1 -Task Build)."
    }
    (Resolve-Path -LiteralPath $manifest).ProviderPath
}

function Import-ModuleUnderTest {
    # Only the built manifest: never a copy from PSModulePath, never the source tree.
    $manifest = Get-TestManifestPath
    $moduleBase = Split-Path -Parent $manifest
    $loaded = Get-Module -Name OpenAIImages
    if ($loaded -and $loaded.ModuleBase -ne $moduleBase) {
        throw "Another OpenAIImages is already loaded in this session, from $($loaded.ModuleBase). Run the suite in a fresh pwsh (build.ps1 does)."
    }
    if (-not $loaded) { Import-Module -Name $manifest -ErrorAction Stop }
    Get-Module -Name OpenAIImages
}

function Start-TestServer {
    # Imported without -Force, so every file of one run shares the one build of the server.
    Import-Module -Name (Join-Path (Get-RepositoryRoot) 'tools/FakeApi.psm1')
    $project = $env:OPENAIIMAGES_TEST_FAKEAPI
    if (-not $project) { $project = Join-Path (Get-RepositoryRoot) 'tests/OpenAIImages.FakeApi/OpenAIImages.FakeApi.csproj' }
    Start-OpenAIImagesFakeApi -ProjectPath $project -ApiKey 'test-key'
}

function Stop-TestServer {
    param([object] $Server)
    if ($Server) { $Server | Stop-OpenAIImagesFakeApi }
}

function New-TestPng {
    # Writes one of the test PNGs and returns its FileInfo.
    param(
        [Parameter(Mandatory)] [string] $Path,
        [ValidateSet('Red', 'Green', 'Blue', 'Wide')] [string] $Kind = 'Red'
    )
    $parent = Split-Path -Parent $Path
    if ($parent -and -not (Test-Path -LiteralPath $parent)) { New-Item -ItemType Directory -Path $parent -Force | Out-Null }
    [System.IO.File]::WriteAllBytes($Path, [Convert]::FromBase64String((Get-TestPngBase64 -Kind $Kind)))
    Get-Item -LiteralPath $Path
}

function Get-TestPngBytes {
    param([ValidateSet('Red', 'Green', 'Blue', 'Wide')] [string] $Kind = 'Red')
    , [Convert]::FromBase64String((Get-TestPngBase64 -Kind $Kind))
}

function Get-FileHashText {
    param([Parameter(Mandatory)] [string] $Path)
    (Get-FileHash -LiteralPath $Path -Algorithm SHA256).Hash
}

function Get-BytesHashText {
    param([Parameter(Mandatory)] [byte[]] $Bytes)
    $sha = [System.Security.Cryptography.SHA256]::Create()
    try { ([BitConverter]::ToString($sha.ComputeHash($Bytes))).Replace('-', '') } finally { $sha.Dispose() }
}

function Test-PngSignature {
    param([Parameter(Mandatory)] [string] $Path)
    $bytes = [System.IO.File]::ReadAllBytes($Path)
    $bytes.Length -gt 8 -and $bytes[0] -eq 0x89 -and $bytes[1] -eq 0x50 -and $bytes[2] -eq 0x4E -and $bytes[3] -eq 0x47
}

function Clear-OpenAIEnvironment {
    # The runner's own OPENAI_* variables must not steer the tests (a real key, another default model); returns what
    # was there, for Restore-OpenAIEnvironment in AfterAll.
    $saved = @{}
    foreach ($name in 'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'OPENAI_ORG_ID', 'OPENAI_PROJECT_ID', 'OPENAI_IMAGE_MODEL') {
        $saved[$name] = [Environment]::GetEnvironmentVariable($name)
        [Environment]::SetEnvironmentVariable($name, $null)
    }
    $saved
}

function Restore-OpenAIEnvironment {
    param([hashtable] $Saved)
    if (-not $Saved) { return }
    foreach ($name in $Saved.Keys) { [Environment]::SetEnvironmentVariable($name, $Saved[$name]) }
}
