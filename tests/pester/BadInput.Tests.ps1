# Bad input at the prompt: each case is refused with the module's error id before any request is sent (the
# FakeApi counts what arrives), and nothing is written to the output folder. Inputs that are not images to work on
# (a folder, a partial image) are refused or passed over without a paid request.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $savedEnvironment = Clear-OpenAIEnvironment
    Import-ModuleUnderTest | Out-Null
    $server = Start-TestServer
    $conn = @{ ApiKey = 'test-key'; BaseUri = $server.BaseUri }
    $images = Join-Path $TestDrive 'inputs'
    $red = New-TestPng -Path (Join-Path $images 'red.png') -Kind Red
    $folder = Join-Path $images 'a-folder'
    New-Item -ItemType Directory -Path $folder | Out-Null
    New-TestPng -Path (Join-Path $folder 'inside.png') -Kind Blue | Out-Null
    $token = ConvertTo-SecureString 'test-token' -AsPlainText -Force
    $redHash = Get-FileHashText -Path $red
}

AfterAll {
    Stop-TestServer $server
    Restore-OpenAIEnvironment $savedEnvironment
}

Describe 'Bad input is refused before anything is sent' {
    BeforeEach {
        Reset-TestServerTraffic $server
        $out = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
    }

    It '<Name>: <Id>, no request, no file' -ForEach @(
        @{ Name = 'New-OpenAIImage with -ApiKey and -AccessToken'; Id = 'ApiKeyAndAccessToken'; Call = { New-OpenAIImage 'a frog' -ApiKey 'test-key' -AccessToken $token -BaseUri $server.BaseUri -OutputDirectory $out } }
        @{ Name = 'Edit-OpenAIImage with -ApiKey and -AccessToken'; Id = 'ApiKeyAndAccessToken'; Call = { Edit-OpenAIImage 'a hat' -Path $red -ApiKey 'test-key' -AccessToken $token -BaseUri $server.BaseUri -OutputDirectory $out } }
        @{ Name = 'New-OpenAIImageVariation with -ApiKey and -AccessToken'; Id = 'ApiKeyAndAccessToken'; Call = { New-OpenAIImageVariation $red -ApiKey 'test-key' -AccessToken $token -BaseUri $server.BaseUri -OutputDirectory $out } }
        @{ Name = 'a key that is only spaces'; Id = 'ApiKeyMissing'; Call = { New-OpenAIImage 'a frog' -ApiKey '   ' -BaseUri $server.BaseUri -OutputDirectory $out } }
        @{ Name = 'an access token that is only spaces'; Id = 'ApiKeyMissing'; Call = { New-OpenAIImage 'a frog' -AccessToken '  ' -BaseUri $server.BaseUri -OutputDirectory $out } }
        @{ Name = 'Edit-OpenAIImage -Path naming a folder'; Id = 'ImageNotFound'; Call = { Edit-OpenAIImage 'a hat' -Path $folder @conn -OutputDirectory $out } }
        @{ Name = 'Edit-OpenAIImage -LiteralPath naming a folder'; Id = 'ImageNotFound'; Call = { Edit-OpenAIImage 'a hat' -LiteralPath $folder @conn -OutputDirectory $out } }
        @{ Name = 'a folder piped from Get-Item into Edit-OpenAIImage'; Id = 'ImageNotFound'; Call = { Get-Item -LiteralPath $folder | Edit-OpenAIImage -Prompt 'a hat' @conn -OutputDirectory $out } }
        @{ Name = 'New-OpenAIImageVariation -Path naming a folder'; Id = 'ImageNotFound'; Call = { New-OpenAIImageVariation $folder @conn -OutputDirectory $out } }
        @{ Name = 'ConvertTo-AlphaMask -Path naming a folder'; Id = 'ImageNotFound'; Call = { ConvertTo-AlphaMask $folder -OutputDirectory $out } }
        @{ Name = 'New-OpenAIImage -OutputDirectory naming a file'; Id = 'OutputDirectoryIsFile'; Call = { New-OpenAIImage 'a frog' @conn -OutputDirectory $red } }
        @{ Name = 'Edit-OpenAIImage -OutputDirectory naming a file'; Id = 'OutputDirectoryIsFile'; Call = { Edit-OpenAIImage 'a hat' -Path $red @conn -OutputDirectory $red } }
        @{ Name = 'ConvertTo-AlphaMask -OutputDirectory naming a file'; Id = 'OutputDirectoryIsFile'; Call = { ConvertTo-AlphaMask $red -OutputDirectory $red } }
        @{ Name = 'New-OpenAIImage -OutFile naming a folder'; Id = 'OutFileIsFolder'; Call = { New-OpenAIImage 'a frog' @conn -OutFile $folder } }
        @{ Name = 'New-OpenAIImageVariation -OutFile naming a folder'; Id = 'OutFileIsFolder'; Call = { New-OpenAIImageVariation $red @conn -OutFile $folder } }
    ) {
        # Errors that end the call are thrown; those of one item are written: both are collected.
        try {
            $all = @(& $Call 2>&1)
        }
        catch {
            $all = @($_)
        }
        $failures = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $output = @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] })
        @($output) | Should -BeNullOrEmpty
        @($failures).Count | Should -BeGreaterThan 0
        @($failures)[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
        (Get-TestServerTraffic $server).requests | Should -Be 0
        @(Get-ChildItem -LiteralPath $out -Recurse -File -ErrorAction SilentlyContinue) | Should -HaveCount 0
        # The inputs, which some cases name as output targets, are as they were.
        @(Get-ChildItem -LiteralPath $images -Recurse -File | ForEach-Object Name | Sort-Object) | Should -Be @('inside.png', 'red.png')
        Get-FileHashText -Path $red | Should -Be $redHash
    }

    It 'says a folder is a folder, and how to name the images in it' {
        Edit-OpenAIImage 'a hat' -Path $folder @conn -ErrorAction SilentlyContinue -ErrorVariable failures | Out-Null
        [string] $failures[0] | Should -Match 'is a folder, not an image file'
        [string] $failures[0] | Should -Match ([regex]::Escape((Join-Path $folder '*.png')))
    }

    It 'passes over folders that a wildcard matches, and edits the images it matches' {
        $results = Edit-OpenAIImage 'a hat' -Path (Join-Path $images '*') @conn -Quality low -ErrorVariable failures
        @($failures) | Should -HaveCount 0
        @($results) | Should -HaveCount 1
        (Get-TestServerTraffic $server).requests | Should -Be 1
    }
}

