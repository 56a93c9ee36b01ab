<#
    Starts and stops tests/OpenAIImages.FakeApi, the loopback OpenAI-compatible server, for the demo and the Pester
    suite. The server is built once per session and run as `dotnet <dll>` rather than `dotnet run`, so there is one
    process to stop (dotnet run leaves its child running when only the parent is killed).
    Works on PowerShell 7 (Windows, Linux, macOS) and Windows PowerShell 5.1.
#>

Set-StrictMode -Version Latest

# Built assemblies by project path, so every test file of one Pester run shares one build.
$script:BuiltAssemblies = @{}

function Get-DefaultFakeApiProject {
    Join-Path (Split-Path -Parent $PSScriptRoot) 'tests/OpenAIImages.FakeApi/OpenAIImages.FakeApi.csproj'
}

function Get-DotnetPath {
    $dotnet = Get-Command -Name dotnet -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $dotnet) { throw 'The .NET SDK (dotnet) was not found on PATH; it is needed to build and run the FakeApi server.' }
    $dotnet.Source
}

function Get-OpenAIImagesFakeApiAssembly {
    <#
    .SYNOPSIS
        Builds the FakeApi project (Release) once per session and returns the path of its dll.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [string] $ProjectPath = (Get-DefaultFakeApiProject),
        [switch] $Rebuild
    )
    if (-not (Test-Path -LiteralPath $ProjectPath -PathType Leaf)) { throw "The FakeApi project '$ProjectPath' does not exist." }
    $project = (Resolve-Path -LiteralPath $ProjectPath).ProviderPath
    if (-not $Rebuild -and $script:BuiltAssemblies.ContainsKey($project)) { return $script:BuiltAssemblies[$project] }

    # dotnet writes progress to stderr at times; under 'Stop', Windows PowerShell would turn that into an error.
    $ErrorActionPreference = 'Continue'
    $dotnet = Get-DotnetPath
    $buildOutput = & $dotnet build $project -c Release --nologo -v quiet 2>&1
    if ($LASTEXITCODE -ne 0) {
        throw "Building the FakeApi failed (dotnet build exit code $LASTEXITCODE):`n$($buildOutput -join [Environment]::NewLine)"
    }

    # Ask MSBuild where the dll is (SDK 8 and later); fall back to the conventional output folder.
    $assembly = $null
    $targetPath = & $dotnet msbuild $project -getProperty:TargetPath -p:Configuration=Release 2>$null
    if ($LASTEXITCODE -eq 0 -and $targetPath) {
        $candidate = ([string]($targetPath | Select-Object -Last 1)).Trim()
        if ($candidate -and (Test-Path -LiteralPath $candidate -PathType Leaf)) { $assembly = $candidate }
    }
    if (-not $assembly) {
        $assembly = Get-ChildItem -Path (Join-Path (Split-Path -Parent $project) 'bin/Release') -Recurse -Filter 'OpenAIImages.FakeApi.dll' -ErrorAction SilentlyContinue |
            Sort-Object -Property LastWriteTimeUtc -Descending |
            Select-Object -First 1 -ExpandProperty FullName
    }
    if (-not $assembly) { throw "The FakeApi was built, but OpenAIImages.FakeApi.dll was not found under $(Split-Path -Parent $project)." }
    $script:BuiltAssemblies[$project] = $assembly
    $assembly
}

