#Requires -Version 5.1
<#
.SYNOPSIS
    Builds, tests, documents and packages the OpenAIImages module.
.DESCRIPTION
    Build:   dotnet publish, then copies a named list of files into out/OpenAIImages/<version>/ (failing if one is
             missing, or if the publish has an assembly no list names) and stamps the version from
             Directory.Build.props into the manifest. The module folder holds OpenAIImages.dll, the manifest and
             the format file; the engine, the load context and every third-party assembly go to dependencies/.
    Docs:    Build, then MAML help and the about topic from docs/en-US into the built module folder (en-US/), with
             Microsoft.PowerShell.PlatyPS 1.0.3 and the repairs that version needs.
    Package: Docs, then publishes to a local PSResourceGet repository folder (out/repository).
    Test:    Package, then dotnet test (xunit) and the whole Pester suite, the help gate and the install from the local
             repository included, in a child pwsh against the built module only. Ends with one line
             'N passed, N failed' (', N skipped' when any was skipped, each named above it) counting both, and fails
             when a test failed.

    Tools are pinned: pwsh by .config/dotnet-tools.json (dotnet tool restore), Pester by tools/Tools.proj, restored
    from NuGet into out/tools by this script, and PlatyPS at 1.0.3, found on PSModulePath or in ../shared/psmodules
    beside this repository.
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 -Task Build
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Docs', 'Package')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
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
        'System.Buffers.dll'
        'System.Memory.dll'
        'System.Net.ServerSentEvents.dll'
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
    foreach ($file in 'OpenAIImages.Format.ps1xml', 'OpenAIImages.Types.ps1xml') {
        Copy-Item -LiteralPath (Join-Path $root "src/OpenAIImages/$file") -Destination $moduleDir
    }

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

function Get-PesterManifest {
    # The one Pester the suite runs on: the version tools/Tools.proj pins, restored from NuGet (the package carries the
    # module in its tools/ folder) into out/tools, git-ignored. No Install-Module, no Gallery.
    $project = Join-Path $root 'tools/Tools.proj'
    [xml] $xml = Get-Content -LiteralPath $project -Raw
    $pin = @($xml.Project.ItemGroup.PackageDownload | Where-Object { $_ -and $_.Include -eq 'Pester' })
    if ($pin.Count -ne 1) { throw "tools/Tools.proj pins no Pester version (a PackageDownload of Pester)." }
    $version = $pin[0].Version.Trim('[', ']')
    $packages = Join-Path $root 'out/tools'
    $manifest = Join-Path $packages "pester/$version/tools/Pester.psd1"
    if (-not (Test-Path -LiteralPath $manifest -PathType Leaf)) {
        & dotnet restore $project --packages $packages --nologo "-p:BaseIntermediateOutputPath=$packages/obj/" | Out-Host
        if ($LASTEXITCODE -ne 0 -or -not (Test-Path -LiteralPath $manifest -PathType Leaf)) {
            throw "Pester $version could not be restored from NuGet (dotnet restore tools/Tools.proj, exit code $LASTEXITCODE). The tests need it: check that the NuGet feed serves the package Pester $version."
        }
    }
    $manifest
}

function Get-ChildPwsh {
    # The pwsh that runs this script, for child processes: the same version, whether it came from the dotnet tool
    # manifest (dotnet pwsh) or an installed PowerShell.
    $name = if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' }
    $path = Join-Path $PSHOME $name
    if (-not (Test-Path -LiteralPath $path -PathType Leaf)) {
        throw "The tests run in a child pwsh, and $path does not exist. Run this script with PowerShell 7: dotnet tool restore; dotnet pwsh ./build.ps1 -Task Test."
    }
    $path
}

