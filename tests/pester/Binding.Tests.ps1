# What binds from the pipeline, and where results go: every per-request option binds by property name from a row
# (a CSV line, an object made for the purpose), an empty cell means "not given", and the properties of an image or a
# file piped in are never taken as options. The FakeApi's recording (GET /_fake/requests) shows what was sent.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $savedEnvironment = Clear-OpenAIEnvironment
    Import-ModuleUnderTest | Out-Null
    Import-TestPngType
    $server = Start-TestServer
    $conn = @{ ApiKey = 'test-key'; BaseUri = $server.BaseUri }
    $images = Join-Path $TestDrive 'inputs'
    $red = New-TestPng -Path (Join-Path $images 'red.png') -Kind Red
    $blue = New-TestPng -Path (Join-Path $images 'blue.png') -Kind Blue
    New-TestMaskPng -Path (Join-Path $images 'bw.png') | Out-Null
    $mask = ConvertTo-AlphaMask -Path (Join-Path $images 'bw.png') -MatchSize $red -OutFile (Join-Path $images 'mask.png')

    function Get-SentFields {
        @(Get-TestServerRequest $server | ForEach-Object { $_.fields })
    }
}

AfterAll {
    Stop-TestServer $server
    Restore-OpenAIEnvironment $savedEnvironment
}

Describe 'Rows carry the options of their own request' {
    BeforeEach {
        Reset-TestServerTraffic $server
        $out = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
    }

    It 'New-OpenAIImage takes Count, OutputFormat, OutputCompression, Background, Moderation, Quality and User from a row' {
        $row = [pscustomobject]@{ Prompt = 'A frog'; Count = '2'; OutputFormat = 'webp'; OutputCompression = '50'; Background = 'opaque'; Moderation = 'low'; Quality = 'low'; User = 'row-user' }
        $results = $row | New-OpenAIImage @conn
        $results | Should -HaveCount 2
        $results.OutputFormat | Should -Be @('webp', 'webp')
        $fields = Get-SentFields
        $fields | Should -HaveCount 1
        $fields[0].n | Should -Be '2'
        $fields[0].output_format | Should -Be 'webp'
        $fields[0].output_compression | Should -Be '50'
        $fields[0].background | Should -Be 'opaque'
        $fields[0].moderation | Should -Be 'low'
        $fields[0].quality | Should -Be 'low'
        $fields[0].user | Should -Be 'row-user'
    }

    It 'New-OpenAIImage sends nothing for the empty cells of a CSV row' {
        $rows = "Prompt,Count,OutputFormat,OutputCompression,Background,Moderation,Style,User`nA toad,,,,,,,`nA newt,3,jpeg,80,,,," | ConvertFrom-Csv
        $results = $rows | New-OpenAIImage @conn -Quality low
        $results | Should -HaveCount 4
        $fields = Get-SentFields
        $fields | Should -HaveCount 2
        $sent = @($fields[0].PSObject.Properties.Name)
        foreach ($name in 'n', 'output_format', 'output_compression', 'background', 'moderation', 'style', 'user') { $sent | Should -Not -Contain $name }
        $fields[1].n | Should -Be '3'
        $fields[1].output_format | Should -Be 'jpeg'
        $fields[1].output_compression | Should -Be '80'
    }

    It 'New-OpenAIImage takes Style from a row for a model that has styles' {
        $null = [pscustomobject]@{ Prompt = 'A heron'; Style = 'natural'; Model = 'dall-e-3' } | New-OpenAIImage @conn -WarningAction SilentlyContinue
        (Get-SentFields)[0].style | Should -Be 'natural'
    }

    It 'a hashtable''s Prompt key is the prompt, and nothing else of it is sent as text' {
        $result = @{ Prompt = 'A frog' } | New-OpenAIImage @conn -Quality low
        $result.Prompt | Should -BeExactly 'A frog'
        (Get-SentFields)[0].prompt | Should -BeExactly 'A frog'
    }

    It 'an object without a Prompt is refused for its item alone, and nothing is sent for it' {
        $ErrorActionPreference = 'Continue'
        $results = [pscustomobject]@{ Text = 'A frog' }, 'A real prompt' | New-OpenAIImage @conn -Quality low -ErrorVariable bad 2>$null
        $results | Should -HaveCount 1
        $bad | Should -HaveCount 1
        $bad[0].Exception.Message | Should -BeLike '*is not a prompt*'
        (Get-SentFields).prompt | Should -Be @('A real prompt')
    }

    It 'Edit-OpenAIImage takes Path, Prompt, Mask, Size, Quality, InputFidelity and Count from CSV rows, one prompt per row' {
        $csv = Join-Path $TestDrive 'edits.csv'
        @(
            [pscustomobject]@{ Path = $red.FullName; Prompt = 'add a hat'; Mask = $mask.Path; Size = '1024x1536'; Quality = 'low'; InputFidelity = 'high'; Count = '2' }
            [pscustomobject]@{ Path = $blue.FullName; Prompt = 'make it night'; Mask = ''; Size = ''; Quality = ''; InputFidelity = ''; Count = '' }
        ) | Export-Csv -LiteralPath $csv
        $results = Import-Csv -LiteralPath $csv | Edit-OpenAIImage @conn
        $results | Should -HaveCount 3
        $requests = @(Get-TestServerRequest $server)
        $requests | Should -HaveCount 2
        $requests[0].fields.prompt | Should -BeExactly 'add a hat'
        $requests[0].fields.size | Should -Be '1024x1536'
        $requests[0].fields.quality | Should -Be 'low'
        $requests[0].fields.input_fidelity | Should -Be 'high'
        $requests[0].fields.n | Should -Be '2'
        @($requests[0].files | Where-Object name -EQ 'mask') | Should -HaveCount 1
        $requests[1].fields.prompt | Should -BeExactly 'make it night'
        @($requests[1].fields.PSObject.Properties.Name) | Should -Not -Contain 'size'
        @($requests[1].files | Where-Object name -EQ 'mask') | Should -HaveCount 0
    }

    It 'Edit-OpenAIImage reports a row whose mask cannot be read, and goes on with the other rows' {
        $ErrorActionPreference = 'Continue'
        $rows = @(
            [pscustomobject]@{ Path = $red.FullName; Prompt = 'one'; Mask = (Join-Path $images 'no-such-mask.png') }
            [pscustomobject]@{ Path = $blue.FullName; Prompt = 'two' }
        )
        $results = $rows | Edit-OpenAIImage @conn -Quality low -ErrorVariable bad 2>$null
        $results | Should -HaveCount 1
        $bad | Should -HaveCount 1
        $bad[0].FullyQualifiedErrorId | Should -BeLike 'ImageNotFound,*'
        (Get-SentFields).prompt | Should -Be @('two')
    }

    It 'New-OpenAIImageVariation takes Size and Count from a row' {
        $square = Join-Path $TestDrive 'square.png'
        New-TestSolidPng -Path $square -Width 32 -Height 32 | Out-Null
        $null = [pscustomobject]@{ Path = $square; Size = '256x256'; Count = '2' } | New-OpenAIImageVariation @conn -WarningAction SilentlyContinue
        $fields = Get-SentFields
        $fields[0].size | Should -Be '256x256'
        $fields[0].n | Should -Be '2'
        $fields[0].model | Should -Be 'dall-e-2'
    }
}

