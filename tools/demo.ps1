#Requires -Version 5.1
<#
.SYNOPSIS
    Generates one image with the built module against the bundled loopback server: no key or network needed.
.DESCRIPTION
    Run after ./build.ps1 -Task Docs. Starts tests/OpenAIImages.FakeApi on 127.0.0.1, imports the module only from
    out/OpenAIImages/<version>/ (the version from Directory.Build.props), shows the start of its help, generates a
    1536x1024 image into ./out/demo, shows the result and where it was saved, and stops the server.
.EXAMPLE
    dotnet tool restore; dotnet pwsh -NoProfile -Command "./build.ps1 -Task Docs; ./tools/demo.ps1"
#>
[CmdletBinding()]
param(
    [string] $Prompt = 'A lighthouse on a cliff at dawn, watercolor',

    [string] $OutputDirectory = './out/demo'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = Split-Path -Parent $PSScriptRoot

$version = & (Join-Path $PSScriptRoot 'Get-ModuleVersion.ps1')
$manifest = Join-Path $root "out/OpenAIImages/$version/OpenAIImages.psd1"
if (-not (Test-Path -LiteralPath $manifest -PathType Leaf)) {
    throw "The built module was not found at $manifest. Run ./build.ps1 -Task Docs first."
}
if (-not (Test-Path -LiteralPath (Join-Path (Split-Path -Parent $manifest) 'en-US/OpenAIImages.dll-Help.xml') -PathType Leaf)) {
    Write-Warning 'The module was built without its help: run ./build.ps1 -Task Docs for Get-Help to show it.'
}

# This exact build, never another OpenAIImages from PSModulePath.
Import-Module -Name $manifest -Force
Import-Module -Name (Join-Path $PSScriptRoot 'FakeApi.psm1') -Force

$help = Get-Help -Name New-OpenAIImage
Write-Host "Get-Help New-OpenAIImage: $($help.Synopsis) ($(@($help.Examples.Example).Count) examples)"
$about = @((Get-Help -Name about_OpenAIImages | Out-String) -split "`r?`n" | Where-Object { $_.Trim() })
Write-Host "Get-Help about_OpenAIImages: $($about.Count) lines, beginning:"
$about | Select-Object -First 4 | ForEach-Object { Write-Host "    $_" }

Write-Host 'Starting the loopback server (the first run builds it)...'
$fake = Start-OpenAIImagesFakeApi -ProjectPath (Join-Path $root 'tests/OpenAIImages.FakeApi/OpenAIImages.FakeApi.csproj')
try {
    Write-Host "Server: $($fake.BaseUri)"
    $image = New-OpenAIImage $Prompt -ApiKey $fake.ApiKey -BaseUri $fake.BaseUri -OutputDirectory $OutputDirectory -Size 1536x1024
    $image | Format-Table | Out-Host
    Write-Host "Saved: $($image.Path)"
}
finally {
    $fake | Stop-OpenAIImagesFakeApi
}
