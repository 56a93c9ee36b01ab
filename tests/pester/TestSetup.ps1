# Shared setup for the Pester suite. Dot-source it in each file's BeforeAll:
#     BeforeAll { . (Join-Path $PSScriptRoot 'TestSetup.ps1') }
# The suite tests the built module only, named by OPENAIIMAGES_TEST_MANIFEST (its psd1). build.ps1 -Task Test sets
# that, OPENAIIMAGES_TEST_FAKEAPI (the FakeApi .csproj) and OPENAIIMAGES_TEST_REPOSITORY (the local repository the
# package was published to). Run directly, with OPENAIIMAGES_TEST_MANIFEST unset:
#     Invoke-Pester ./tests/pester -Output Detailed
# the suite builds the module once for the process, in a child pwsh, with build.ps1 -Task Package (the help, and the
# package the install test takes), and sets OPENAIIMAGES_TEST_MANIFEST to out/OpenAIImages/<version>/OpenAIImages.psd1
# (the version is ModuleVersion in Directory.Build.props), where the other files find it. To test an existing build:
#     $env:OPENAIIMAGES_TEST_MANIFEST = (Resolve-Path ./out/OpenAIImages/*/OpenAIImages.psd1).Path
#     Invoke-Pester ./tests/pester/New-OpenAIImage.Tests.ps1 -Output Detailed
# A loaded module cannot be replaced, so changed code is tested in a fresh pwsh.

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
    if (-not $env:OPENAIIMAGES_TEST_MANIFEST) { Invoke-TestModuleBuild }
    $manifest = $env:OPENAIIMAGES_TEST_MANIFEST
    if (-not (Test-Path -LiteralPath $manifest -PathType Leaf)) {
        throw "OPENAIIMAGES_TEST_MANIFEST names '$manifest', which does not exist. Build the module first (./build.ps1 -Task Build), or leave the variable unset to have the suite build it."
    }
    (Resolve-Path -LiteralPath $manifest).ProviderPath
}

function Get-TestModuleVersion {
    # The version folder of the build, as build.ps1 names it.
    & (Join-Path (Get-RepositoryRoot) 'tools/Get-ModuleVersion.ps1')
}

function Invoke-TestModuleBuild {
    # For a run without build.ps1 (OPENAIIMAGES_TEST_MANIFEST unset): builds the module once for this process and
    # sets OPENAIIMAGES_TEST_MANIFEST, so the files after the first reuse the build. A failed build is remembered for
    # the process, so the other files fail at once instead of building again.
    if ($global:OpenAIImagesTestBuildFailure) {
        throw "The module was not built: the build failed earlier in this pwsh session and is not tried again in it (start a new pwsh to build again). $global:OpenAIImagesTestBuildFailure"
    }
    # The exit code says whether the build worked: neither dotnet's lines on stderr nor the caller's preferences (a
    # runner may set $ErrorActionPreference = 'Stop') may end this function before it reads the code.
    $ErrorActionPreference = 'Continue'
    $PSNativeCommandUseErrorActionPreference = $false
    $loaded = Get-Module -Name OpenAIImages
    if ($loaded) {
        throw "OPENAIIMAGES_TEST_MANIFEST is not set, so the suite would build the module, but OpenAIImages is already loaded in this session (from $($loaded.ModuleBase)), and a loaded module cannot be replaced. Run the suite in a fresh pwsh, or set OPENAIIMAGES_TEST_MANIFEST to the built OpenAIImages.psd1."
    }

    $root = Get-RepositoryRoot
    # Package, as build.ps1 -Task Test: the MAML help the help gate checks, and the package the install test takes.
    $task = 'Package'
    # A child pwsh, as build.ps1 -Task Test runs the suite in one: nothing the build loads stays in this session.
    $pwsh = Get-TestPwsh
    Write-Host "OPENAIIMAGES_TEST_MANIFEST is not set: building the module for this run with build.ps1 -Task $task."
    $output = @(& $pwsh -NoProfile -NonInteractive -File (Join-Path $root 'build.ps1') -Task $task 2>&1 | ForEach-Object { [string] $_ })
    $exitCode = $LASTEXITCODE
    $manifest = Join-Path $root "out/OpenAIImages/$(Get-TestModuleVersion)/OpenAIImages.psd1"
    if ($exitCode -ne 0 -or -not (Test-Path -LiteralPath $manifest -PathType Leaf)) {
        $global:OpenAIImagesTestBuildFailure = "Building the module for the tests failed (build.ps1 -Task $task, exit code $exitCode; expected $manifest):`n$($output -join [Environment]::NewLine)"
        throw $global:OpenAIImagesTestBuildFailure
    }
    $env:OPENAIIMAGES_TEST_MANIFEST = $manifest
    Write-Host "Built $manifest"
}

