# The Gallery path: the package build.ps1 -Task Package publishes to a local PSResourceGet repository is installed with
# Install-PSResource and used as a user would, in a fresh pwsh. On Linux and macOS that pwsh gets a home of its own
# (HOME, where PSResourceGet puts CurrentUser modules, and XDG_DATA_HOME, where it keeps repositories and PowerShell
# looks for them), so the repository it registers and the module it installs land in a temporary folder and never in
# the runner's own settings or modules. Windows places CurrentUser modules in the Documents known folder, which no
# variable of the child can move, so there the test is skipped, with that reason, rather than install into the
# runner's own profile.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $manifest = Get-TestManifestPath
    $version = (Import-PowerShellDataFile -LiteralPath $manifest).ModuleVersion
    $repository = Get-TestRepositoryPath
    $package = Join-Path $repository "OpenAIImages.$version.nupkg"
    $server = Start-TestServer
    $installRoot = Join-Path ([System.IO.Path]::GetTempPath()) ('OpenAIImages-install-' + [guid]::NewGuid().ToString('N'))
    $work = Join-Path $installRoot 'work'
    New-Item -ItemType Directory -Path $work -Force | Out-Null

    $script = @'
param($Repository, $Version, $BaseUri, $Work)
$ErrorActionPreference = 'Stop'
$name = 'OpenAIImagesInstallTest'
Register-PSResourceRepository -Name $name -Uri $Repository -Trusted
try {
    Install-PSResource -Name OpenAIImages -Version $Version -Repository $name -Scope CurrentUser -Quiet
    Import-Module OpenAIImages
    $module = Get-Module OpenAIImages
    $examples = @((Get-Help New-OpenAIImage -Examples).Examples.Example)
    Set-Location -LiteralPath $Work
    $image = New-OpenAIImage 'An installed lighthouse' -ApiKey 'test-key' -BaseUri $BaseUri -OutputDirectory ./images
    $registered = @(Get-PSResourceRepository -Name $name).Count
}
finally {
    Unregister-PSResourceRepository -Name $name
}
[pscustomobject]@{
    ModuleBase   = $module.ModuleBase
    Version      = [string] $module.Version
    Examples     = $examples.Count
    ExampleCode  = [string] $examples[0].Code
    SavedPath    = $image.Path
    Registered   = $registered
    LeftAfter    = @(Get-PSResourceRepository -Name $name -ErrorAction SilentlyContinue).Count
} | ConvertTo-Json -Compress
'@
    $scriptFile = Join-Path $installRoot 'install.ps1'
    Set-Content -LiteralPath $scriptFile -Value $script -Encoding UTF8

    $skipReason = if ($IsWindows) { 'Install-PSResource -Scope CurrentUser installs into the Documents folder, which the test cannot move away from the runner''s own modules' } else { '' }
    $text = @(); $exitCode = -1; $result = $null
    if (-not $skipReason) {
        $saved = @{ HOME = $env:HOME; XDG_DATA_HOME = $env:XDG_DATA_HOME; XDG_CONFIG_HOME = $env:XDG_CONFIG_HOME }
        $env:HOME = Join-Path $installRoot 'home'
        $env:XDG_DATA_HOME = Join-Path $installRoot 'home/.local/share'
        $env:XDG_CONFIG_HOME = Join-Path $installRoot 'home/.config'
        # They must exist: .NET reports a missing data or config folder as '', and PSResourceGet would then keep its
        # repository list (and NuGet its NuGet.Config) in the current directory.
        New-Item -ItemType Directory -Path $env:XDG_DATA_HOME, $env:XDG_CONFIG_HOME -Force | Out-Null
        try {
            $output = & (Get-TestPwsh) -NoProfile -NonInteractive -File $scriptFile -Repository $repository -Version $version -BaseUri ([string] $server.BaseUri) -Work $work 2>&1
            $exitCode = $LASTEXITCODE
        }
        finally {
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        }
        $text = @($output | ForEach-Object { [string] $_ })
        if ($exitCode -eq 0) { $result = $text[-1] | ConvertFrom-Json }
    }
}

AfterAll {
    Stop-TestServer -Server $server
    if ($installRoot -and (Test-Path -LiteralPath $installRoot)) { Remove-Item -LiteralPath $installRoot -Recurse -Force }
}

Describe 'Install-PSResource OpenAIImages from a local repository' {
    BeforeEach {
        if ($skipReason) { Set-ItResult -Skipped -Because $skipReason }
    }

    It 'has the package build.ps1 published' {
        Test-Path -LiteralPath $package -PathType Leaf | Should -BeTrue -Because 'build.ps1 -Task Package publishes to that repository'
    }

    It 'installs, imports and runs in a fresh pwsh' {
        $exitCode | Should -Be 0 -Because ($text -join [Environment]::NewLine)
        $result | Should -Not -BeNullOrEmpty
    }

    It 'imports the installed copy, not the build' {
        $result.ModuleBase | Should -BeLike (Join-Path $installRoot '*')
        $result.ModuleBase | Should -Not -Be (Split-Path -Parent $manifest)
        $result.Version | Should -Be $version
    }

    It 'carries its help: Get-Help -Examples shows examples with code' {
        $result.Examples | Should -BeGreaterOrEqual 3
        $result.ExampleCode | Should -Match 'New-OpenAIImage'
    }

    It 'makes an image against the loopback server and saves it' {
        $result.SavedPath | Should -BeLike (Join-Path $work '*')
        Test-Path -LiteralPath $result.SavedPath -PathType Leaf | Should -BeTrue
        Test-PngSignature -Path $result.SavedPath | Should -BeTrue
    }

    It 'registered the repository for the install in its own data folder, and unregistered it after' {
        $result.Registered | Should -Be 1
        $result.LeftAfter | Should -Be 0
        Test-Path -LiteralPath (Join-Path $installRoot 'home/.local/share/PSResourceGet') | Should -BeTrue
        foreach ($stray in 'PSResourceGet', 'NuGet') {
            Test-Path -LiteralPath (Join-Path (Get-Location) $stray) | Should -BeFalse -Because 'nothing is written into the current directory'
        }
    }
}
