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
    Docs:    Build, then MAML help and the about topic from docs/en-US into the built module folder (en-US/), with
             platyPS 0.14, or with Microsoft.PowerShell.PlatyPS 1.x where platyPS 0.14 is not installed.
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
    & (Join-Path $root 'tools/Get-ModuleVersion.ps1')
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

function Get-HelpTool {
    # The PlatyPS to build help with. platyPS 0.14 first: docs/en-US is written in its schema, and New-ExternalHelp
    # also turns about_*.md into about_*.help.txt. Otherwise Microsoft.PowerShell.PlatyPS 1.x, which reads that schema
    # too (Import-MarkdownCommandHelp) but needs the fixes in Export-HelpWithPlatyPS1. Null when neither is installed.
    # Chosen by major version as well as name: the two lines of PlatyPS have different commands.
    $classic = Get-Module -ListAvailable -Name platyPS | Where-Object { $_.Version.Major -eq 0 } |
        Sort-Object -Property Version -Descending | Select-Object -First 1
    if ($classic) { return $classic }
    Get-Module -ListAvailable -Name Microsoft.PowerShell.PlatyPS | Where-Object { $_.Version.Major -ge 1 } |
        Sort-Object -Property Version -Descending | Select-Object -First 1
}

$script:MamlNamespace = @{
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
}

function Split-ExampleMarkdown {
    # One example's markdown (what follows its ### heading) as MAML wants it: the text before the first code fence,
    # the fenced code, and the text after it, each text as paragraphs (a paragraph's lines joined by spaces).
    param([string] $Markdown)
    $before = New-Object System.Collections.Generic.List[string]
    $code = New-Object System.Collections.Generic.List[string]
    $after = New-Object System.Collections.Generic.List[string]
    $inFence = $false
    $seenCode = $false
    foreach ($line in (($Markdown -replace "`r", '') -split "`n")) {
        if ($line -match '^\s*(```|~~~)') {
            if ($inFence) { $seenCode = $true }
            elseif ($code.Count -gt 0) { $code.Add('') }
            $inFence = -not $inFence
            continue
        }
        if ($inFence) { $code.Add($line) }
        elseif ($seenCode) { $after.Add($line) }
        else { $before.Add($line) }
    }
    @{
        Introduction = @(ConvertTo-Paragraph -Lines $before)
        Code         = ($code -join "`n")
        Remarks      = @(ConvertTo-Paragraph -Lines $after)
    }
}

function ConvertTo-Paragraph {
    param([System.Collections.Generic.List[string]] $Lines)
    $paragraph = New-Object System.Collections.Generic.List[string]
    foreach ($line in @($Lines) + '') {
        if ($line.Trim()) { $paragraph.Add($line.Trim()); continue }
        if ($paragraph.Count -gt 0) { $paragraph -join ' '; $paragraph.Clear() }
    }
}

function Add-MamlParagraphList {
    param([System.Xml.XmlElement] $Parent, [string] $Prefix, [string] $Name, [string[]] $Paragraphs)
    $document = $Parent.OwnerDocument
    $list = $document.CreateElement($Prefix, $Name, $script:MamlNamespace[$Prefix])
    foreach ($text in $Paragraphs) {
        $para = $document.CreateElement('maml', 'para', $script:MamlNamespace.maml)
        $para.InnerText = $text
        [void] $list.AppendChild($para)
    }
    [void] $Parent.AppendChild($list)
}