function Get-TestPwsh {
    # The pwsh running the suite, for child processes (the build, a fresh session for the installed module).
    $pwsh = Join-Path $PSHOME $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })
    if (-not (Test-Path -LiteralPath $pwsh -PathType Leaf)) { throw "The suite starts child pwsh processes, and $pwsh does not exist." }
    $pwsh
}

function Get-TestRepositoryPath {
    # The local repository build.ps1 -Task Package publishes to.
    if ($env:OPENAIIMAGES_TEST_REPOSITORY) { return $env:OPENAIIMAGES_TEST_REPOSITORY }
    Join-Path (Get-RepositoryRoot) 'out/repository'
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
    # -LatencyMs holds every answer back, to make throttling and the waiting progress record observable.
    param([int] $LatencyMs = 0)
    Import-Module -Name (Join-Path (Get-RepositoryRoot) 'tools/FakeApi.psm1')
    $project = $env:OPENAIIMAGES_TEST_FAKEAPI
    if (-not $project) { $project = Join-Path (Get-RepositoryRoot) 'tests/OpenAIImages.FakeApi/OpenAIImages.FakeApi.csproj' }
    Start-OpenAIImagesFakeApi -ProjectPath $project -ApiKey 'test-key' -LatencyMs $LatencyMs
}

function Get-TestServerRoot {
    # The server's root (http://127.0.0.1:PORT/), which stands in for an Azure OpenAI resource: the FakeApi answers
    # /openai/deployments/NAME/images/... and /openai/v1/images/... there, with the key in api-key or as a bearer token.
    param([Parameter(Mandatory)] [object] $Server)
    [Uri]::new([Uri] $Server.BaseUri, '/')
}

function Get-TestServerTraffic {
    # What the server counted since its start or the last Reset-TestServerTraffic (GET /_fake/traffic): requests (API
    # requests taken, whatever the answer), inFlight and maxInFlight (the most it was handling at once), and
    # downloadsInFlight (URL images being served now). It tells what was sent without timing the client.
    param([Parameter(Mandatory)] [object] $Server)
    Invoke-RestMethod -Uri ([Uri]::new((Get-TestServerRoot -Server $Server), '_fake/traffic')) -NoProxy
}

function Reset-TestServerTraffic {
    # Zero counts and an empty recording.
    param([Parameter(Mandatory)] [object] $Server)
    $null = Invoke-RestMethod -Method Delete -Uri ([Uri]::new((Get-TestServerRoot -Server $Server), '_fake/traffic')) -NoProxy
    $null = Invoke-RestMethod -Method Delete -Uri ([Uri]::new((Get-TestServerRoot -Server $Server), '_fake/requests')) -NoProxy
}

function Get-TestServerRequest {
    # What arrived since the start or the last Reset-TestServerTraffic (GET /_fake/requests), oldest first: method,
    # path, status, requestId, errorCode, fields (form fields, or a JSON body's top-level values, as text), files
    # (name, fileName, contentType, length) and json (a JSON body whole).
    param([Parameter(Mandatory)] [object] $Server)
    $requests = Invoke-RestMethod -Uri ([Uri]::new((Get-TestServerRoot -Server $Server), '_fake/requests')) -NoProxy
    @($requests | ForEach-Object { $_ })
}

