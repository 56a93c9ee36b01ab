BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $savedEnvironment = Clear-OpenAIEnvironment
    $module = Import-ModuleUnderTest
    Import-TestPngType
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

        It 'takes an empty CSV cell as the default' {
            $rows = @'
Prompt,Size,Quality,Model
A pencil owl,1024x1536,low,gpt-image-1
A paper boat,,,
'@ | ConvertFrom-Csv
            $results = $rows | New-OpenAIImage @conn -ErrorAction SilentlyContinue -ErrorVariable rowErrors
            $rowErrors | Should -HaveCount 0
            $results | Should -HaveCount 2
            $results[0].Model | Should -Be 'gpt-image-1'
            $results[0].Size | Should -Be '1024x1536'
            $results[1].Prompt | Should -BeExactly 'A paper boat'
            $results[1].Model | Should -Be 'gpt-image-2'
        }

        It 'binds -Prompt from the property of any object' {
            $result = [pscustomobject]@{ Prompt = 'a lantern'; Note = 'ignored' } | New-OpenAIImage @conn -Quality low
            $result | Should -HaveCount 1
            $result.Prompt | Should -BeExactly 'a lantern'
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

        It 'refuses an existing -OutFile without -Force before sending: OutputFileExists, nothing paid for' {
            $file = Join-Path $TestDrive 'keep.png'
            $first = New-OpenAIImage 'first picture' @conn -Quality low -OutFile $file
            $before = Get-FileHashText $file
            $before | Should -Be (Get-BytesHashText $first.Bytes)

            Reset-TestServerTraffic $server
            $second = New-OpenAIImage 'second picture' @conn -Quality low -OutFile $file -ErrorAction SilentlyContinue -ErrorVariable saveErrors
            $saveErrors | Should -HaveCount 1
            $saveErrors[0].FullyQualifiedErrorId | Should -BeLike 'OutputFileExists,*'
            $saveErrors[0].CategoryInfo.Category | Should -Be 'ResourceExists'
            $saveErrors[0].Exception.Message | Should -BeLike "*'$file'*"
            (Get-TestServerTraffic $server).requests | Should -Be 0
            Get-FileHashText $file | Should -Be $before
            $second | Should -BeNullOrEmpty
        }

        It 'refuses -Count 2 before sending when the second numbered name exists' {
            $file = Join-Path $TestDrive 'twin.png'
            Set-Content -LiteralPath (Join-Path $TestDrive 'twin-2.png') -Value 'keep me'
            Reset-TestServerTraffic $server
            $result = New-OpenAIImage 'two pictures' @conn -Count 2 -OutFile $file -ErrorAction SilentlyContinue -ErrorVariable saveErrors
            $result | Should -BeNullOrEmpty
            $saveErrors[0].FullyQualifiedErrorId | Should -BeLike 'OutputFileExists,*'
            $saveErrors[0].Exception.Message | Should -BeLike '*twin-2.png*'
            (Get-TestServerTraffic $server).requests | Should -Be 0
            Test-Path -LiteralPath (Join-Path $TestDrive 'twin-1.png') | Should -BeFalse
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
            Reset-TestServerTraffic $server
            $results = New-OpenAIImage 'A map of an island' @conn -Size 1536x1024 -Quality high -Count 4 -OutputDirectory $directory -WhatIf
            $results | Should -BeNullOrEmpty
            @(Get-ChildItem -LiteralPath $directory -File -ErrorAction SilentlyContinue) | Should -HaveCount 0
            (Get-TestServerTraffic $server).requests | Should -Be 0
        }

        It 'leaves a later real call working' {
            $directory = Join-Path $TestDrive 'whatif-then-real'
            Reset-TestServerTraffic $server
            New-OpenAIImage 'A map of an island' @conn -Quality low -OutputDirectory $directory -WhatIf | Should -BeNullOrEmpty
            $result = New-OpenAIImage 'A map of an island' @conn -Quality low -OutputDirectory $directory
            (Get-TestServerTraffic $server).requests | Should -Be 1
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
            $output = New-OpenAIImage 'captured' @conn -Size large -ErrorAction Continue 2>&1
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

    Context 'streaming' {
        It 'gives each streamed request a progress record of its own, completed when it ends' {
            $run = Invoke-InNewRunspace -Arguments @{ Conn = $conn } -ScriptBlock {
                param($Conn)
                New-OpenAIImage 'a streamed fox in the snow' @Conn -Quality low -Stream -PartialImages 2
            }
            $run.Errors | Should -BeNullOrEmpty
            $run.Output | Should -HaveCount 1
            $run.Output[0].IsPartial | Should -BeFalse

            $child = @($run.Progress | Where-Object { $_.ParentActivityId -ne -1 })
            $child.Count | Should -BeGreaterThan 0
            @($child | ForEach-Object { $_.ActivityId } | Select-Object -Unique) | Should -HaveCount 1
            $child | ForEach-Object { $_.Activity | Should -BeExactly 'a streamed fox in the snow' }
            $processing = @($child | Where-Object { $_.RecordType -eq 'Processing' })
            ($processing | ForEach-Object { $_.StatusDescription }) | Should -Be @('Partial image 1 of 2', 'Partial image 2 of 2', 'Image complete')
            ($processing | ForEach-Object { $_.PercentComplete }) | Should -Be @(33, 66, 100)
            $child[-1].RecordType | Should -Be 'Completed'

            # The request's record is a child of the cmdlet's own, which the cmdlet completes at the end.
            $parent = @($run.Progress | Where-Object { $_.ActivityId -eq $child[0].ParentActivityId })
            $parent.Count | Should -BeGreaterThan 0
            $parent[-1].RecordType | Should -Be 'Completed'
            $parent[-1].Activity | Should -Be 'New-OpenAIImage'
        }

        It 'shows the long prompt of a streamed request cut to 60 characters' {
            $prompt = 'A very long prompt about a lighthouse on a cliff at dawn, painted in watercolor, with gulls'
            $run = Invoke-InNewRunspace -Arguments @{ Conn = $conn; Prompt = $prompt } -ScriptBlock {
                param($Conn, $Prompt)
                New-OpenAIImage $Prompt @Conn -Quality low -Stream -PartialImages 1
            }
            $child = @($run.Progress | Where-Object { $_.ParentActivityId -ne -1 })
            $child[0].Activity | Should -BeExactly (Get-ShortActivity $prompt)
            $child[0].Activity.Length | Should -Be 60
        }

        It 'reports only "Image complete" when no partial images are asked for' {
            $run = Invoke-InNewRunspace -Arguments @{ Conn = $conn } -ScriptBlock {
                param($Conn)
                New-OpenAIImage 'streamed without partial images' @Conn -Quality low -Stream
            }
            $run.Output | Should -HaveCount 1
            $processing = @($run.Progress | Where-Object { $_.ParentActivityId -ne -1 -and $_.RecordType -eq 'Processing' })
            ($processing | ForEach-Object { $_.StatusDescription }) | Should -Be @('Image complete')
        }

        It 'streams with -PartialImages alone' {
            $run = Invoke-InNewRunspace -Arguments @{ Conn = $conn } -ScriptBlock {
                param($Conn)
                New-OpenAIImage 'partial images imply streaming' @Conn -Quality low -PartialImages 1
            }
            $run.Errors | Should -BeNullOrEmpty
            $run.Output | Should -HaveCount 1
            ($run.Progress | ForEach-Object { $_.StatusDescription }) | Should -Contain 'Partial image 1 of 1'
        }

        It 'says which image of -Count a partial image belongs to' {
            $run = Invoke-InNewRunspace -Arguments @{ Conn = $conn } -ScriptBlock {
                param($Conn)
                New-OpenAIImage 'two streamed kites' @Conn -Quality low -Count 2 -PartialImages 1
            }
            $run.Output | Should -HaveCount 2
            $statuses = @($run.Progress | Where-Object { $_.ParentActivityId -ne -1 -and $_.RecordType -eq 'Processing' } | ForEach-Object { $_.StatusDescription })
            $statuses | Should -Contain 'Image 1 of 2: partial image 1 of 1'
            $statuses | Should -Contain 'Image 2 of 2 complete'
        }

        It 'writes the partial images before the final one with -IncludePartialImages' {
            $results = New-OpenAIImage 'a kite taking shape' @conn -Quality low -IncludePartialImages
            $results | Should -HaveCount 3
            ($results | ForEach-Object { $_.IsPartial }) | Should -Be @($true, $true, $false)
            $results[0].PartialImageIndex | Should -Be 0
            $results[1].PartialImageIndex | Should -Be 1
            $results[2].PartialImageIndex | Should -BeNullOrEmpty
            $results | ForEach-Object { Get-TypeName $_ | Should -Be 'OpenAIImages.Engine.Results.GeneratedImage' }
            $results | ForEach-Object { $_.Bytes.Length | Should -BeGreaterThan 0 }
        }

        It 'takes the number of partial images from -PartialImages' {
            $results = New-OpenAIImage 'three steps' @conn -Quality low -IncludePartialImages -PartialImages 3
            ($results | ForEach-Object { $_.IsPartial }) | Should -Be @($true, $true, $true, $false)
        }

        It 'saves partial images under names ending in -partial-N' {
            $file = Join-Path $TestDrive 'streamed/skyline.png'
            $results = New-OpenAIImage 'a skyline at night' @conn -Quality low -IncludePartialImages -OutFile $file
            ($results | ForEach-Object { Split-Path -Leaf $_.Path }) | Should -Be @('skyline-partial-1.png', 'skyline-partial-2.png', 'skyline.png')
            $results | ForEach-Object { Get-FileHashText $_.Path | Should -Be (Get-BytesHashText $_.Bytes) }
        }

        It 'keeps each prompt''s partial images before its final image, and the final images in input order' {
            $prompts = 'first streamed prompt', 'second streamed prompt', 'third streamed prompt'
            $results = $prompts | New-OpenAIImage @conn -Quality low -IncludePartialImages -PartialImages 1 -ThrottleLimit 3
            $results | Should -HaveCount 6
            @($results | Where-Object { -not $_.IsPartial } | ForEach-Object { $_.Prompt }) | Should -Be $prompts
            foreach ($prompt in $prompts) {
                $mine = @($results | Where-Object { $_.Prompt -eq $prompt })
                ($mine | ForEach-Object { $_.IsPartial }) | Should -Be @($true, $false)
            }
        }

        It 'refuses to stream with <Model> before sending (StreamingNotSupported)' -ForEach @(
            @{ Model = 'dall-e-3' }
            @{ Model = 'dall-e-2' }
        ) {
            $results = New-OpenAIImage 'a streamed painting' @conn -Model $Model -Stream -WarningAction SilentlyContinue -ErrorAction SilentlyContinue -ErrorVariable streamErrors
            $results | Should -BeNullOrEmpty
            $streamErrors | Should -HaveCount 1
            $streamErrors[0].FullyQualifiedErrorId | Should -BeLike 'StreamingNotSupported,*'
            $streamErrors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        }
    }

    Context 'throttling and retries' {
        BeforeAll {
            # Answers after 3 s: long enough for the cmdlet's waiting record (after 2 s of silence), and for timing to
            # tell requests at once from requests one by one.
            $slowServer = Start-TestServer -LatencyMs 3000
            $slow = @{ ApiKey = 'test-key'; BaseUri = $slowServer.BaseUri }
        }

        AfterAll {
            Stop-TestServer $slowServer
        }

        It 'keeps input order with several requests in flight' {
            $prompts = 1..5 | ForEach-Object { "prompt number $_" }
            $results = $prompts | New-OpenAIImage @conn -Quality low -ThrottleLimit 3
            $results | Should -HaveCount 5
            ($results | ForEach-Object { $_.Prompt }) | Should -Be $prompts
        }

        It 'sends up to -ThrottleLimit requests at the same time, and never more' {
            # The server counts what it handles at once; each answer takes 3 s, so the first three overlap.
            Reset-TestServerTraffic $slowServer
            $prompts = 1..5 | ForEach-Object { "at the same time $_" }
            $results = $prompts | New-OpenAIImage @slow -Quality low -ThrottleLimit 3
            ($results | ForEach-Object { $_.Prompt }) | Should -Be $prompts
            $traffic = Get-TestServerTraffic $slowServer
            $traffic.requests | Should -Be 5
            $traffic.maxInFlight | Should -Be 3
        }

        It 'keeps the order of CSV rows when a later row is done first' {
            $rows = @(
                [pscustomobject]@{ Prompt = 'a large slow one'; Size = '3840x2160'; Quality = 'high' }
                [pscustomobject]@{ Prompt = 'a small quick one'; Size = '1024x1024'; Quality = 'low' }
                [pscustomobject]@{ Prompt = 'another quick one'; Size = '1024x1024'; Quality = 'low' }
            )
            $results = $rows | New-OpenAIImage @conn -ThrottleLimit 3
            ($results | ForEach-Object { $_.Prompt }) | Should -Be @('a large slow one', 'a small quick one', 'another quick one')
            $results[0].Size | Should -Be '3840x2160'
        }

        It 'writes the error of one item in its place among the results' {
            $rows = @(
                [pscustomobject]@{ Prompt = 'good one'; Size = '1024x1024' }
                [pscustomobject]@{ Prompt = 'bad one'; Size = '1000x1000' }
                [pscustomobject]@{ Prompt = 'good two'; Size = '1024x1024' }
            )
            $output = $rows | New-OpenAIImage @slow -Quality low -ThrottleLimit 3 -ErrorAction Continue 2>&1
            $output | Should -HaveCount 3
            Get-TypeName $output[0] | Should -Be 'OpenAIImages.Engine.Results.GeneratedImage'
            $output[0].Prompt | Should -BeExactly 'good one'
            $output[1] | Should -BeOfType ([System.Management.Automation.ErrorRecord])
            $output[1].FullyQualifiedErrorId | Should -BeLike 'SizeNotSupported,*'
            $output[2].Prompt | Should -BeExactly 'good two'
        }

        It 'shows how many items are done and how many are in progress while it waits' {
            $run = Invoke-InNewRunspace -Arguments @{ Conn = $slow } -ScriptBlock {
                param($Conn)
                'waiting one', 'waiting two', 'waiting three' | New-OpenAIImage @Conn -Quality low -ThrottleLimit 2
            }
            $run.Errors | Should -BeNullOrEmpty
            $run.Output | Should -HaveCount 3
            $statuses = @($run.Progress | Where-Object { $_.Activity -eq 'New-OpenAIImage' -and $_.RecordType -eq 'Processing' } | ForEach-Object { $_.StatusDescription })
            @($statuses | Where-Object { $_ -match '^\d+ done, \d+ in progress: \d+ s$' }).Count | Should -BeGreaterThan 0
        }

        It 'retries a request that got no answer, with a warning for each retry' {
            $closed = Get-ClosedLoopbackUri
            $results = New-OpenAIImage 'nobody listens' -ApiKey 'test-key' -BaseUri $closed -MaxRetries 2 -WarningVariable retries -WarningAction SilentlyContinue -ErrorAction SilentlyContinue -ErrorVariable sendErrors
            $results | Should -BeNullOrEmpty
            $retries | Should -HaveCount 2
            [string] $retries[0] | Should -Match '(?s)^Attempt 1 of 3 failed: .* Retrying in [\d.,]+ s\.$'
            [string] $retries[1] | Should -Match '^Attempt 2 of 3 failed'
            $sendErrors | Should -HaveCount 1
            $sendErrors[0].FullyQualifiedErrorId | Should -BeLike 'OpenAIConnectionFailed,*'
            $sendErrors[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        }

        It 'sends once with -MaxRetries 0' {
            $closed = Get-ClosedLoopbackUri
            $results = New-OpenAIImage 'nobody listens' -ApiKey 'test-key' -BaseUri $closed -MaxRetries 0 -WarningVariable retries -ErrorAction SilentlyContinue -ErrorVariable sendErrors
            $results | Should -BeNullOrEmpty
            $retries | Should -BeNullOrEmpty
            $sendErrors[0].FullyQualifiedErrorId | Should -BeLike 'OpenAIConnectionFailed,*'
        }

        It 'does not retry a refused key' {
            $thrown = $null
            try {
                New-OpenAIImage 'wrong key' -ApiKey 'wrong-key' -BaseUri $server.BaseUri -Quality low -WarningVariable retries
            }
            catch {
                $thrown = $_
            }
            $thrown | Should -Not -BeNullOrEmpty -Because 'a refused key ends the call'
            $thrown.FullyQualifiedErrorId | Should -BeLike 'OpenAIAuthenticationFailed,*'
            $retries | Should -BeNullOrEmpty
        }
    }

    Context 'Azure OpenAI' {
        BeforeAll {
            $resource = Get-TestServerRoot $server
        }

        AfterEach {
            $env:AZURE_OPENAI_API_KEY = $null
            $env:AZURE_OPENAI_ENDPOINT = $null
            $env:OPENAI_API_KEY = $null
        }

        It 'generates with a deployment and the resource key' {
            $result = New-OpenAIImage 'an azure fox' -Endpoint $resource -Deployment 'images-prod' -ApiKey 'test-key' -Quality low
            $result | Should -HaveCount 1
            $result.Model | Should -Be 'gpt-image-2'
            $result.Bytes.Length | Should -BeGreaterThan 0
        }

        It 'takes another -ApiVersion' {
            New-OpenAIImage 'an azure fox' -Endpoint $resource -Deployment 'images-prod' -ApiVersion '2025-04-01' -ApiKey 'test-key' -Quality low | Should -HaveCount 1
        }

        It 'uses the resource''s v1 API without -Deployment, with an access token' {
            $result = New-OpenAIImage 'an azure owl' -Endpoint $resource -AccessToken 'test-key' -Quality low
            $result | Should -HaveCount 1
        }

        It 'takes the access token as a SecureString' {
            $token = ConvertTo-SecureString -String 'test-key' -AsPlainText -Force
            New-OpenAIImage 'an azure owl' -Endpoint $resource -Deployment 'images-prod' -AccessToken $token -Quality low | Should -HaveCount 1
        }

        It 'refuses -AccessToken with -ApiKey (ApiKeyAndAccessToken) rather than choose one, and sends nothing' {
            Reset-TestServerTraffic $server
            $thrown = { New-OpenAIImage 'token and key' -Endpoint $resource -Deployment 'images-prod' -AccessToken 'test-key' -ApiKey 'wrong-key' -Quality low } | Should -Throw -PassThru
            $thrown.FullyQualifiedErrorId | Should -BeLike 'ApiKeyAndAccessToken,*'
            (Get-TestServerTraffic $server).requests | Should -Be 0
        }

        It 'ends the call when the resource refuses the key' {
            $thrown = { New-OpenAIImage 'wrong key' -Endpoint $resource -Deployment 'images-prod' -ApiKey 'wrong-key' -Quality low } | Should -Throw -PassThru
            $thrown.FullyQualifiedErrorId | Should -BeLike 'OpenAIAuthenticationFailed,*'
        }

        It 'reads AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_API_KEY' {
            $env:AZURE_OPENAI_ENDPOINT = [string] $resource
            $env:AZURE_OPENAI_API_KEY = 'test-key'
            New-OpenAIImage 'from the environment' -Deployment 'images-prod' -Quality low | Should -HaveCount 1
        }

        It 'does not send OPENAI_API_KEY to Azure (ApiKeyMissing)' {
            $env:OPENAI_API_KEY = 'test-key'
            $thrown = { New-OpenAIImage 'no azure key' -Endpoint $resource -Deployment 'images-prod' } | Should -Throw -PassThru
            $thrown.FullyQualifiedErrorId | Should -BeLike 'ApiKeyMissing,*'
            $thrown.Exception.Message | Should -Match 'AZURE_OPENAI_API_KEY'
        }

        It 'does not take -Endpoint with -BaseUri (BaseUriInvalid)' {
            $thrown = { New-OpenAIImage 'both' -Endpoint $resource -BaseUri $server.BaseUri -ApiKey 'test-key' } | Should -Throw -PassThru
            $thrown.FullyQualifiedErrorId | Should -BeLike 'BaseUriInvalid,*'
        }

        It 'needs an endpoint for -Deployment (BaseUriInvalid)' {
            $thrown = { New-OpenAIImage 'nowhere' -Deployment 'images-prod' -ApiKey 'test-key' } | Should -Throw -PassThru
            $thrown.FullyQualifiedErrorId | Should -BeLike 'BaseUriInvalid,*'
            $thrown.Exception.Message | Should -Match 'AZURE_OPENAI_ENDPOINT'
        }
    }

    Context 'proxies' {
        It 'sends every request through -Proxy' {
            # The server doubles as the proxy: it answers the absolute-form request for a host that does not exist,
            # so an answer means the request went through the proxy.
            $proxy = Get-TestServerRoot $server
            $result = New-OpenAIImage 'through the proxy' -ApiKey 'test-key' -BaseUri 'http://images.example.test/v1/' -AllowInsecureHttp -Proxy $proxy -MaxRetries 0 -Quality low
            $result | Should -HaveCount 1
            $result.Bytes.Length | Should -BeGreaterThan 0
        }
    }

    Context 'progress' {
        BeforeAll {
            # Answers after 4 s, so the cmdlet shows its waiting progress (it starts after 2 s of silence).
            $waitServer = Start-TestServer -LatencyMs 4000
        }

        AfterAll {
            Stop-TestServer $waitServer
        }

        It 'shows that it waits for the server, and completes its record' {
            $run = Invoke-InNewRunspace -Arguments @{ Conn = @{ ApiKey = 'test-key'; BaseUri = $waitServer.BaseUri } } -ScriptBlock {
                param($Conn)
                New-OpenAIImage 'a slow one' @Conn -Quality low
            }
            $run.Output | Should -HaveCount 1
            $own = @($run.Progress | Where-Object { $_.Activity -eq 'New-OpenAIImage' })
            @($own | Where-Object { $_.StatusDescription -match '^Waiting for the server: \d+ s$' }).Count | Should -BeGreaterThan 0
            $own[-1].RecordType | Should -Be 'Completed'
        }
    }

    Context 'output' {
        It 'is shown as a table with the module''s view' {
            $result = New-OpenAIImage 'formatted' @conn -Quality low
            $text = $result | Format-Table | Out-String -Width 120
            $text | Should -Match 'Model'
            $text | Should -Match 'File'
            $text | Should -Match 'gpt-image-2'
        }

        It 'shows the longest name the module makes whole, and the model, at <Width> columns' -ForEach @(@{ Width = 80 }, @{ Width = 120 }) {
            $folder = Join-Path $TestDrive ('table-' + $Width)
            $result = New-OpenAIImage 'a lighthouse on a cliff at dawn, watercolour, soft morning light over the sea' @conn -Quality low -OutputDirectory $folder
            $name = Split-Path -Leaf $result.Path
            $name.Length | Should -BeGreaterThan 45
            $lines = ($result | Format-Table | Out-String -Width $Width) -split "`r?`n"
            @($lines | Where-Object { $_.Length -gt $Width }) | Should -BeNullOrEmpty
            ($lines -join "`n") | Should -Match ([regex]::Escape($name))
            ($lines -join "`n") | Should -Match 'gpt-image-2'
            # The header is one line: no column so narrow that its title wraps.
            @($lines | Where-Object { $_ -match '^\s*#\s+Model\s+Size\s+File\s*$' }) | Should -HaveCount 1
        }

        It 'shows an image that was not saved by its prompt' {
            $result = New-OpenAIImage 'kept in memory' @conn -Quality low
            ($result | Format-Table | Out-String -Width 80) | Should -Match '\(not saved\) kept in memory'
        }

        It 'reports token usage and the request id' {
            $result = New-OpenAIImage 'usage' @conn -Quality low
            $result.Usage.TotalTokens | Should -BeGreaterThan 0
            $result.RequestId | Should -Not -BeNullOrEmpty
        }

        It 'saves with Save(path) relative to the PowerShell location, never over a file without $true, and not off the file system' {
            $folder = Join-Path ([System.IO.Path]::GetTempPath()) ('OpenAIImages-save-' + [guid]::NewGuid().ToString('N'))
            New-Item -ItemType Directory -Path $folder | Out-Null
            $result = New-OpenAIImage 'saved by method' @conn -Quality low
            Push-Location -LiteralPath $folder
            try {
                [Environment]::CurrentDirectory | Should -Not -Be $folder -Because 'the process directory is not the PowerShell location'
                $path = $result.Save('by-method.png')
                $path | Should -Be (Join-Path $folder 'by-method.png')
                $result.Path | Should -Be $path
                Test-PngSignature -Path $path | Should -BeTrue
                $before = Get-FileHashText -Path $path
                { $result.Save('by-method.png') } | Should -Throw '*already exists*call Save(path, $true) to replace it*'
                (Get-FileHashText -Path $path) | Should -Be $before
                $result.Save('by-method.png', $true) | Should -Be $path
                { $result.Save('Env:/by-method.png') } | Should -Throw '*file system*'
            }
            finally {
                Pop-Location
                Remove-Item -LiteralPath $folder -Recurse -Force
            }
        }
    }
}