Describe 'What binds to -Prompt from the pipeline' {
    BeforeEach { Reset-TestServerTraffic $server }

    It 'refuses <Name> as a prompt, sends nothing, and goes on with the next item' -ForEach @(
        @{ Name = 'an object without a Prompt property'; Item = { [pscustomobject]@{ Text = 'A frog' } } }
        @{ Name = 'a hashtable without a Prompt key'; Item = { @{ Text = 'A frog' } } }
        @{ Name = 'a number'; Item = { 42 } }
        @{ Name = 'a file'; Item = { Get-Item -LiteralPath $red } }
        @{ Name = 'an object whose Prompt is not text'; Item = { [pscustomobject]@{ Prompt = @(1, 2) } } }
    ) {
        # The refusal is an error for one item, written; a runner's 'Stop' preference must not turn it into the end of the call.
        $ErrorActionPreference = 'Continue'
        $all = @((& $Item), 'A real prompt' | New-OpenAIImage @conn -Quality low 2>&1)
        $failures = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $images = @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] })
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentTransformationError,*'
        [string] $failures[0] | Should -Match 'is not a prompt'
        $images | Should -HaveCount 1
        $images[0].Prompt | Should -BeExactly 'A real prompt'
        (Get-TestServerTraffic $server).requests | Should -Be 1
    }

    It 'takes the Prompt key of a hashtable and the Prompt property of a CSV row' {
        $results = @(@{ Prompt = 'A frog from a hashtable' }, ('Prompt,Size' + [Environment]::NewLine + 'A frog from a row,1024x1536' | ConvertFrom-Csv) | New-OpenAIImage @conn -Quality low)
        $results | Should -HaveCount 2
        $results[0].Prompt | Should -BeExactly 'A frog from a hashtable'
        $results[1].Prompt | Should -BeExactly 'A frog from a row'
        $results[1].Size | Should -Be '1024x1536'
        (Get-TestServerTraffic $server).requests | Should -Be 2
    }
}