function Repair-MamlExample {
    # Microsoft.PowerShell.PlatyPS 1.x writes an example's whole markdown, code fence and all, into maml:introduction
    # and leaves dev:code empty (PowerShell/platyPS#792, closed as by design), so Get-Help would show examples without
    # code. Each example is rewritten from its markdown as platyPS 0.14 writes it: the fenced code in dev:code and the
    # text after it in dev:remarks. Examples without a code fence are left as PlatyPS wrote them.
    param([string] $Path, [object[]] $CommandHelp)

    # 1.x also writes the character reference &#x08; between paragraphs, which XML 1.0 does not allow, so the file is
    # read, and written back, without character checks.
    $maml = New-Object System.Xml.XmlDocument
    $maml.PreserveWhitespace = $true
    $readerSettings = New-Object System.Xml.XmlReaderSettings
    $readerSettings.CheckCharacters = $false
    $reader = [System.Xml.XmlReader]::Create($Path, $readerSettings)
    try { $maml.Load($reader) } finally { $reader.Dispose() }

    $ns = New-Object System.Xml.XmlNamespaceManager($maml.NameTable)
    foreach ($prefix in $script:MamlNamespace.Keys) { $ns.AddNamespace($prefix, $script:MamlNamespace[$prefix]) }

    foreach ($help in $CommandHelp) {
        $command = $null
        foreach ($candidate in $maml.SelectNodes('//command:command', $ns)) {
            $nameNode = $candidate.SelectSingleNode('command:details/command:name', $ns)
            if ($nameNode -and $nameNode.InnerText.Trim() -eq $help.Title) { $command = $candidate }
        }
        if (-not $command) { throw "The MAML help PlatyPS wrote has no command $($help.Title)." }

        $exampleNodes = New-Object System.Collections.Generic.List[System.Xml.XmlElement]
        foreach ($node in $command.SelectNodes('command:examples/command:example', $ns)) { $exampleNodes.Add($node) }
        if ($exampleNodes.Count -ne $help.Examples.Count) {
            throw "The MAML help of $($help.Title) has $($exampleNodes.Count) examples; its markdown has $($help.Examples.Count)."
        }
        for ($i = 0; $i -lt $exampleNodes.Count; $i++) {
            $parts = Split-ExampleMarkdown -Markdown $help.Examples[$i].Remarks
            if (-not $parts.Code) { continue }
            $node = $exampleNodes[$i]
            for ($k = $node.ChildNodes.Count - 1; $k -ge 0; $k--) {
                $child = $node.ChildNodes[$k]
                if ($child.LocalName -ne 'title') { [void] $node.RemoveChild($child) }
            }
            Add-MamlParagraphList -Parent $node -Prefix maml -Name introduction -Paragraphs $parts.Introduction
            $code = $maml.CreateElement('dev', 'code', $script:MamlNamespace.dev)
            $code.InnerText = $parts.Code
            [void] $node.AppendChild($code)
            Add-MamlParagraphList -Parent $node -Prefix dev -Name remarks -Paragraphs $parts.Remarks
        }
    }

    $writerSettings = New-Object System.Xml.XmlWriterSettings
    $writerSettings.Encoding = New-Object System.Text.UTF8Encoding($false)
    $writerSettings.CheckCharacters = $false
    $writer = [System.Xml.XmlWriter]::Create($Path, $writerSettings)
    try { $maml.Save($writer) } finally { $writer.Dispose() }
}

function ConvertTo-AboutTopicText {
    # An about topic's markdown as the plain text of about_*.help.txt, for Microsoft.PowerShell.PlatyPS 1.x, which
    # has no about-topic conversion (PowerShell/platyPS#709). Get-Help shows the file as it is and takes its fifth
    # line as the synopsis, so the head is laid out as platyPS 0.14 lays it out: TOPIC, the indented topic name, a
    # blank line, SHORT DESCRIPTION and its first line. docs/en-US/about_*.md is written as plain text already (lines
    # of at most 80 characters, examples indented), so the rest is kept as written: headings lose their #s (level 1
    # in capitals, as PowerShell's own about topics), code fences are dropped and their lines indented, and blank
    # lines right after a heading go.
    param([string] $Path)
    $out = New-Object System.Collections.Generic.List[string]
    $headings = 0
    $topic = ''
    $inFence = $false
    $afterHeading = $false
    foreach ($line in (Get-Content -LiteralPath $Path)) {
        if ($line -match '^\s*(```|~~~)') {
            $inFence = -not $inFence
            $afterHeading = $false
            continue
        }
        if ($inFence) {
            $out.Add(('    ' + $line).TrimEnd())
            continue
        }
        if ($line -match '^(#{1,6})\s+(.*?)\s*$') {
            $level = $Matches[1].Length
            $text = $Matches[2]
            $headings++
            $afterHeading = $true
            if ($headings -eq 1) {
                $topic = $text
                $out.Add('TOPIC')
                $out.Add("    $text")
                $out.Add('')
            }
            elseif ($headings -eq 2 -and $level -eq 2 -and $text -eq $topic) {
                # PlatyPS's about template repeats the topic name as a level-2 heading.
            }
            elseif ($level -eq 1) { $out.Add($text.ToUpperInvariant()) }
            else { $out.Add($text) }
            continue
        }
        if ($afterHeading -and -not $line.Trim()) { continue }
        $afterHeading = $false
        $out.Add($line.TrimEnd())
    }
    ($out -join [Environment]::NewLine).TrimEnd() + [Environment]::NewLine
}

