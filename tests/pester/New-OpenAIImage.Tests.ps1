BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $savedEnvironment = Clear-OpenAIEnvironment
    $module = Import-ModuleUnderTest
    $server = Start-TestServer
    $conn = @{ ApiKey = 'test-key'; BaseUri = $server.BaseUri }
}

AfterAll {
    Stop-TestServer $server
    Restore-OpenAIEnvironment $savedEnvironment
}

Describe 'New-OpenAIImage' {
    Context 'the module under test' {
        It 'comes from the built folder' {
            (Get-Command New-OpenAIImage).Module.ModuleBase | Should -Be (Split-Path -Parent (Get-TestManifestPath))
        }
    }

    Context 'pipeline input' {
        It 'makes one image per prompt string, in input order' {
            $results = 'a red fox', 'a blue whale' | New-OpenAIImage @conn -Size 1024x1024 -Quality low
            $results | Should -HaveCount 2
            $results[0].Prompt | Should -BeExactly 'a red fox'
            $results[1].Prompt | Should -BeExactly 'a blue whale'
            $results[0].Operation | Should -Be 'Generation'
            $results[0].Model | Should -Be 'gpt-image-2'
            $results[0].Size | Should -Be '1024x1024'
            $results[0].Bytes.Length | Should -BeGreaterThan 0
        }

        It 'binds Prompt, Size, Quality and Model from CSV rows' {
            $rows = @'
Prompt,Size,Quality,Model
A watercolor harbor,1536x1024,low,gpt-image-2
A pencil owl,1024x1536,medium,gpt-image-1
'@ | ConvertFrom-Csv
            $results = $rows | New-OpenAIImage @conn
            $results | Should -HaveCount 2
            $results[0].Prompt | Should -BeExactly 'A watercolor harbor'
            $results[0].Size | Should -Be '1536x1024'
            $results[0].Model | Should -Be 'gpt-image-2'
            $results[1].Size | Should -Be '1024x1536'
            $results[1].Model | Should -Be 'gpt-image-1'
            $results[1].Quality | Should -Be 'medium'
        }

        It 'binds -Prompt from the property of any object' {
            $result = [pscustomobject]@{ Prompt = 'a lantern'; Note = 'ignored' } | New-OpenAIImage @conn -Quality low
            $result | Should -HaveCount 1
            $result.Prompt | Should -BeExactly 'a lantern'
        }

        It 'keeps input order with several requests in flight' {
            $prompts = 1..5 | ForEach-Object { "prompt number $_" }
            $results = $prompts | New-OpenAIImage @conn -Quality low -ThrottleLimit 3
            $results | Should -HaveCount 5
            ($results | ForEach-Object { $_.Prompt }) | Should -Be $prompts
        }

        It 'makes -Count images per prompt, numbered by Index' {
            $results = New-OpenAIImage 'three kites' @conn -Quality low -Count 3
            $results | Should -HaveCount 3
            ($results | ForEach-Object { $_.Index }) | Should -Be @(0, 1, 2)
        }
    }

    Context 'saving' {
        It 'saves into -OutputDirectory under a name made from the prompt' {
            $directory = Join-Path $TestDrive 'named'
            $result = New-OpenAIImage 'A lighthouse at dawn' @conn -Quality low -OutputDirectory $directory
            $result.Path | Should -Not -BeNullOrEmpty
            Split-Path -Leaf $result.Path | Should -BeLike 'a-lighthouse-at-dawn-*-1.png'
            Test-Path -LiteralPath $result.Path | Should -BeTrue
            Test-PngSignature $result.Path | Should -BeTrue
            Get-FileHashText $result.Path | Should -Be (Get-BytesHashText $result.Bytes)
        }

        It 'never replaces a file in -OutputDirectory' {
            $directory = Join-Path $TestDrive 'twice'
            $first = New-OpenAIImage 'the same prompt' @conn -Quality low -OutputDirectory $directory
            $second = New-OpenAIImage 'the same prompt' @conn -Quality low -OutputDirectory $directory
            $second.Path | Should -Not -Be $first.Path
            @(Get-ChildItem -LiteralPath $directory -File) | Should -HaveCount 2
            Get-FileHashText $first.Path | Should -Be (Get-BytesHashText $first.Bytes)
        }

        It 'resolves a relative -OutputDirectory against the current location' {
            Push-Location -LiteralPath $TestDrive
            try {
                $result = New-OpenAIImage 'relative' @conn -Quality low -OutputDirectory 'relative-out'
            }
            finally {
                Pop-Location
            }
            @(Get-ChildItem -LiteralPath (Join-Path $TestDrive 'relative-out') -File) | Should -HaveCount 1
            Test-Path -LiteralPath $result.Path | Should -BeTrue
        }

        It 'leaves an existing -OutFile alone without -Force: OutputFileExists, and the image is still output' {
            $file = Join-Path $TestDrive 'keep.png'
            $first = New-OpenAIImage 'first picture' @conn -Quality low -OutFile $file
            $before = Get-FileHashText $file
            $before | Should -Be (Get-BytesHashText $first.Bytes)

            $second = New-OpenAIImage 'second picture' @conn -Quality low -OutFile $file -ErrorAction SilentlyContinue -ErrorVariable saveErrors
            $saveErrors | Should -HaveCount 1
            $saveErrors[0].FullyQualifiedErrorId | Should -BeLike 'OutputFileExists,*'
            $saveErrors[0].CategoryInfo.Category | Should -Be 'ResourceExists'
            Get-FileHashText $file | Should -Be $before
            $second | Should -HaveCount 1
            $second.Path | Should -BeNullOrEmpty
            $second.Bytes.Length | Should -BeGreaterThan 0
        }

        It 'replaces an existing -OutFile with -Force' {
            $file = Join-Path $TestDrive 'replace.png'
            Set-Content -LiteralPath $file -Value 'not an image yet'
            $result = New-OpenAIImage 'replacement' @conn -Quality low -OutFile $file -Force
            $result.Path | Should -Not -BeNullOrEmpty
            Test-PngSignature $file | Should -BeTrue
            Get-FileHashText $file | Should -Be (Get-BytesHashText $result.Bytes)
        }

        It 'numbers the files of -OutFile with -Count 2' {
            $file = Join-Path $TestDrive 'pair.png'
            $results = New-OpenAIImage 'two cats' @conn -Quality low -Count 2 -OutFile $file
            $results | Should -HaveCount 2
            ($results | ForEach-Object { Split-Path -Leaf $_.Path }) | Should -Be @('pair-1.png', 'pair-2.png')
            Test-Path -LiteralPath (Join-Path $TestDrive 'pair-1.png') | Should -BeTrue
            Test-Path -LiteralPath (Join-Path $TestDrive 'pair-2.png') | Should -BeTrue
            Test-Path -LiteralPath $file | Should -BeFalse
        }

        It 'does not take -OutFile and -OutputDirectory together' {
            $thrown = { New-OpenAIImage 'x' @conn -OutFile (Join-Path $TestDrive 'a.png') -OutputDirectory $TestDrive } | Should -Throw -PassThru
            $thrown.FullyQualifiedErrorId | Should -BeLike 'OutFileAndOutputDirectory,*'
        }
    }

    Context '-WhatIf' {
        It 'sends nothing and writes nothing' {
            $directory = Join-Path $TestDrive 'whatif'
            $results = New-OpenAIImage 'A map of an island' @conn -Size 1536x1024 -Quality high -Count 4 -OutputDirectory $directory -WhatIf
            $results | Should -BeNullOrEmpty
            @(Get-ChildItem -LiteralPath $directory -File -ErrorAction SilentlyContinue) | Should -HaveCount 0
        }

        It 'leaves a later real call working' {
            $directory = Join-Path $TestDrive 'whatif-then-real'
            New-OpenAIImage 'A map of an island' @conn -Quality low -OutputDirectory $directory -WhatIf | Should -BeNullOrEmpty
            $result = New-OpenAIImage 'A map of an island' @conn -Quality low -OutputDirectory $directory
            $result | Should -HaveCount 1
            @(Get-ChildItem -LiteralPath $directory -File) | Should -HaveCount 1
        }
    }

    Context 'input errors' {
        It 'reports <Id> before sending, for the item only' -ForEach @(
            @{ Id = 'SizeNotSupported'; Parameters = @{ Model = 'gpt-image-1'; Size = '512x512' } }
            @{ Id = 'SizeNotSupported'; Parameters = @{ Size = '1000x1000' } }
            @{ Id = 'SizeInvalid'; Parameters = @{ Size = 'large' } }
            @{ Id = 'CountOutOfRange'; Parameters = @{ Model = 'dall-e-3'; Count = 2 } }
            @{ Id = 'ParameterNotSupportedByModel'; Parameters = @{ Style = 'vivid' } }
            @{ Id = 'ValueNotSupported'; Parameters = @{ Quality = 'ultra' } }
            @{ Id = 'TransparentBackgroundRequiresPngOrWebp'; Parameters = @{ Background = 'transparent'; OutputFormat = 'jpeg' } }
            @{ Id = 'OutputCompressionRequiresJpegOrWebp'; Parameters = @{ OutputCompression = 50 } }
        ) {
            $results = New-OpenAIImage 'a test prompt' @conn @Parameters -WarningAction SilentlyContinue -ErrorAction SilentlyContinue -ErrorVariable inputErrors
            $results | Should -BeNullOrEmpty
            $inputErrors | Should -HaveCount 1
            $inputErrors[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
            $inputErrors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $inputErrors[0].TargetObject | Should -Be 'a test prompt'
        }

        It 'writes one error for the bad row and goes on with the others' {
            $rows = @(
                [pscustomobject]@{ Prompt = 'good one'; Size = '1024x1024' }
                [pscustomobject]@{ Prompt = 'bad one'; Size = '1000x1000' }
                [pscustomobject]@{ Prompt = 'good two'; Size = '1024x1024' }
            )
            $results = $rows | New-OpenAIImage @conn -Quality low -ErrorAction SilentlyContinue -ErrorVariable rowErrors
            $results | Should -HaveCount 2
            ($results | ForEach-Object { $_.Prompt }) | Should -Be @('good one', 'good two')
            $rowErrors | Should -HaveCount 1
            $rowErrors[0].FullyQualifiedErrorId | Should -BeLike 'SizeNotSupported,*'
            $rowErrors[0].TargetObject | Should -Be 'bad one'
        }

        It 'can be captured with 2>&1' {
            $output = New-OpenAIImage 'captured' @conn -Size large 2>&1
            $output | Should -HaveCount 1
            $output[0] | Should -BeOfType ([System.Management.Automation.ErrorRecord])
            $output[0].FullyQualifiedErrorId | Should -BeLike 'SizeInvalid,*'
        }
    }

    Context 'keys' {
        It 'takes the key as a SecureString' {
            $secure = ConvertTo-SecureString -String 'test-key' -AsPlainText -Force
            New-OpenAIImage 'secure key' -ApiKey $secure -BaseUri $server.BaseUri -Quality low | Should -HaveCount 1
        }

        It 'ends the call when the server refuses the key' {
            $thrown = { 'one', 'two' | New-OpenAIImage -ApiKey 'wrong-key' -BaseUri $server.BaseUri -Quality low } | Should -Throw -PassThru
            $thrown.FullyQualifiedErrorId | Should -BeLike 'OpenAIAuthenticationFailed,*'
            $thrown.CategoryInfo.Category | Should -Be 'AuthenticationError'
        }

        It 'stops with ApiKeyMissing when there is no key at all' {
            $env:OPENAI_API_KEY | Should -BeNullOrEmpty -Because 'BeforeAll clears the OPENAI_* variables'
            $thrown = { New-OpenAIImage 'no key' -BaseUri $server.BaseUri } | Should -Throw -PassThru
            $thrown.FullyQualifiedErrorId | Should -BeLike 'ApiKeyMissing,*'
            $thrown.CategoryInfo.Category | Should -Be 'AuthenticationError'
            $thrown.Exception.Message | Should -Match 'OPENAI_API_KEY'
        }

        It 'takes the key from $env:OPENAI_API_KEY' {
            $env:OPENAI_API_KEY = 'test-key'
            try {
                New-OpenAIImage 'key from the environment' -BaseUri $server.BaseUri -Quality low | Should -HaveCount 1
            }
            finally {
                $env:OPENAI_API_KEY = $null
            }
        }

        It 'needs no key for -WhatIf, as nothing is sent' {
            { New-OpenAIImage 'no key, what if' -BaseUri $server.BaseUri -WhatIf } | Should -Not -Throw
        }
    }

    Context 'progress' {
        BeforeAll {
            # Answers after 2.5 s, so the cmdlet shows its waiting progress (it starts after 2 s of silence).
            Import-Module -Name (Join-Path (Get-RepositoryRoot) 'tools/FakeApi.psm1')
            $slowProject = $env:OPENAIIMAGES_TEST_FAKEAPI
            if (-not $slowProject) { $slowProject = Join-Path (Get-RepositoryRoot) 'tests/OpenAIImages.FakeApi/OpenAIImages.FakeApi.csproj' }
            $slowServer = Start-OpenAIImagesFakeApi -ProjectPath $slowProject -LatencyMs 2500
        }

        AfterAll {
            Stop-TestServer $slowServer
        }

        It 'runs to the end with progress shown' {
            $ProgressPreference = 'Continue'
            $result = New-OpenAIImage 'a slow one' -ApiKey 'test-key' -BaseUri $slowServer.BaseUri -Quality low
            $result | Should -HaveCount 1
        }

        It 'shows partial images as progress with -Stream' {
            if (-not (Get-Command New-OpenAIImage).Parameters.ContainsKey('Stream')) {
                Set-ItResult -Skipped -Because '-Stream is not in this build yet'
                return
            }
            $ProgressPreference = 'Continue'
            $results = New-OpenAIImage 'a streamed one' @conn -Quality low -Stream
            @($results | Where-Object { -not $_.IsPartial }) | Should -HaveCount 1
        }
    }

    Context 'output' {
        It 'is shown as a table with the module''s view' {
            $result = New-OpenAIImage 'formatted' @conn -Quality low
            $text = $result | Format-Table | Out-String
            $text | Should -Match 'Model'
            $text | Should -Match 'Tokens'
            $text | Should -Match 'gpt-image-2'
        }

        It 'reports token usage and the request id' {
            $result = New-OpenAIImage 'usage' @conn -Quality low
            $result.Usage.TotalTokens | Should -BeGreaterThan 0
            $result.RequestId | Should -Not -BeNullOrEmpty
        }
    }
}
