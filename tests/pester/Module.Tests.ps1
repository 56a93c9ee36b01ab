# The module as PowerShell itself sees it: the built manifest, the cmdlets' parameter metadata, the format views, the
# help markdown against the real cmdlets (read by PlatyPS), and every call of the cmdlets written anywhere in the
# project, bound by PowerShell's own static parameter binder.

BeforeDiscovery {
    $root = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    $cmdlets = @((Import-PowerShellDataFile -LiteralPath (Join-Path $root 'OpenAIImages.psd1')).CmdletsToExport | ForEach-Object { @{ Name = $_ } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $module = Import-ModuleUnderTest
    $root = Get-RepositoryRoot
    $manifestPath = Get-TestManifestPath
    $manifest = Import-PowerShellDataFile -LiteralPath $manifestPath
    $commonParameters = @([System.Management.Automation.Cmdlet]::CommonParameters) + @([System.Management.Automation.Cmdlet]::OptionalCommonParameters)

    # The cmdlet classes the assembly compiles, whatever the manifest says.
    $compiled = @($module.ImplementingAssembly.GetTypes() | ForEach-Object {
            $attribute = $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) | Select-Object -First 1
            if ($attribute -and $_.IsPublic -and -not $_.IsAbstract) { "$($attribute.VerbName)-$($attribute.NounName)" }
        } | Sort-Object)
}

Describe 'The built manifest' {
    It 'passes Test-ModuleManifest' {
        { Test-ModuleManifest -Path $manifestPath -ErrorAction Stop } | Should -Not -Throw
    }

    It 'carries the version of Directory.Build.props' {
        $manifest.ModuleVersion | Should -Be (Get-TestModuleVersion)
    }

    It 'exports exactly the cmdlets the assembly compiles' {
        $compiled.Count | Should -BeGreaterThan 0
        @($manifest.CmdletsToExport | Sort-Object) | Should -Be $compiled
        @(Get-Command -Module OpenAIImages -CommandType Cmdlet | ForEach-Object Name | Sort-Object) | Should -Be $compiled
    }

    It 'exports nothing else, by an explicit empty list (a missing key or * makes PowerShell search the module on every lookup)' {
        foreach ($key in 'FunctionsToExport', 'VariablesToExport', 'AliasesToExport') {
            $manifest.ContainsKey($key) | Should -BeTrue -Because "$key should be @()"
            @($manifest[$key]).Count | Should -Be 0 -Because "$key should be @()"
        }
    }

    It 'runs on Windows PowerShell 5.1 and PowerShell 7' {
        $manifest.PowerShellVersion | Should -Be '5.1'
        $manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
    }

    It 'has the text and links the Gallery shows' {
        foreach ($key in 'Author', 'CompanyName', 'Copyright', 'Description') { $manifest[$key] | Should -Not -BeNullOrEmpty -Because $key }
        [guid] $manifest.GUID | Should -Not -Be ([guid]::Empty)
        $psData = $manifest.PrivateData.PSData
        foreach ($key in 'ProjectUri', 'LicenseUri') { ([Uri] $psData[$key]).Scheme | Should -Be 'https' -Because $key }
        $psData.Tags | Should -Contain 'PSEdition_Desktop'
        $psData.Tags | Should -Contain 'PSEdition_Core'
        @($psData.Tags | Where-Object { $_ -match '\s' }) | Should -BeNullOrEmpty
    }

    It 'has release notes for this version that name every cmdlet it ships' {
        $notes = [string] $manifest.PrivateData.PSData.ReleaseNotes
        $notes | Should -Match ('^' + [regex]::Escape($manifest.ModuleVersion) + ':') -Because 'the notes begin with the version they describe'
        foreach ($name in $compiled) { $notes | Should -Match ([regex]::Escape($name)) -Because "the release ships $name" }
    }

    It 'names no model in its description that api.openai.com has shut down, unless it says where it still runs' {
        $description = [string] $manifest.Description
        $description | Should -Match 'gpt-image-2'
        if ($description -match 'DALL.?E|gpt-image-1') { $description | Should -Match 'Azure' }
    }
}

Describe 'The built module folder' {
    It 'holds only what PowerShell loads itself; every other assembly is in dependencies/' {
        $moduleBase = Split-Path -Parent $manifestPath
        @(Get-ChildItem -LiteralPath $moduleBase -File | ForEach-Object Name | Sort-Object) | Should -Be @('OpenAIImages.dll', 'OpenAIImages.Format.ps1xml', 'OpenAIImages.psd1', 'OpenAIImages.Types.ps1xml')
        @(Get-ChildItem -LiteralPath $moduleBase -Directory | ForEach-Object Name | Sort-Object) | Should -Be @('dependencies', 'en-US')
        $dependencies = @(Get-ChildItem -LiteralPath (Join-Path $moduleBase 'dependencies') -File | ForEach-Object Name)
        $dependencies | Should -Contain 'OpenAIImages.Engine.dll'
        $dependencies | Should -Contain 'OpenAIImages.LoadContext.dll'
    }

    It 'imports again with -Force, removes, and imports once more in one session, and still works' {
        $script = @'
param($Manifest)
$ErrorActionPreference = 'Stop'
Import-Module $Manifest
Import-Module $Manifest -Force
Remove-Module OpenAIImages
Import-Module $Manifest
$what = New-OpenAIImage 'A reimported fox' -ApiKey 'test-key' -WhatIf 6>&1 5>&1 4>&1 3>&1 2>&1 | Out-String
(Get-Command -Module OpenAIImages).Count
'@
        $output = & (Get-TestPwsh) -NoProfile -NonInteractive -Command "& { $script } -Manifest '$($manifestPath -replace "'", "''")'" 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
        [int] ($output | Select-Object -Last 1) | Should -Be $compiled.Count
    }

    It 'loads its engine into its private load context at the first cmdlet, not during Import-Module' {
        $script = @'
param($Manifest)
$ErrorActionPreference = 'Stop'
function Get-Engine { [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'OpenAIImages.Engine' } }
function Get-Context { [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -eq 'OpenAIImages' }
Import-Module $Manifest
"after import: engine $(@(Get-Engine).Count), context $(@(Get-Context).Count)"
$null = New-OpenAIImage 'A lazily loaded fox' -ApiKey 'test-key' -WhatIf 6>&1
$engine = @(Get-Engine)
"after a cmdlet: engine $($engine.Count), context $(@(Get-Context).Count), engine in $([System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($engine[0]).Name)"
'@
        $output = & (Get-TestPwsh) -NoProfile -NonInteractive -Command "& { $script } -Manifest '$($manifestPath -replace "'", "''")'" 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
        $output | Should -Contain 'after import: engine 0, context 0'
        $output | Should -Contain 'after a cmdlet: engine 1, context 1, engine in OpenAIImages'
    }
}

Describe 'Parameter metadata of <Name>' -ForEach $cmdlets {
    BeforeAll {
        # Get-Command compiles the metadata: a name or alias used twice, or taken from the common parameters, throws here.
        $command = Get-Command -Name $Name -Module OpenAIImages
    }

    It 'compiles, with a default parameter set that is one of its sets' {
        $command.ParameterSets.Count | Should -BeGreaterThan 0
        if ($command.DefaultParameterSet) { $command.ParameterSets.Name | Should -Contain $command.DefaultParameterSet }
    }

    It 'gives no two parameters of a set one position' {
        foreach ($set in $command.ParameterSets) {
            $positions = @($set.Parameters | Where-Object { $_.Position -ge 0 } | Group-Object Position | Where-Object Count -gt 1)
            $positions | Should -BeNullOrEmpty -Because "set $($set.Name) has one parameter per position"
        }
    }
}

Describe 'Error ids' {
    It 'every id the suite expects is one of the module''s ErrorIds, the one set the engine and cmdlets write' {
        $engine = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'OpenAIImages.Engine' } | Select-Object -First 1
        $engine | Should -Not -BeNullOrEmpty
        $known = @($engine.GetType('OpenAIImages.Engine.ErrorIds', $true).GetFields() | Where-Object IsLiteral | ForEach-Object { $_.GetRawConstantValue() })
        $known.Count | Should -BeGreaterThan 40
        $expected = foreach ($file in Get-ChildItem -LiteralPath $PSScriptRoot -Filter '*.Tests.ps1') {
            $text = Get-Content -LiteralPath $file.FullName -Raw
            # FullyQualifiedErrorId patterns, and the Id column of -ForEach tables.
            foreach ($match in [regex]::Matches($text, "'([A-Za-z]+),\*'|\bId = '([A-Za-z]+)'")) {
                $id = if ($match.Groups[1].Success) { $match.Groups[1].Value } else { $match.Groups[2].Value }
                [pscustomobject]@{ File = $file.Name; Id = $id }
            }
        }
        @($expected).Count | Should -BeGreaterThan 20
        # Ids PowerShell itself writes for the module's parameters (a refused -Prompt is an argument transformation error).
        $known += 'ParameterArgumentTransformationError'
        @($expected | Where-Object { $known -notcontains $_.Id } | ForEach-Object { "$($_.File): $($_.Id)" }) | Should -BeNullOrEmpty
    }
}

Describe 'Format views' {
    It 'give each type the cmdlets write a view, showing only properties it has' {
        $types = @(Get-Command -Module OpenAIImages -CommandType Cmdlet | ForEach-Object { $_.OutputType.Type } | Where-Object { $_ } | Sort-Object FullName -Unique)
        $types.Count | Should -BeGreaterThan 0
        foreach ($type in $types) {
            $format = @(Get-FormatData -TypeName $type.FullName)
            $format.Count | Should -BeGreaterThan 0 -Because "$($type.FullName) has a view"
            foreach ($view in $format.FormatViewDefinition) {
                foreach ($row in $view.Control.Rows) {
                    foreach ($column in $row.Columns) {
                        if ($column.DisplayEntry.ValueType -eq 'Property') {
                            $type.GetProperty($column.DisplayEntry.Value) | Should -Not -BeNullOrEmpty -Because "$($view.Name) shows $($column.DisplayEntry.Value)"
                        }
                    }
                }
            }
        }
    }
}

Describe 'docs/en-US' {
    It 'has a page for every cmdlet, and no page for a cmdlet the module lacks' {
        $pages = @(Get-ChildItem -LiteralPath (Join-Path $root 'docs/en-US') -Filter '*.md' | Where-Object { $_.Name -notlike 'about_*' } | ForEach-Object BaseName | Sort-Object)
        $pages | Should -Be $compiled
    }

    It 'says in Edit-OpenAIImage''s description what a plain pipeline and -Combine do' {
        $description = (Get-Help -Name Edit-OpenAIImage).Description.Text -join "`n"
        $description | Should -Match 'on its own'
        $description | Should -Match '-Combine'
        $description | Should -Match 'one request'
    }
}

Describe 'docs/en-US/<Name>.md against the cmdlet' -ForEach $cmdlets {
    BeforeAll {
        Import-Module -Name Microsoft.PowerShell.PlatyPS -RequiredVersion 1.0.3 -ErrorAction Stop
        $command = Get-Command -Name $Name -Module OpenAIImages
        $markdown = Import-MarkdownCommandHelp -LiteralPath (Join-Path $root "docs/en-US/$Name.md")
    }

    It 'documents every parameter set and no other' {
        @($markdown.Syntax.ParameterSetName | Sort-Object) | Should -Be @($command.ParameterSets.Name | Sort-Object)
        if ($command.ParameterSets.Count -gt 1) {
            ($markdown.Syntax | Where-Object IsDefaultParameterSet).ParameterSetName | Should -Be $command.DefaultParameterSet
        }
    }

    It 'gives every parameter its type, aliases, wildcards and its place in each set, as the cmdlet has them' {
        $problems = foreach ($parameter in $command.Parameters.Values) {
            if ($commonParameters -contains $parameter.Name) { continue }
            $doc = $markdown.Parameters | Where-Object Name -eq $parameter.Name
            if (-not $doc) { "-$($parameter.Name) is not documented"; continue }
            # PlatyPS writes a generic type as .NET's short form (System.Nullable`1[System.Int32]), without assembly names.
            $typeName = $parameter.ParameterType.ToString()
            if ($doc.Type -ne $typeName) { "-$($parameter.Name): type $($doc.Type), the cmdlet has $typeName" }
            if ((@($doc.Aliases | Sort-Object) -join ',') -ne (@($parameter.Aliases | Sort-Object) -join ',')) { "-$($parameter.Name): aliases [$(@($doc.Aliases) -join ',')], the cmdlet has [$(@($parameter.Aliases) -join ',')]" }
            $wildcards = [bool] ($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
            if ($doc.SupportsWildcards -ne $wildcards) { "-$($parameter.Name): wildcards $($doc.SupportsWildcards), the cmdlet has $wildcards" }
            foreach ($setName in $parameter.ParameterSets.Keys) {
                $actual = $parameter.ParameterSets[$setName]
                $docName = if ($setName -eq '__AllParameterSets') { '(All)' } else { $setName }
                $docSet = $doc.ParameterSets | Where-Object Name -eq $docName
                if (-not $docSet) { "-$($parameter.Name): set $docName is not documented"; continue }
                $position = if ($actual.Position -ge 0) { [string] $actual.Position } else { 'Named' }
                if ([string] $docSet.Position -ne $position) { "-$($parameter.Name) in $($docName): position $($docSet.Position), the cmdlet has $position" }
                if ($docSet.IsRequired -ne $actual.IsMandatory) { "-$($parameter.Name) in $($docName): required $($docSet.IsRequired), the cmdlet has $($actual.IsMandatory)" }
                if ($docSet.ValueFromPipeline -ne $actual.ValueFromPipeline) { "-$($parameter.Name) in $($docName): pipeline by value $($docSet.ValueFromPipeline), the cmdlet has $($actual.ValueFromPipeline)" }
                if ($docSet.ValueFromPipelineByPropertyName -ne $actual.ValueFromPipelineByPropertyName) { "-$($parameter.Name) in $($docName): pipeline by property name $($docSet.ValueFromPipelineByPropertyName), the cmdlet has $($actual.ValueFromPipelineByPropertyName)" }
            }
        }
        @($problems) | Should -BeNullOrEmpty
    }

    It 'documents no parameter the cmdlet does not have' {
        @($markdown.Parameters | Where-Object { -not $command.Parameters.ContainsKey($_.Name) } | ForEach-Object Name) | Should -BeNullOrEmpty
    }
}

Describe 'Every call of the cmdlets written in the project' {
    BeforeAll {
        # PowerShell code in the project: scripts whole, and the PowerShell code blocks of markdown (fenced as
        # powershell, and in the about topic the indented lines, which is how about topics show code). Other fences
        # (syntax diagrams, yaml, bash) are not PowerShell.
        function Get-ProjectCode {
            foreach ($file in @(Get-ChildItem -LiteralPath (Join-Path $root 'tests/pester'), (Join-Path $root 'tools') -Filter '*.ps1') + @(Get-Item -LiteralPath (Join-Path $root 'build.ps1'))) {
                [pscustomobject]@{ Source = $file.Name; Code = Get-Content -LiteralPath $file.FullName -Raw }
            }
            foreach ($file in @(Get-ChildItem -LiteralPath (Join-Path $root 'docs/en-US') -Filter '*.md') + @(Get-Item -LiteralPath (Join-Path $root 'README.md'))) {
                $lines = Get-Content -LiteralPath $file.FullName
                $block = $null
                $fenced = $false
                foreach ($line in $lines) {
                    if ($line -match '^\s*```(\w*)') {
                        if (-not $fenced) {
                            $fenced = $true
                            if ($Matches[1] -in 'powershell', 'ps1', 'pwsh') { $block = New-Object System.Collections.Generic.List[string] }
                        }
                        else {
                            if ($null -ne $block) { [pscustomobject]@{ Source = $file.Name; Code = $block -join "`n" } }
                            $fenced = $false; $block = $null
                        }
                        continue
                    }
                    if ($null -ne $block) { $block.Add($line) }
                    elseif ($fenced) { continue }
                    elseif ($file.Name -like 'about_*' -and $line -match '^    \S') { [pscustomobject]@{ Source = $file.Name; Code = $line.Trim() } }
                }
            }
        }

        $calls = foreach ($piece in Get-ProjectCode) {
            $ast = [System.Management.Automation.Language.Parser]::ParseInput($piece.Code, [ref] $null, [ref] $null)
            $commands = $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] -and $compiled -contains $node.GetCommandName() }, $true)
            foreach ($call in $commands) { [pscustomobject]@{ Source = $piece.Source; Ast = $call } }
        }
    }

    It 'finds calls of every cmdlet in its help and in the suite' {
        foreach ($name in $compiled) {
            @($calls | Where-Object { $_.Source -eq "$name.md" -and $_.Ast.GetCommandName() -eq $name }).Count | Should -BeGreaterThan 0 -Because "docs/en-US/$name.md shows $name"
            @($calls | Where-Object { $_.Source -eq "$name.Tests.ps1" -and $_.Ast.GetCommandName() -eq $name }).Count | Should -BeGreaterThan 0 -Because "tests/pester/$name.Tests.ps1 calls $name"
        }
    }

    It 'binds every call: no unknown or ambiguous parameter, and parameters that share a set' {
        $problems = foreach ($call in $calls) {
            $binding = [System.Management.Automation.Language.StaticParameterBinder]::BindCommand($call.Ast, $true)
            foreach ($entry in $binding.BindingExceptions.GetEnumerator()) {
                $failure = $entry.Value.BindingException
                # A splatted hashtable is bound at run time, not here: the binder can only call it an unknown positional
                # argument, and a call that takes its mandatory parameters from one looks incomplete.
                if ($entry.Key -like '@*' -or $failure.ErrorId -eq 'MissingMandatoryParameter') { continue }
                "$($call.Source): $($call.Ast.Extent.Text.Split("`n")[0]) -> $($entry.Key): $($failure.ErrorId)"
            }
        }
        @($problems) | Should -BeNullOrEmpty
    }

    It 'names a model shut down on api.openai.com only in examples for Azure OpenAI or a compatible server' {
        $engine = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'OpenAIImages.Engine' } | Select-Object -First 1
        $catalog = $engine.GetType('OpenAIImages.Engine.Models.ModelCatalog', $true)
        $shutDown = @($catalog.GetProperty('All').GetValue($null) | Where-Object { $_.ShutdownDate -and $_.ShutdownDate -le [DateTimeOffset]::UtcNow } | ForEach-Object Name)
        $shutDown | Should -Contain 'gpt-image-1'
        $pattern = '(?<![\w.-])(' + (($shutDown | ForEach-Object { [regex]::Escape($_) }) -join '|') + ')(?![\w.-])'
        $unmarked = foreach ($piece in Get-ProjectCode | Where-Object { $_.Source -like '*.md' }) {
            if ($piece.Code -match $pattern -and $piece.Code -notmatch '-Endpoint|-Deployment|-BaseUri|OPENAI_BASE_URL') { "$($piece.Source): $($piece.Code.Split("`n")[0])" }
        }
        @($unmarked) | Should -BeNullOrEmpty
    }

    It 'notices a misspelt parameter and parameters from two sets' {
        $bad = [System.Management.Automation.Language.Parser]::ParseInput("New-OpenAIImage 'x' -Sise 1024x1024; Edit-OpenAIImage 'x' -Path a.png -ImageUrl https://example.com/a.png", [ref] $null, [ref] $null)
        $ids = foreach ($call in $bad.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] }, $true)) {
            [System.Management.Automation.Language.StaticParameterBinder]::BindCommand($call, $true).BindingExceptions.Values | ForEach-Object { $_.BindingException.ErrorId }
        }
        $ids | Should -Contain 'NamedParameterNotFound'
        $ids | Should -Contain 'AmbiguousParameterSet'
    }
}
