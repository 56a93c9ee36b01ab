#Requires -Version 5.1
<#
.SYNOPSIS
    Builds, tests, documents and packages the OpenAIImages module.
.DESCRIPTION
    Build:   dotnet publish, then copies a named list of files into out/OpenAIImages/<version>/ (failing if one is
             missing, or if the publish has an assembly no list names) and stamps the version from
             Directory.Build.props into the manifest. The module folder holds OpenAIImages.dll, the manifest and
             the format file; the engine, the load context and every third-party assembly go to dependencies/.
    Test:    Build; MAML help as in Docs when PlatyPS is installed; then dotnet test, then the Pester suite in a child
             pwsh against the built module only. Without PlatyPS the help gate (tests/pester/Help.Tests.ps1) is
             reported as skipped, with the reason, rather than failed: the code can be tested on a machine without
             PlatyPS, and Package, which needs PlatyPS, still cannot ship a module without help.
    Docs:    Build, then MAML help from docs/en-US with PlatyPS into the built module folder (en-US/).
    Package: Build and Docs, then publishes to a local repository folder (out/repository) and leaves the .nupkg there.
.EXAMPLE
    ./build.ps1 -Task Build
.EXAMPLE
    ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Docs', 'Package')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Run only the Pester part of -Task Test (CI runs dotnet test itself).
    [switch] $SkipDotnetTest
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot

function Get-ModuleVersion {
    [xml] $props = Get-Content -LiteralPath (Join-Path $root 'Directory.Build.props') -Raw
    $version = $props.Project.PropertyGroup | ForEach-Object { $_.ModuleVersion } | Where-Object { $_ } | Select-Object -First 1
    if (-not $version) { throw 'Directory.Build.props has no ModuleVersion.' }
    [string] $version
}

function Invoke-Dotnet {
    # A simple function on purpose, taking its arguments through $args: with a param block it would be an advanced
    # function with the common parameters, and dotnet's own '-o' would be refused as ambiguous (-OutVariable,
    # -OutBuffer) before dotnet ever ran.
    # To the host, not the pipeline: Invoke-Build returns the module folder, and dotnet's lines must not join it.
    & dotnet @args | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE." }
}

function Copy-PublishedFile {
    param([string] $Publish, [string] $Name, [string] $Destination)
    $source = Join-Path $Publish $Name
    if (-not (Test-Path -LiteralPath $source)) { throw "Build output is missing $Name." }
    Copy-Item -LiteralPath $source -Destination $Destination
}

function Invoke-Build {
    $version = Get-ModuleVersion
    $publish = Join-Path $root "out/publish"
    $moduleDir = Join-Path $root "out/OpenAIImages/$version"
    if (Test-Path -LiteralPath $publish) { Remove-Item -LiteralPath $publish -Recurse -Force }
    if (Test-Path -LiteralPath $moduleDir) { Remove-Item -LiteralPath $moduleDir -Recurse -Force }

    Invoke-Dotnet publish (Join-Path $root 'src/OpenAIImages/OpenAIImages.csproj') -c $Configuration -o $publish --nologo
    Invoke-Dotnet publish (Join-Path $root 'src/OpenAIImages.LoadContext/OpenAIImages.LoadContext.csproj') -c $Configuration -o $publish --nologo

    # The module folder holds exactly these files; a missing one fails the build rather than shipping a broken module.
    # Only what PowerShell itself loads sits in the module folder. Everything the cmdlets need goes to dependencies/,
    # where nothing probes on its own: the module's initializer resolves it from there, into a private load context
    # on PowerShell 7 (OpenAIImages.LoadContext.dll) and through AssemblyResolve on Windows PowerShell.
    $moduleFiles = @(
        'OpenAIImages.dll'
    )
    $dependencyFiles = @(
        'OpenAIImages.Engine.dll'
        'OpenAIImages.LoadContext.dll'
        'Microsoft.Bcl.AsyncInterfaces.dll'
        'Microsoft.Extensions.Configuration.Abstractions.dll'
        'Microsoft.Extensions.DependencyInjection.Abstractions.dll'
        'Microsoft.Extensions.DependencyInjection.dll'
        'Microsoft.Extensions.Http.dll'
        'Microsoft.Extensions.Logging.Abstractions.dll'
        'Microsoft.Extensions.Logging.dll'
        'Microsoft.Extensions.Options.dll'
        'Microsoft.Extensions.Primitives.dll'
        'System.Buffers.dll'
        'System.ComponentModel.Annotations.dll'
        'System.Diagnostics.DiagnosticSource.dll'
        'System.Memory.dll'
        'System.Numerics.Vectors.dll'
        'System.Runtime.CompilerServices.Unsafe.dll'
        'System.Text.Encodings.Web.dll'
        'System.Text.Json.dll'
        'System.Threading.Tasks.Extensions.dll'
    )

    # A new package brings new assemblies: name each one above, or the module would fail to load it at run time.
    $unlisted = @(Get-ChildItem -LiteralPath $publish -Filter '*.dll' | Where-Object { ($moduleFiles + $dependencyFiles) -notcontains $_.Name })
    if ($unlisted.Count -gt 0) {
        throw "Build output has assemblies no list names: $(($unlisted | ForEach-Object { $_.Name }) -join ', '). Add them to `$dependencyFiles in build.ps1."
    }

    $dependencyDir = Join-Path $moduleDir 'dependencies'
    New-Item -ItemType Directory -Path $dependencyDir -Force | Out-Null
    foreach ($file in $moduleFiles) { Copy-PublishedFile -Publish $publish -Name $file -Destination $moduleDir }
    foreach ($file in $dependencyFiles) { Copy-PublishedFile -Publish $publish -Name $file -Destination $dependencyDir }
    Copy-Item -LiteralPath (Join-Path $root 'src/OpenAIImages/OpenAIImages.Format.ps1xml') -Destination $moduleDir

    $manifest = Get-Content -LiteralPath (Join-Path $root 'OpenAIImages.psd1') -Raw
    $manifest = $manifest -replace "ModuleVersion\s*=\s*'[^']*'", "ModuleVersion        = '$version'"
    Set-Content -LiteralPath (Join-Path $moduleDir 'OpenAIImages.psd1') -Value $manifest -Encoding UTF8

    Write-Host "Built OpenAIImages $version in $moduleDir"
    $moduleDir
}