function Invoke-PesterSuite {
    # The Pester suite in a child pwsh, so it sees only the built module and nothing this session loaded. Returns its
    # counts and the names of skipped tests, read from a summary file the child writes.
    param([string] $ModuleDir, [string] $ResultsDir)
    $pester = Get-PesterManifest
    $summary = Join-Path $ResultsDir 'pester-summary.json'
    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module -Name $(ConvertTo-Literal $pester) -Force
`$env:OPENAIIMAGES_TEST_MANIFEST = $(ConvertTo-Literal (Join-Path $ModuleDir 'OpenAIImages.psd1'))
`$env:OPENAIIMAGES_TEST_FAKEAPI = $(ConvertTo-Literal (Join-Path $root 'tests/OpenAIImages.FakeApi/OpenAIImages.FakeApi.csproj'))
`$env:OPENAIIMAGES_TEST_REPOSITORY = $(ConvertTo-Literal (Join-Path $root 'out/repository'))
`$config = New-PesterConfiguration
`$config.Run.Path = $(ConvertTo-Literal (Join-Path $root 'tests/pester'))
`$config.Run.PassThru = `$true
`$config.Output.Verbosity = 'Detailed'
`$config.TestResult.Enabled = `$true
`$config.TestResult.OutputFormat = 'NUnitXml'
`$config.TestResult.OutputPath = $(ConvertTo-Literal (Join-Path $ResultsDir 'pester.xml'))
`$run = Invoke-Pester -Configuration `$config
[pscustomobject]@{
    Result  = [string] `$run.Result
    Passed  = `$run.PassedCount
    Failed  = `$run.FailedCount + `$run.FailedBlocksCount + `$run.FailedContainersCount
    Skipped = @(`$run.Skipped | ForEach-Object { `$_.ExpandedPath })
    NotRun  = @(`$run.NotRun | ForEach-Object { `$_.ExpandedPath })
} | ConvertTo-Json -Depth 3 | Set-Content -LiteralPath $(ConvertTo-Literal $summary) -Encoding UTF8
"@
    if (Test-Path -LiteralPath $summary) { Remove-Item -LiteralPath $summary -Force }
    & (Get-ChildPwsh) -NoProfile -NonInteractive -Command $script | Out-Host
    if (-not (Test-Path -LiteralPath $summary -PathType Leaf)) {
        # The child ended before Pester reported (it could not load, or the process died): count that as a failure.
        return [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = @('Pester: the suite did not finish (see its output above)'); NotRun = @() }
    }
    Get-Content -LiteralPath $summary -Raw | ConvertFrom-Json
}

function Invoke-XunitSuite {
    # dotnet test with a TRX log per test assembly; returns the counts and the names of skipped tests read from the logs.
    param([string] $ResultsDir)
    $xunitDir = Join-Path $ResultsDir 'xunit'
    if (Test-Path -LiteralPath $xunitDir) { Remove-Item -LiteralPath $xunitDir -Recurse -Force }
    & dotnet test (Join-Path $root 'OpenAIImages.sln') -c $Configuration --nologo --logger trx --results-directory $xunitDir | Out-Host
    $exitCode = $LASTEXITCODE
    $passed = 0; $failed = 0
    $skipped = New-Object System.Collections.Generic.List[string]
    foreach ($trx in @(Get-ChildItem -LiteralPath $xunitDir -Filter '*.trx' -ErrorAction SilentlyContinue)) {
        [xml] $log = Get-Content -LiteralPath $trx.FullName -Raw
        foreach ($result in @($log.TestRun.Results.UnitTestResult)) {
            switch ($result.outcome) {
                'Passed' { $passed++ }
                'NotExecuted' { $skipped.Add("xunit: $($result.testName)") }
                default { $failed++ }
            }
        }
    }
    if ($exitCode -ne 0 -and $failed -eq 0) {
        # A build or restore error, or a crashed test host: no test result says so.
        Write-Host "dotnet test exited with $exitCode before reporting a failed test (a build or restore error, or a crashed test host)."
        $failed = 1
    }
    [pscustomobject]@{ Passed = $passed; Failed = $failed; Skipped = @($skipped); NotRun = @() }
}

function Get-HelpTool {
    # The one PlatyPS the help is built with: Microsoft.PowerShell.PlatyPS 1.0.3 (the fixes in Repair-Maml are for
    # that version). PSModulePath first, then ../shared/psmodules beside this repository, where the development
    # machines keep it because their NuGet feed does not serve it.
    $version = [version] '1.0.3'
    $found = Get-Module -ListAvailable -Name Microsoft.PowerShell.PlatyPS | Where-Object { $_.Version -eq $version } | Select-Object -First 1
    if ($found) { return $found }
    $shared = Join-Path (Split-Path -Parent $root) 'shared/psmodules/Microsoft.PowerShell.PlatyPS'
    if (Test-Path -LiteralPath $shared) {
        $found = Get-ChildItem -LiteralPath $shared -Recurse -Filter 'Microsoft.PowerShell.PlatyPS.psd1' |
            ForEach-Object { Test-ModuleManifest -Path $_.FullName -ErrorAction SilentlyContinue -WarningAction SilentlyContinue } |
            Where-Object { $_.Version -eq $version } | Select-Object -First 1
        if ($found) {
            # On PSModulePath from here on, for this script and the child pwsh that runs the tests.
            $env:PSModulePath = (Split-Path -Parent $shared) + [System.IO.Path]::PathSeparator + $env:PSModulePath
            return $found
        }
    }
    throw "The help is built with Microsoft.PowerShell.PlatyPS $version, which was not found on PSModulePath. Install it from the PowerShell Gallery with: Install-PSResource Microsoft.PowerShell.PlatyPS -Version $version -Scope CurrentUser; or put a folder that holds Microsoft.PowerShell.PlatyPS/$version on PSModulePath."
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

function Repair-Maml {
    # Three things Microsoft.PowerShell.PlatyPS 1.0.3 writes wrong into MAML, each mended from the markdown it read.
    # Examples: 1.x writes an example's whole markdown, code fence and all, into maml:introduction
    # and leaves dev:code empty (PowerShell/platyPS#792, closed as by design), so Get-Help would show examples without
    # code. Each example is rewritten from its markdown: the fenced code in dev:code and the text after it in
    # dev:remarks. Examples without a code fence are left as PlatyPS wrote them.
    # Default values: 1.0.3 writes none (PowerShell/platyPS#801), so Get-Help shows every 'Default value' empty. Each
    # parameter gets the dev:defaultValue its markdown gives.
    # Related links: 1.0.3 keeps a markdown link's target as the uri, so Get-Help lists 'Edit-OpenAIImage
    # Edit-OpenAIImage.md'. A link to another help page keeps only its name; web addresses stay.
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

        foreach ($parameter in $help.Parameters) {
            $default = [string] $parameter.DefaultValue
            if (-not $default.Trim()) { continue }
            $xpath = "command:parameters/command:parameter[maml:name='$($parameter.Name)']"
            $parameterNode = $command.SelectSingleNode($xpath, $ns)
            if (-not $parameterNode) { throw "The MAML help of $($help.Title) has no parameter $($parameter.Name); its markdown has." }
            foreach ($old in @($parameterNode.SelectNodes('dev:defaultValue', $ns))) { [void] $parameterNode.RemoveChild($old) }
            $defaultNode = $maml.CreateElement('dev', 'defaultValue', $script:MamlNamespace.dev)
            $defaultNode.InnerText = $default.Trim()
            [void] $parameterNode.AppendChild($defaultNode)
        }

        foreach ($uri in @($command.SelectNodes('command:relatedLinks/maml:navigationLink/maml:uri', $ns))) {
            if ($uri.InnerText -match '^[^/:]+\.md$') { $uri.InnerText = '' }
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
    # line as the synopsis, so the head is laid out as PowerShell's own about topics are: TOPIC, the indented topic name, a
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

function Export-Help {
    # Microsoft.PowerShell.PlatyPS 1.0.3: the cmdlet pages through Import-MarkdownCommandHelp and Export-MamlCommandHelp,
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
        Repair-Maml -Path $written[0].FullName -CommandHelp $helps
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
    Import-Module -Name $tool.Path
    $helpDir = Join-Path $ModuleDir 'en-US'
    New-Item -ItemType Directory -Path $helpDir -Force | Out-Null
    Export-Help -DocsDir (Join-Path $root 'docs/en-US') -HelpDir $helpDir
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

    # Package must be repeatable after a rebuild of the same version. Publishing refuses a version the repository
    # already has, and a folder repository has no other
    # way to replace one, so this version's package goes first; other versions stay.
    Get-ChildItem -LiteralPath $repository -Filter '*.nupkg' | Where-Object { $_.Name -eq $package } | Remove-Item -Force

    # The repository registration is per user, not per clone: a name registered from another clone (or before this
    # one moved) points at that clone's folder, and the package would silently land there. Point it here.
    # PSResourceGet keeps its repository list under the local application-data folder, and the NuGet code it publishes
    # with reads NuGet.Config under the application-data folder. On Linux and macOS .NET reports either folder as ''
    # until it exists (~/.local/share and ~/.config, or XDG_DATA_HOME and XDG_CONFIG_HOME), and the files then land in
    # the current directory: create both first.
    if (-not $IsWindows) {
        foreach ($folder in @(
                @{ Special = 'LocalApplicationData'; Variable = $env:XDG_DATA_HOME; Default = '.local/share' }
                @{ Special = 'ApplicationData'; Variable = $env:XDG_CONFIG_HOME; Default = '.config' })) {
            if ([Environment]::GetFolderPath($folder.Special)) { continue }
            $path = if ($folder.Variable) { $folder.Variable } else { Join-Path $HOME $folder.Default }
            New-Item -ItemType Directory -Path $path -Force | Out-Null
        }
    }
    $name = 'OpenAIImagesLocal'
    $registered = Get-PSResourceRepository -Name $name -ErrorAction SilentlyContinue
    if (-not $registered) {
        Register-PSResourceRepository -Name $name -Uri $repository -Trusted
    }
    elseif (-not ($registered.Uri.IsFile -and (Test-SameDirectory $registered.Uri.LocalPath $repository))) {
        Set-PSResourceRepository -Name $name -Uri $repository -Trusted
    }
    Publish-PSResource -Path $ModuleDir -Repository $name

    # PSResourceGet writes <name>.<version>.nupkg into a folder repository.
    $written = @(Get-ChildItem -LiteralPath $repository -Filter '*.nupkg' | Where-Object { $_.Name -eq $package })
    if ($written.Count -eq 0) { throw "Publishing wrote no $package into $repository." }
    Write-Host "Package: $($written[0].FullName)"
}

function Write-TestSummary {
    # The closing line CI reads, after the name of every test that did not run.
    param([object[]] $Suites)
    $passed = 0; $failed = 0
    $skipped = New-Object System.Collections.Generic.List[string]
    foreach ($suite in $Suites) {
        $passed += [int] $suite.Passed
        $failed += [int] $suite.Failed
        foreach ($name in @($suite.Skipped) + @($suite.NotRun)) { if ($name) { $skipped.Add([string] $name) } }
    }
    foreach ($name in $skipped) { Write-Host "Skipped: $name" }
    $line = "$passed passed, $failed failed"
    if ($skipped.Count -gt 0) { $line += ", $($skipped.Count) skipped" }
    Write-Host $line
    $failed -eq 0
}

switch ($Task) {
    'Build' { Invoke-Build | Out-Null }
    'Docs' {
        $moduleDir = Invoke-Build
        Invoke-Docs -ModuleDir $moduleDir
    }
    'Package' {
        $moduleDir = Invoke-Build
        Invoke-Docs -ModuleDir $moduleDir
        Invoke-Package -ModuleDir $moduleDir
    }
    'Test' {
        # Every tool first: a missing pwsh, Pester or PlatyPS fails here, named, before anything runs.
        $null = Get-ChildPwsh
        $null = Get-PesterManifest
        $null = Get-HelpTool
        $moduleDir = Invoke-Build
        Invoke-Docs -ModuleDir $moduleDir
        Invoke-Package -ModuleDir $moduleDir
        $resultsDir = Join-Path $root 'out/test-results'
        New-Item -ItemType Directory -Path $resultsDir -Force | Out-Null
        $xunit = Invoke-XunitSuite -ResultsDir $resultsDir
        $pester = Invoke-PesterSuite -ModuleDir $moduleDir -ResultsDir $resultsDir
        if (-not (Write-TestSummary -Suites $xunit, $pester)) { exit 1 }
    }
}