function Export-HelpWithPlatyPS1 {
    # Microsoft.PowerShell.PlatyPS 1.x: the cmdlet pages through Import-MarkdownCommandHelp and Export-MamlCommandHelp,
    # and the about topic through ConvertTo-AboutTopicText.
    param([string] $DocsDir, [string] $HelpDir)
    $pages = @(Get-ChildItem -LiteralPath $DocsDir -Filter '*.md' | Where-Object { $_.Name -notlike 'about_*' })
    $helps = @(foreach ($page in $pages) { Import-MarkdownCommandHelp -LiteralPath $page.FullName -ErrorAction Stop })
    if ($helps.Count -ne $pages.Count) { throw "PlatyPS read $($helps.Count) of the $($pages.Count) cmdlet pages in $DocsDir." }

    # Export-MamlCommandHelp names and places the file its own way, which has changed between 1.x releases
    # (<module>-Help.xml, or <module>/<external help file>); it writes into an empty folder of its own, and the one
    # file it wrote is taken from there. Get-Help looks for a binary module's help under the assembly's file name.
    $staging = Join-Path ([System.IO.Path]::GetTempPath()) ('OpenAIImages-help-' + [guid]::NewGuid().ToString('N'))
    try {
        $helps | Export-MamlCommandHelp -OutputFolder $staging -Force -ErrorAction Stop | Out-Null
        $written = @(Get-ChildItem -LiteralPath $staging -Recurse -Filter '*.xml' | Where-Object { -not $_.PSIsContainer })
        if ($written.Count -ne 1) { throw "PlatyPS wrote $($written.Count) MAML files into $staging; expected one." }
        Repair-MamlExample -Path $written[0].FullName -CommandHelp $helps
        Copy-Item -LiteralPath $written[0].FullName -Destination (Join-Path $HelpDir 'OpenAIImages.dll-Help.xml') -Force
    }
    finally {
        if (Test-Path -LiteralPath $staging) { Remove-Item -LiteralPath $staging -Recurse -Force }
    }

    $utf8 = New-Object System.Text.UTF8Encoding($false)
    foreach ($about in @(Get-ChildItem -LiteralPath $DocsDir -Filter 'about_*.md')) {
        $target = Join-Path $HelpDir ($about.BaseName + '.help.txt')
        [System.IO.File]::WriteAllText($target, (ConvertTo-AboutTopicText -Path $about.FullName), $utf8)
    }
}

function Invoke-Docs {
    param([string] $ModuleDir)
    $tool = Get-HelpTool
    if (-not $tool) {
        throw 'PlatyPS is required for -Task Docs: Install-Module platyPS -Scope CurrentUser (0.14), or Install-PSResource Microsoft.PowerShell.PlatyPS -Scope CurrentUser (1.x).'
    }
    Import-Module -Name $tool.Path
    $docsDir = Join-Path $root 'docs/en-US'
    $helpDir = Join-Path $ModuleDir 'en-US'
    New-Item -ItemType Directory -Path $helpDir -Force | Out-Null
    if ($tool.Version.Major -eq 0) {
        New-ExternalHelp -Path $docsDir -OutputPath $helpDir -Force | Out-Null
    }
    else {
        Export-HelpWithPlatyPS1 -DocsDir $docsDir -HelpDir $helpDir
    }
    foreach ($file in 'OpenAIImages.dll-Help.xml', 'about_OpenAIImages.help.txt') {
        if (-not (Test-Path -LiteralPath (Join-Path $helpDir $file))) { throw "$($tool.Name) $($tool.Version) did not write $file into $helpDir." }
    }
    Write-Host "Help written to $helpDir with $($tool.Name) $($tool.Version)"
}