Describe 'Images and files piped in are inputs, not options' {
    BeforeEach {
        Reset-TestServerTraffic $server
    }

    It 'a gpt-image-2 result piped to New-OpenAIImageVariation still gets dall-e-2, at its default size' {
        $image = New-OpenAIImage 'A cat' @conn -Size 1024x1024 -Quality low
        Reset-TestServerTraffic $server
        $variation = $image | New-OpenAIImageVariation @conn -WarningAction SilentlyContinue
        $variation.Model | Should -Be 'dall-e-2'
        $fields = Get-SentFields
        $fields[0].model | Should -Be 'dall-e-2'
        @($fields[0].PSObject.Properties.Name) | Should -Not -Contain 'size'
    }

    It 'a result piped to Edit-OpenAIImage does not set the edit''s Size, Quality or OutputFormat' {
        $image = New-OpenAIImage 'A cat' @conn -Size 1536x1024 -Quality low -OutputFormat webp
        Reset-TestServerTraffic $server
        $null = $image | Edit-OpenAIImage -Prompt 'add a hat' @conn
        $sent = @((Get-SentFields)[0].PSObject.Properties.Name)
        foreach ($name in 'size', 'quality', 'output_format') { $sent | Should -Not -Contain $name }
    }

    It 'files from Get-ChildItem do not set the size (FileInfo has a Size property on Linux and macOS)' {
        $null = Get-ChildItem -LiteralPath $red.FullName, $blue.FullName | Edit-OpenAIImage -Prompt 'as a sketch' @conn -Quality low
        $fields = Get-SentFields
        $fields | Should -HaveCount 2
        foreach ($f in $fields) { @($f.PSObject.Properties.Name) | Should -Not -Contain 'size' }
    }

    It 'byte arrays do not set the count (an array has a Count property)' {
        $null = , [System.IO.File]::ReadAllBytes($red.FullName) | Edit-OpenAIImage -Prompt 'as a sketch' @conn -Quality low
        @((Get-SentFields)[0].PSObject.Properties.Name) | Should -Not -Contain 'n'
    }
}