function Start-OpenAIImagesFakeApi {
    <#
    .SYNOPSIS
        Starts the FakeApi server on a free loopback port and returns its BaseUri, ApiKey and Process.
    .DESCRIPTION
        Builds the project once per session, starts it, and waits for its one line
        "FakeApi listening on http://127.0.0.1:PORT/v1/". Stop it with Stop-OpenAIImagesFakeApi.
    .EXAMPLE
        $fake = Start-OpenAIImagesFakeApi
        try { New-OpenAIImage 'A cat' -ApiKey $fake.ApiKey -BaseUri $fake.BaseUri } finally { $fake | Stop-OpenAIImagesFakeApi }
    #>
    [CmdletBinding()]
    param(
        # The FakeApi .csproj; defaults to tests/OpenAIImages.FakeApi in this repository.
        [string] $ProjectPath = (Get-DefaultFakeApiProject),

        # The key the server accepts.
        [ValidateNotNullOrEmpty()]
        [string] $ApiKey = 'test-key',

        # Waited before every answer, to make progress and throttling visible.
        [ValidateRange(0, 600000)]
        [int] $LatencyMs = 0,

        # How long to wait for the server's "listening on" line.
        [ValidateRange(1, 3600)]
        [int] $TimeoutSec = 90
    )

    $assembly = Get-OpenAIImagesFakeApiAssembly -ProjectPath $ProjectPath

    $startInfo = New-Object -TypeName System.Diagnostics.ProcessStartInfo
    $startInfo.FileName = Get-DotnetPath
    $arguments = '"{0}" --port 0 --api-key "{1}"' -f $assembly, $ApiKey
    if ($LatencyMs -gt 0) { $arguments += " --latency-ms $LatencyMs" }
    $startInfo.Arguments = $arguments
    $startInfo.WorkingDirectory = Split-Path -Parent $assembly
    $startInfo.UseShellExecute = $false
    $startInfo.CreateNoWindow = $true
    $startInfo.RedirectStandardOutput = $true
    $startInfo.RedirectStandardError = $true

    $process = [System.Diagnostics.Process]::Start($startInfo)
    $errorText = $process.StandardError.ReadToEndAsync()
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    $baseUri = $null
    $seen = New-Object -TypeName System.Collections.Generic.List[string]
    try {
        while (-not $baseUri) {
            $line = $process.StandardOutput.ReadLineAsync()
            while (-not $line.Wait(250)) {
                if ([DateTime]::UtcNow -gt $deadline) {
                    throw "The FakeApi did not report 'FakeApi listening on ...' within $TimeoutSec s. Output so far: $($seen -join ' | ')"
                }
            }
            if ($null -eq $line.Result) {
                $process.WaitForExit(5000) | Out-Null
                $code = if ($process.HasExited) { $process.ExitCode } else { 'unknown' }
                throw "The FakeApi exited (code $code) before it was listening. Output: $($seen -join ' | ') $($errorText.Result)"
            }
            $seen.Add($line.Result)
            if ($line.Result -match 'listening on (\S+)') { $baseUri = [Uri] $Matches[1] }
        }
    }
    catch {
        Stop-ProcessQuietly -Process $process
        throw
    }

    # Keep reading stdout so a chatty server can never block on a full pipe.
    $outputText = $process.StandardOutput.ReadToEndAsync()

    [pscustomobject]@{
        PSTypeName = 'OpenAIImages.FakeApi'
        BaseUri    = $baseUri
        ApiKey     = $ApiKey
        Process    = $process
        Output     = $outputText
        ErrorText  = $errorText
    }
}

function Stop-ProcessQuietly {
    param([System.Diagnostics.Process] $Process)
    if (-not $Process) { return }
    try {
        if (-not $Process.HasExited) {
            # Kill(true) ends the whole tree on .NET Core 3 and later; Windows PowerShell's .NET Framework has only Kill().
            $killTree = $Process.GetType().GetMethod('Kill', [Type[]] @([bool]))
            if ($killTree) { $Process.Kill($true) } else { $Process.Kill() }
            $Process.WaitForExit(10000) | Out-Null
        }
    }
    catch [System.InvalidOperationException] {
        # It exited between the check and the kill.
    }
    finally {
        $Process.Dispose()
    }
}

function Stop-OpenAIImagesFakeApi {
    <#
    .SYNOPSIS
        Stops a server started by Start-OpenAIImagesFakeApi (its whole process tree). Safe to call twice.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, ValueFromPipeline)]
        [AllowNull()]
        [object] $FakeApi
    )
    process {
        if ($null -eq $FakeApi) { return }
        Stop-ProcessQuietly -Process $FakeApi.Process
    }
}

Export-ModuleMember -Function Start-OpenAIImagesFakeApi, Stop-OpenAIImagesFakeApi, Get-OpenAIImagesFakeApiAssembly