function Add-TestServerFault {
    # Adds one fault rule to the standalone server (POST /_fake/faults), e.g. @{ kind = 'Status'; statusCode = 429;
    # retryAfterSeconds = 1; maxTimes = 1 }. Rules stay until Clear-TestServerFault.
    param([Parameter(Mandatory)] [object] $Server, [Parameter(Mandatory)] [hashtable] $Rule)
    $null = Invoke-RestMethod -Method Post -Uri ([Uri]::new((Get-TestServerRoot -Server $Server), '_fake/faults')) -NoProxy -ContentType 'application/json' -Body ($Rule | ConvertTo-Json -Compress)
}

function Get-TestServerFault {
    # The rules with how many requests each saw and how often it fired.
    param([Parameter(Mandatory)] [object] $Server)
    $rules = Invoke-RestMethod -Uri ([Uri]::new((Get-TestServerRoot -Server $Server), '_fake/faults')) -NoProxy
    # The JSON array comes back as one object; its items are the rules.
    @($rules | ForEach-Object { $_ })
}

function Clear-TestServerFault {
    param([Parameter(Mandatory)] [object] $Server)
    $null = Invoke-RestMethod -Method Delete -Uri ([Uri]::new((Get-TestServerRoot -Server $Server), '_fake/faults')) -NoProxy
}

function Set-TestServerBatchOption {
    # Sets how the standalone server's batches behave (POST /_fake/batch-options), e.g. @{ stepMilliseconds = 100;
    # mode = 'Expire'; failEveryNth = 4; maxRequests = 10; maxBytes = 4096; contentChunkDelayMilliseconds = 100 }.
    param([Parameter(Mandatory)] [object] $Server, [Parameter(Mandatory)] [hashtable] $Option)
    $null = Invoke-RestMethod -Method Post -Uri ([Uri]::new((Get-TestServerRoot -Server $Server), '_fake/batch-options')) -NoProxy -ContentType 'application/json' -Body ($Option | ConvertTo-Json -Compress)
}

function Reset-TestServerBatchOption {
    param([Parameter(Mandatory)] [object] $Server)
    $null = Invoke-RestMethod -Method Delete -Uri ([Uri]::new((Get-TestServerRoot -Server $Server), '_fake/batch-options')) -NoProxy
}

function Get-ClosedLoopbackUri {
    # A base URI on a loopback port nothing listens on: every request fails to connect, at once.
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $port = ([System.Net.IPEndPoint] $listener.LocalEndpoint).Port } finally { $listener.Stop() }
    [Uri] "http://127.0.0.1:$port/v1/"
}

function Import-TestPngType {
    # OpenAIImagesTests.TestPng writes and reads PNGs with code of the suite's own (tests/pester/TestPng.cs), so the
    # module's images are checked without its codec. Compiled once per session: every file shares the type.
    if (-not ('OpenAIImagesTests.TestPng' -as [type])) {
        Add-Type -Path (Join-Path $PSScriptRoot 'TestPng.cs')
    }
}

function New-TestMaskPng {
    # A black-and-white mask: the left half black (to be redrawn), the right half white (kept).
    param(
        [Parameter(Mandatory)] [string] $Path,
        [int] $Width = 64,
        [int] $Height = 64
    )
    Write-TestFile -Path $Path -Bytes ([OpenAIImagesTests.TestPng]::BlackLeftWhiteRight($Width, $Height))
}

function New-TestSolidPng {
    param(
        [Parameter(Mandatory)] [string] $Path,
        [int] $Width = 64,
        [int] $Height = 64,
        [byte] $Red,
        [byte] $Green,
        [byte] $Blue
    )
    Write-TestFile -Path $Path -Bytes ([OpenAIImagesTests.TestPng]::Solid($Width, $Height, $Red, $Green, $Blue))
}