Describe 'CSV rows carry every per-request setting' {
    BeforeEach { Reset-TestServerTraffic $server }

    It 'makes each row of Prompt, Count and OutputFormat with its own count and format; empty cells mean the defaults' {
        $rows = @'
Prompt,Count,OutputFormat
Two webp foxes,2,webp
One jpeg fox,,jpeg
One default fox,1,
'@ | ConvertFrom-Csv
        $results = @($rows | New-OpenAIImage @conn -Quality low)
        (Get-TestServerTraffic $server).requests | Should -Be 3
        @($results | Where-Object Prompt -eq 'Two webp foxes' | ForEach-Object OutputFormat) | Should -Be @('webp', 'webp')
        @($results | Where-Object Prompt -eq 'One jpeg fox' | ForEach-Object OutputFormat) | Should -Be @('jpeg')
        @($results | Where-Object Prompt -eq 'One default fox' | ForEach-Object OutputFormat) | Should -Be @('png')
    }

    It 'edits each row''s Path with that row''s Prompt' {
        $blue = New-TestPng -Path (Join-Path $TestDrive 'rows/blue.png') -Kind Blue
        $rows = @"
Path,Prompt
$($red.FullName),a red hat
$($blue.FullName),a blue scarf
"@ | ConvertFrom-Csv
        $results = @($rows | Edit-OpenAIImage @conn -Quality low)
        $results | Should -HaveCount 2
        $results[0].Prompt | Should -BeExactly 'a red hat'
        $results[1].Prompt | Should -BeExactly 'a blue scarf'
        (Get-TestServerTraffic $server).requests | Should -Be 2
    }

    It 'refuses to edit an image of this module with the prompt that made it: -Prompt must say what to change' {
        $image = New-OpenAIImage 'a plain fox' @conn -Quality low
        Reset-TestServerTraffic $server
        $ErrorActionPreference = 'Continue'
        $all = @($image | Edit-OpenAIImage @conn -Quality low 2>&1)
        @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] }) | Should -HaveCount 0
        $all[0].FullyQualifiedErrorId | Should -BeLike 'PromptEmpty,*'
        (Get-TestServerTraffic $server).requests | Should -Be 0
    }
}

Describe 'What people call formats' {
    It 'takes -OutputFormat jpg as jpeg, for a generation and an edit' {
        Reset-TestServerTraffic $server
        (New-OpenAIImage 'a jpg fox' @conn -Quality low -OutputFormat jpg).OutputFormat | Should -Be 'jpeg'
        (Edit-OpenAIImage 'a jpg hat' -Path $red @conn -Quality low -OutputFormat JPG).OutputFormat | Should -Be 'jpeg'
        (Get-TestServerTraffic $server).requests | Should -Be 2
    }
}

Describe 'Tab completion of -Model' {
    It 'offers the models api.openai.com still serves first, and marks the others as shut down there' {
        $line = 'New-OpenAIImage -Model '
        $completions = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches)
        $completions[0].CompletionText | Should -Be 'gpt-image-2'
        $retired = @($completions | Where-Object CompletionText -in 'gpt-image-1', 'gpt-image-1.5', 'dall-e-3', 'dall-e-2')
        $retired | Should -HaveCount 4
        foreach ($match in $retired) {
            $match.ToolTip | Should -Match 'shut down on api.openai.com'
            [array]::IndexOf($completions, $match) | Should -BeGreaterThan 1
        }
        ($completions | Where-Object CompletionText -eq 'gpt-image-2').ToolTip | Should -Not -Match 'shut down'
    }
}

Describe 'Partial images are not inputs' {
    It 'edits only the final image of a streamed generation, and says so in the verbose stream' {
        Reset-TestServerTraffic $server
        $run = Invoke-InNewRunspace -Arguments @{ Conn = $conn } -ScriptBlock {
            param($Conn)
            New-OpenAIImage 'A fox' @Conn -Quality low -IncludePartialImages -PartialImages 2 |
                Edit-OpenAIImage -Prompt 'add a hat' @Conn -Quality low -Verbose 4>&1
        }
        $edits = @($run.Output | Where-Object { (Get-TypeName $_) -like '*GeneratedImage' })
        $edits | Should -HaveCount 1
        $edits[0].Operation | Should -Be 'Edit'
        (Get-TestServerTraffic $server).requests | Should -Be 2
        @($run.Output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -and $_.Message -match 'partial image' }).Count | Should -Be 2
    }

    It 'makes variations and masks only of final images too' {
        Reset-TestServerTraffic $server
        $masks = New-OpenAIImage 'A fox' @conn -Quality low -IncludePartialImages -PartialImages 1 | ConvertTo-AlphaMask
        @($masks) | Should -HaveCount 1
    }
}
