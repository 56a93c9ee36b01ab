#Requires -Version 5.1
<#
.SYNOPSIS
    The module's version: ModuleVersion in Directory.Build.props, its one source. build.ps1 stamps it into the built
    manifest and names the build folder out/OpenAIImages/<version> after it; the demo and the Pester suite find the
    build there.
#>
[CmdletBinding()]
param()

$ErrorActionPreference = 'Stop'
[xml] $props = Get-Content -LiteralPath (Join-Path (Split-Path -Parent $PSScriptRoot) 'Directory.Build.props') -Raw
$version = $props.Project.PropertyGroup | ForEach-Object { $_.ModuleVersion } | Where-Object { $_ } | Select-Object -First 1
if (-not $version) { throw 'Directory.Build.props has no ModuleVersion.' }
[string] $version