function Test-SameDirectory {
    param([string] $Left, [string] $Right)
    if (-not $Left -or -not $Right) { return $false }
    $trim = [char[]] @([System.IO.Path]::DirectorySeparatorChar, [System.IO.Path]::AltDirectorySeparatorChar)
    [System.IO.Path]::GetFullPath($Left).TrimEnd($trim) -eq [System.IO.Path]::GetFullPath($Right).TrimEnd($trim)
}

function Invoke-Package {
    param([string] $ModuleDir)
    $version = Get-ModuleVersion
    $repository = Join-Path $root 'out/repository'
    New-Item -ItemType Directory -Path $repository -Force | Out-Null
    $package = "OpenAIImages.$version.nupkg"

    # Package must be repeatable after a rebuild of the same version. Publish-Module refuses a version the repository
    # already has (ModuleVersionIsAlreadyAvailableInTheGallery, -Force or not), and a folder repository has no other
    # way to replace one, so this version's package goes first; other versions stay.
    Get-ChildItem -LiteralPath $repository -Filter '*.nupkg' | Where-Object { $_.Name -eq $package } | Remove-Item -Force

    # The repository registration is per user, not per clone: a name registered from another clone (or before this
    # one moved) points at that clone's folder, and the package would silently land there. Point it here.
    $name = 'OpenAIImagesLocal'
    if (Get-Command Publish-PSResource -ErrorAction SilentlyContinue) {
        $registered = Get-PSResourceRepository -Name $name -ErrorAction SilentlyContinue
        if (-not $registered) {
            Register-PSResourceRepository -Name $name -Uri $repository -Trusted
        }
        elseif (-not ($registered.Uri.IsFile -and (Test-SameDirectory $registered.Uri.LocalPath $repository))) {
            Set-PSResourceRepository -Name $name -Uri $repository -Trusted
        }
        Publish-PSResource -Path $ModuleDir -Repository $name
    }
    else {
        $registered = Get-PSRepository -Name $name -ErrorAction SilentlyContinue
        if (-not $registered) {
            Register-PSRepository -Name $name -SourceLocation $repository -PublishLocation $repository -InstallationPolicy Trusted
        }
        elseif (-not (Test-SameDirectory $registered.PublishLocation $repository)) {
            Set-PSRepository -Name $name -SourceLocation $repository -PublishLocation $repository -InstallationPolicy Trusted
        }
        Publish-Module -Path $ModuleDir -Repository $name
    }

    # Both write <name>.<version>.nupkg into a folder repository (PSResourceGet through NuGet's push to a local folder).
    $written = @(Get-ChildItem -LiteralPath $repository -Filter '*.nupkg' | Where-Object { $_.Name -eq $package })
    if ($written.Count -eq 0) { throw "Publishing wrote no $package into $repository." }
    Write-Host "Package: $($written[0].FullName)"
}

switch ($Task) {
    'Build' { Invoke-Build | Out-Null }
    'Test' {
        $moduleDir = Invoke-Build
        $skipHelpReason = ''
        if (Get-HelpTool) {
            Invoke-Docs -ModuleDir $moduleDir
        }
        else {
            $skipHelpReason = 'PlatyPS is not installed, so build.ps1 built no MAML help (Install-Module platyPS -Scope CurrentUser, or Install-PSResource Microsoft.PowerShell.PlatyPS -Scope CurrentUser).'
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