Describe '-OutFile means what it says' {
    BeforeEach {
        Reset-TestServerTraffic $server
        $out = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $out | Out-Null
    }

    It 'asks for the format its extension names when -OutputFormat is not given' {
        $result = New-OpenAIImage 'A fox' @conn -Quality low -OutFile (Join-Path $out 'fox.webp')
        (Get-SentFields)[0].output_format | Should -Be 'webp'
        $result.Path | Should -Be (Join-Path $out 'fox.webp')
        $result.OutputFormat | Should -Be 'webp'
    }

    It 'takes .jpg as jpeg' {
        $null = New-OpenAIImage 'A fox' @conn -Quality low -OutFile (Join-Path $out 'fox.jpg')
        (Get-SentFields)[0].output_format | Should -Be 'jpeg'
        Test-Path -LiteralPath (Join-Path $out 'fox.jpg') | Should -BeTrue
    }

    It 'sends no output_format for a model with one fixed format, when the name is a PNG''s' {
        $result = New-OpenAIImage 'A fox' @conn -Model dall-e-3 -OutFile (Join-Path $out 'fox.png') -WarningAction SilentlyContinue
        @((Get-SentFields)[0].PSObject.Properties.Name) | Should -Not -Contain 'output_format'
        $result.Path | Should -Be (Join-Path $out 'fox.png')
    }

    It 'places a relative OutFile from a row in the call''s -OutputDirectory' {
        $result = [pscustomobject]@{ Prompt = 'A toad'; OutFile = 'toad.webp' } | New-OpenAIImage @conn -Quality low -OutputDirectory $out
        $result.Path | Should -Be (Join-Path $out 'toad.webp')
        (Get-SentFields)[0].output_format | Should -Be 'webp'
    }

    It 'saves each row where its own OutputDirectory says, and a row with an empty cell nowhere' {
        $rows = @(
            [pscustomobject]@{ Prompt = 'one'; OutputDirectory = (Join-Path $out 'a') }
            [pscustomobject]@{ Prompt = 'two'; OutputDirectory = '' }
            [pscustomobject]@{ Prompt = 'three'; OutputDirectory = (Join-Path $out 'c') }
        )
        $results = $rows | New-OpenAIImage @conn -Quality low
        Split-Path -Parent $results[0].Path | Should -Be (Join-Path $out 'a')
        $results[1].Path | Should -BeNullOrEmpty
        Split-Path -Parent $results[2].Path | Should -Be (Join-Path $out 'c')
    }

    It 'refuses a row whose OutFile exists, before sending it, and goes on with the others' {
        $ErrorActionPreference = 'Continue'
        Set-Content -LiteralPath (Join-Path $out 'taken.png') -Value 'keep me'
        $rows = @(
            [pscustomobject]@{ Prompt = 'one'; OutFile = 'taken.png' }
            [pscustomobject]@{ Prompt = 'two'; OutFile = 'free.png' }
        )
        $results = $rows | New-OpenAIImage @conn -Quality low -OutputDirectory $out -ErrorVariable bad 2>$null
        $results | Should -HaveCount 1
        $bad[0].FullyQualifiedErrorId | Should -BeLike 'OutputFileExists,*'
        (Get-SentFields).prompt | Should -Be @('two')
        Get-Content -LiteralPath (Join-Path $out 'taken.png') | Should -Be 'keep me'
    }

    It 'wins over an -OutputDirectory that only $PSDefaultParameterValues sets, and says so with -Verbose' {
        $defaults = Join-Path $out 'defaults'
        $PSDefaultParameterValues['New-OpenAIImage:OutputDirectory'] = $defaults
        try {
            $result = New-OpenAIImage 'A newt' @conn -Quality low -OutFile (Join-Path $out 'newt.png') -Verbose 4>&1
        }
        finally {
            $PSDefaultParameterValues.Remove('New-OpenAIImage:OutputDirectory')
        }
        $image = @($result | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
        $verbose = @($result | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        $image[0].Path | Should -Be (Join-Path $out 'newt.png')
        ($verbose.Message -join "`n") | Should -BeLike '*PSDefaultParameterValues*'
        Test-Path -LiteralPath $defaults | Should -BeFalse
    }

    It 'keeps -OutputDirectory and -OutFile both given on the command line an error' {
        { New-OpenAIImage 'A newt' @conn -OutFile (Join-Path $out 'x.png') -OutputDirectory $out } | Should -Throw -ErrorId 'OutFileAndOutputDirectory,*'
        (Get-TestServerTraffic $server).requests | Should -Be 0
    }
}
