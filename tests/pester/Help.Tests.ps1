# The help gate: every exported cmdlet has a synopsis, a description, at least three examples, and a description for
# every parameter, as Get-Help shows them from the MAML that build.ps1 makes from docs/en-US with PlatyPS.
#
# Without MAML in the module folder Get-Help falls back to help generated from the parameters, which has no
# description and no examples; the gate then fails and says how to build the help (build.ps1 -Task Test always does).

BeforeDiscovery {
    # One block of tests per exported cmdlet. Discovery runs before any BeforeAll, so in a run without build.ps1 the
    # module is not built yet: the list then comes from the source manifest, whose CmdletsToExport the build copies
    # unchanged. (Given an empty list, Pester 5 would drop these tests without a word.)
    $manifest = $env:OPENAIIMAGES_TEST_MANIFEST
    if (-not ($manifest -and (Test-Path -LiteralPath $manifest -PathType Leaf))) {
        $manifest = Join-Path (Split-Path -Parent (Split-Path -Parent $PSScriptRoot)) 'OpenAIImages.psd1'
    }
    $cmdlets = @((Import-PowerShellDataFile -LiteralPath $manifest).CmdletsToExport | ForEach-Object { @{ Name = $_ } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $module = Import-ModuleUnderTest
    $helpFile = Join-Path $module.ModuleBase 'en-US/OpenAIImages.dll-Help.xml'
    $aboutFile = Join-Path $module.ModuleBase 'en-US/about_OpenAIImages.help.txt'
    $helpBuilt = Test-Path -LiteralPath $helpFile -PathType Leaf

    # Parameters every cmdlet gets from PowerShell, documented by about_CommonParameters; -WhatIf and -Confirm stay.
    $commonParameters = @([System.Management.Automation.Cmdlet]::CommonParameters) + 'UseTransaction'

    function Assert-HelpBuilt {
        if ($helpBuilt) { return }
        throw "The module at $($module.ModuleBase) has no MAML help (en-US/OpenAIImages.dll-Help.xml). Build it with ./build.ps1 -Task Docs (needs Microsoft.PowerShell.PlatyPS 1.0.3), or run the suite with ./build.ps1 -Task Test."
    }

    function Get-MarkdownDefault {
        # The default value each parameter has in docs/en-US/<Name>.md, as PlatyPS reads it, by parameter name.
        param([string] $Name)
        Import-Module -Name Microsoft.PowerShell.PlatyPS -RequiredVersion 1.0.3 -ErrorAction Stop
        $defaults = @{}
        foreach ($parameter in (Import-MarkdownCommandHelp -LiteralPath (Join-Path (Get-RepositoryRoot) "docs/en-US/$Name.md")).Parameters) {
            if (([string] $parameter.DefaultValue).Trim()) { $defaults[$parameter.Name] = ([string] $parameter.DefaultValue).Trim() }
        }
        $defaults
    }
}

Describe 'OpenAIImages help' {
    It 'finds the exported cmdlets in the built manifest' {
        $manifestCmdlets = @((Import-PowerShellDataFile -LiteralPath (Get-TestManifestPath)).CmdletsToExport)
        $manifestCmdlets.Count | Should -BeGreaterThan 0 -Because 'the help gate checks every exported cmdlet, so it must find them'
        @(Get-Command -Module OpenAIImages -CommandType Cmdlet).Count | Should -Be $manifestCmdlets.Count
    }

    It 'ships the MAML help file in the module folder' {
        Assert-HelpBuilt
        [xml] $maml = Get-Content -LiteralPath $helpFile -Raw
        @($maml.helpItems.command).Count | Should -BeGreaterThan 0
    }

    It 'ships about_OpenAIImages' {
        Assert-HelpBuilt
        Test-Path -LiteralPath $aboutFile -PathType Leaf | Should -BeTrue
        $about = Get-Content -LiteralPath $aboutFile -Raw
        $about | Should -Match 'OPENAI_API_KEY'
        $about | Should -Match 'AZURE_OPENAI_API_KEY'
        $about | Should -Match 'ConvertTo-AlphaMask'
        $about | Should -Match '-MaxRetries'
        $about | Should -Match '-IncludePartialImages'
    }

    It 'Get-Help about_OpenAIImages shows the topic once the module is imported' {
        Assert-HelpBuilt
        $topic = Get-Help -Name about_OpenAIImages
        $topic | Should -Not -BeNullOrEmpty
        ($topic | Out-String) | Should -Match 'OPENAI_API_KEY'
    }

    It 'gates ConvertTo-AlphaMask with the other cmdlets' {
        # The gate below runs for every cmdlet the manifest exports; this holds the newest one to it by name.
        @((Import-PowerShellDataFile -LiteralPath (Get-TestManifestPath)).CmdletsToExport) | Should -Contain 'ConvertTo-AlphaMask'
        Get-Command -Name ConvertTo-AlphaMask -Module OpenAIImages -CommandType Cmdlet | Should -Not -BeNullOrEmpty
    }

    It 'shows ConvertTo-AlphaMask feeding Edit-OpenAIImage -Mask, with -MatchSize' {
        Assert-HelpBuilt
        $code = @((Get-Help -Name ConvertTo-AlphaMask -Full).Examples.Example | ForEach-Object { [string] $_.Code }) -join "`n"
        $code | Should -Match 'Edit-OpenAIImage .*-Mask'
        $code | Should -Match '-MatchSize'
    }
}

Describe '<Name> help' -ForEach $cmdlets {
    BeforeAll {
        $command = Get-Command -Name $Name -Module OpenAIImages
        $help = Get-Help -Name $Name -Full
    }

    It 'has a synopsis' {
        Assert-HelpBuilt
        $synopsis = ([string] $help.Synopsis).Trim()
        $synopsis | Should -Not -BeNullOrEmpty
        # Help made from the parameters alone has the syntax as its synopsis.
        $synopsis | Should -Not -Match ('^' + [regex]::Escape($Name) + '\s+\[')
    }

    It 'has a description' {
        Assert-HelpBuilt
        $description = (@($help.Description | ForEach-Object { $_.Text }) -join "`n").Trim()
        $description | Should -Not -BeNullOrEmpty
    }

    It 'has at least three examples, each with code and an explanation' {
        Assert-HelpBuilt
        $examples = @($help.Examples.Example)
        $examples.Count | Should -BeGreaterOrEqual 3
        foreach ($example in $examples) {
            ([string] $example.Code).Trim() | Should -Not -BeNullOrEmpty -Because "$($example.Title) needs code"
            (@($example.Remarks | ForEach-Object { $_.Text }) -join '').Trim() | Should -Not -BeNullOrEmpty -Because "$($example.Title) needs an explanation"
        }
    }

    It 'describes every parameter' {
        Assert-HelpBuilt
        $undescribed = foreach ($parameterName in $command.Parameters.Keys) {
            if ($commonParameters -contains $parameterName) { continue }
            $entry = @($help.Parameters.Parameter) | Where-Object { $_.Name -eq $parameterName } | Select-Object -First 1
            $text = if ($entry) { (@($entry.Description | ForEach-Object { $_.Text }) -join '').Trim() } else { '' }
            if (-not $text) { $parameterName }
        }
        @($undescribed) | Should -BeNullOrEmpty -Because "every parameter of $Name needs a description in docs/en-US/$Name.md"
    }

    It 'names the cmdlet''s output type' {
        Assert-HelpBuilt
        $documented = @($help.returnValues.returnValue | ForEach-Object { ([string] $_.type.name).Trim() })
        foreach ($type in $command.OutputType) {
            $documented | Should -Contain $type.Name -Because "the OUTPUTS of docs/en-US/$Name.md should name $($type.Name)"
        }
    }

    It 'shows the default value the markdown gives for every parameter' {
        Assert-HelpBuilt
        $defaults = Get-MarkdownDefault -Name $Name
        $defaults.Count | Should -BeGreaterThan 0 -Because "docs/en-US/$Name.md gives default values"
        foreach ($parameterName in $defaults.Keys) {
            $entry = @($help.Parameters.Parameter) | Where-Object { $_.Name -eq $parameterName } | Select-Object -First 1
            $entry | Should -Not -BeNullOrEmpty -Because "-$parameterName is in the markdown"
            ([string] $entry.defaultValue).Trim() | Should -Be $defaults[$parameterName] -Because "Get-Help $Name -Parameter $parameterName shows the default its markdown gives"
        }
    }

    It 'lists related help pages by command name, not by file name' {
        Assert-HelpBuilt
        $links = @($help.relatedLinks.navigationLink)
        $links.Count | Should -BeGreaterThan 0
        foreach ($link in $links) {
            [string] $link.uri | Should -Not -Match '\.md$' -Because "$($link.linkText) is a help page"
        }
        @($links | Where-Object { -not $_.uri } | ForEach-Object { $_.linkText }) | Should -Contain 'about_OpenAIImages'
    }

    It 'keeps no PlatyPS placeholder and no doubled common-parameter text in its markdown' {
        $text = Get-Content -Raw -LiteralPath (Join-Path (Get-RepositoryRoot) "docs/en-US/$Name.md")
        $text | Should -Not -Match '\{\{ *Fill'
        # Update-MarkdownCommandHelp appends its stock sentence to a -WhatIf or -Confirm that has its own.
        ([regex]::Matches($text, 'Runs the command in a mode that only reports')).Count + ([regex]::Matches($text, 'Shows what would happen if the cmdlet runs')).Count | Should -BeLessOrEqual 1
    }

    It 'documents no parameter the cmdlet does not have' {
        Assert-HelpBuilt
        $stale = @($help.Parameters.Parameter) | Where-Object { $_ -and -not $command.Parameters.ContainsKey($_.Name) } | ForEach-Object { $_.Name }
        @($stale) | Should -BeNullOrEmpty
    }
}