function ConvertTo-Literal {
    param([string] $Text)
    "'" + ($Text -replace "'", "''") + "'"
}

function Invoke-PesterSuite {
    param(
        [string] $ModuleDir,

        # Why the help gate cannot run (no MAML was built); empty when the help is there.
        [string] $SkipHelpReason
    )
    $pwsh = Get-Command pwsh -ErrorAction SilentlyContinue
    if (-not $pwsh) {
        Write-Warning 'pwsh was not found: the Pester suite (tests/pester) was SKIPPED. Install PowerShell 7 to run it.'
        return
    }
    $manifest = Join-Path $ModuleDir 'OpenAIImages.psd1'
    $fakeApi = Join-Path $root 'tests/OpenAIImages.FakeApi/OpenAIImages.FakeApi.csproj'
    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module Pester -MinimumVersion 5.5
`$env:OPENAIIMAGES_TEST_MANIFEST = $(ConvertTo-Literal $manifest)
`$env:OPENAIIMAGES_TEST_FAKEAPI = $(ConvertTo-Literal $fakeApi)
`$env:OPENAIIMAGES_TEST_SKIP_HELP = $(ConvertTo-Literal $SkipHelpReason)
`$config = New-PesterConfiguration
`$config.Run.Path = $(ConvertTo-Literal (Join-Path $root 'tests/pester'))
`$config.Run.Exit = `$true
`$config.Output.Verbosity = 'Detailed'
Invoke-Pester -Configuration `$config
"@
    # A child process, so the suite sees only the built module and nothing this session loaded.
    & $pwsh.Source -NoProfile -NonInteractive -Command $script
    if ($LASTEXITCODE -ne 0) { throw "The Pester suite failed (exit code $LASTEXITCODE)." }
}

function Invoke-Docs {
    param([string] $ModuleDir)
    if (-not (Get-Module -ListAvailable -Name platyPS)) {
        throw 'PlatyPS is required for -Task Docs: Install-Module platyPS -Scope CurrentUser'
    }
    Import-Module platyPS
    $helpDir = Join-Path $ModuleDir 'en-US'
    New-ExternalHelp -Path (Join-Path $root 'docs/en-US') -OutputPath $helpDir -Force | Out-Null
    foreach ($file in 'OpenAIImages.dll-Help.xml', 'about_OpenAIImages.help.txt') {
        if (-not (Test-Path -LiteralPath (Join-Path $helpDir $file))) { throw "PlatyPS did not write $file into $helpDir." }
    }
    Write-Host "Help written to $helpDir"
}

function Invoke-Package {
    param([string] $ModuleDir)
    $repository = Join-Path $root 'out/repository'
    New-Item -ItemType Directory -Path $repository -Force | Out-Null
    if (Get-Command Publish-PSResource -ErrorAction SilentlyContinue) {
        $name = 'OpenAIImagesLocal'
        if (-not (Get-PSResourceRepository -Name $name -ErrorAction SilentlyContinue)) {
            Register-PSResourceRepository -Name $name -Uri $repository -Trusted
        }
        Publish-PSResource -Path $ModuleDir -Repository $name
    }
    else {
        $name = 'OpenAIImagesLocal'
        if (-not (Get-PSRepository -Name $name -ErrorAction SilentlyContinue)) {
            Register-PSRepository -Name $name -SourceLocation $repository -PublishLocation $repository -InstallationPolicy Trusted
        }
        Publish-Module -Path $ModuleDir -Repository $name
    }
    Get-ChildItem -LiteralPath $repository -Filter '*.nupkg' | ForEach-Object { Write-Host "Package: $($_.FullName)" }
}

switch ($Task) {
    'Build' { Invoke-Build | Out-Null }
    'Test' {
        $moduleDir = Invoke-Build
        $skipHelpReason = ''
        if (Get-Module -ListAvailable -Name platyPS) {
            Invoke-Docs -ModuleDir $moduleDir
        }
        else {
            $skipHelpReason = 'PlatyPS is not installed, so build.ps1 built no MAML help (Install-Module platyPS -Scope CurrentUser).'
            Write-Warning "$skipHelpReason The help gate is reported as skipped."
        }
        if (-not $SkipDotnetTest) { Invoke-Dotnet test (Join-Path $root 'OpenAIImages.sln') -c $Configuration --nologo }
        Invoke-PesterSuite -ModuleDir $moduleDir -SkipHelpReason $skipHelpReason
    }
    'Docs' {
        $moduleDir = Invoke-Build
        Invoke-Docs -ModuleDir $moduleDir
    }
    'Package' {
        $moduleDir = Invoke-Build
        Invoke-Docs -ModuleDir $moduleDir
        Invoke-Package -ModuleDir $moduleDir
    }
}