function Write-TestFile {
    param(
        [Parameter(Mandatory)] [string] $Path,
        [Parameter(Mandatory)] [byte[]] $Bytes
    )
    $parent = Split-Path -Parent $Path
    if ($parent -and -not (Test-Path -LiteralPath $parent)) { New-Item -ItemType Directory -Path $parent -Force | Out-Null }
    [System.IO.File]::WriteAllBytes($Path, $Bytes)
    Get-Item -LiteralPath $Path
}

function Read-TestPng {
    # Decodes a PNG (a file, or bytes such as a result's Bytes) into an OpenAIImagesTests.TestImage: Width, Height,
    # Pixel(x, y) as red, green, blue and alpha, and Alpha(x, y).
    param(
        [Parameter(Mandatory, ParameterSetName = 'Path')] [string] $Path,
        [Parameter(Mandatory, ParameterSetName = 'Bytes')] [byte[]] $Bytes
    )
    if ($PSCmdlet.ParameterSetName -eq 'Path') { $Bytes = [System.IO.File]::ReadAllBytes($Path) }
    [OpenAIImagesTests.TestPng]::Decode($Bytes)
}

function Get-AlphaLevels {
    # The distinct alpha values of a decoded image, in ascending order.
    param([Parameter(Mandatory)] [object] $Image)
    $levels = [System.Collections.Generic.SortedSet[int]]::new()
    $rgba = $Image.Rgba
    for ($i = 3; $i -lt $rgba.Length; $i += 4) { $null = $levels.Add([int] $rgba[$i]) }
    , ([int[]] @($levels))
}

function Get-TypeName {
    # The module's types live in a private load context on PowerShell 7, where [OpenAIImages.Engine...] does not
    # resolve in scripts; their full name is the first of PSTypeNames.
    param([Parameter(Mandatory)] [AllowNull()] [object] $InputObject)
    if ($null -eq $InputObject) { return $null }
    $InputObject.PSObject.TypeNames[0]
}

function Get-ShortActivity {
    # What the cmdlets show as a progress activity: the text itself up to 60 characters, else its first 57 and '...'.
    param([Parameter(Mandatory)] [string] $Text)
    if ($Text.Length -le 60) { $Text } else { $Text.Substring(0, 57) + '...' }
}

function Invoke-InNewRunspace {
    <#
        Runs a script block in a PowerShell instance of its own, with the module under test imported, and returns its
        output and streams. Progress records cannot be redirected in a script (there is no 4>&1 for them), but a
        PowerShell instance collects them in Streams.Progress, in the order they were written.
        The block runs in a new runspace: pass what it needs through -Arguments (bound to its param block by name),
        and use full paths, since the new runspace's location is the process's current directory.
    #>
    param(
        [Parameter(Mandatory)] [scriptblock] $ScriptBlock,
        [hashtable] $Arguments = @{}
    )
    $ps = [powershell]::Create()
    try {
        $null = $ps.AddCommand('Import-Module').AddParameter('Name', (Get-TestManifestPath)).AddParameter('ErrorAction', 'Stop')
        # Progress written under SilentlyContinue never reaches Streams.Progress, so the block does not rely on the default.
        $null = $ps.AddStatement().AddScript('$global:ProgressPreference = "Continue"')
        $null = $ps.AddStatement().AddScript($ScriptBlock.ToString(), $true).AddParameters($Arguments)
        $output = $ps.Invoke()
        [pscustomobject]@{
            Output   = @($output)
            Progress = @($ps.Streams.Progress)
            Errors   = @($ps.Streams.Error)
            Warnings = @($ps.Streams.Warning)
        }
    }
    finally {
        $ps.Dispose()
    }
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
    # The runner's own OPENAI_* and AZURE_OPENAI_* variables must not steer the tests (a real key, another default
    # model, an Azure resource); returns what was there, for Restore-OpenAIEnvironment in AfterAll.
    $saved = @{}
    foreach ($name in 'OPENAI_API_KEY', 'OPENAI_BASE_URL', 'OPENAI_ORG_ID', 'OPENAI_PROJECT_ID', 'OPENAI_IMAGE_MODEL', 'OPENAI_RESPONSES_MODEL', 'AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_ENDPOINT') {
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
