BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $savedEnvironment = Clear-OpenAIEnvironment
    $module = Import-ModuleUnderTest
    Import-TestPngType
    $server = Start-TestServer
    # dall-e-2, the variations model, is retired on api.openai.com: every call warns, which these tests do not check.
    $conn = @{ ApiKey = 'test-key'; BaseUri = $server.BaseUri; WarningAction = 'SilentlyContinue' }

    $inputs = Join-Path $TestDrive 'inputs'
    $red = (New-TestPng -Path (Join-Path $inputs 'red.png') -Kind Red).FullName
    $green = (New-TestPng -Path (Join-Path $inputs 'green.png') -Kind Green).FullName
}

AfterAll {
    Stop-TestServer $server
    Restore-OpenAIEnvironment $savedEnvironment
}

Describe 'New-OpenAIImageVariation' {
    Context 'pipeline input' {
        It 'makes a variation of each file from Get-ChildItem' {
            $results = Get-ChildItem -LiteralPath $inputs -Filter '*.png' | New-OpenAIImageVariation @conn -Size 256x256
            $results | Should -HaveCount 2
            $results | ForEach-Object { $_.Operation | Should -Be 'Variation' }
            $results | ForEach-Object { $_.Model | Should -Be 'dall-e-2' }
        }

        It 'takes path strings from the pipeline' {
            $results = $red, $green | New-OpenAIImageVariation @conn -Size 256x256
            $results | Should -HaveCount 2
        }

        # PowerShell binds pipeline objects by value before it tries property names, and -InputObject ([object], by
        # value) accepts any object, so a CSV row lands in -InputObject, which reads its path column; the help says so.
        It 'binds -Path from CSV rows' {
            $rows = "Path`n$red`n$green" | ConvertFrom-Csv
            $results = $rows | New-OpenAIImageVariation @conn -Size 256x256 -ErrorAction SilentlyContinue -ErrorVariable rowErrors
            $rowErrors | Should -BeNullOrEmpty -Because 'a row with a Path column is an image file by its path'
            $results | Should -HaveCount 2
        }

        It 'varies the output of New-OpenAIImage' {
            $result = New-OpenAIImage 'a paper crane' @conn -Model dall-e-2 -Size 256x256 -ResponseFormat b64_json |
                New-OpenAIImageVariation @conn -Size 256x256
            $result | Should -HaveCount 1
            $result.Operation | Should -Be 'Variation'
        }

        It 'takes -LiteralPath with wildcard characters in the name' {
            $odd = (New-TestPng -Path (Join-Path $TestDrive 'odd[2].png') -Kind Red).FullName
            New-OpenAIImageVariation -LiteralPath $odd @conn -Size 256x256 | Should -HaveCount 1
        }
    }

    Context 'CSV rows' {
        It 'takes the file a row names in its <Column> column' -ForEach @(
            @{ Column = 'Path' }
            @{ Column = 'LiteralPath' }
            @{ Column = 'FullName' }
        ) {
            $row = [pscustomobject]@{ $Column = $red; Note = 'extra columns are ignored' }
            $results = $row | New-OpenAIImageVariation @conn -Size 256x256 -ErrorAction SilentlyContinue -ErrorVariable rowErrors
            $rowErrors | Should -BeNullOrEmpty
            $results | Should -HaveCount 1
        }

        It 'takes rows from Import-Csv, with paths relative to the current location' {
            $csv = Join-Path $TestDrive 'variation-rows.csv'
            "Path`nred.png`ngreen.png" | Set-Content -LiteralPath $csv
            Push-Location -LiteralPath $inputs
            try {
                $results = Import-Csv -LiteralPath $csv | New-OpenAIImageVariation @conn -Size 256x256 -ErrorAction SilentlyContinue -ErrorVariable rowErrors
            }
            finally {
                Pop-Location
            }
            $rowErrors | Should -BeNullOrEmpty
            $results | Should -HaveCount 2
        }

        It 'writes ImageNotFound for a row whose file is missing, and goes on with the others' {
            $rows = "Path`n$red`n$(Join-Path $inputs 'missing.png')`n$green" | ConvertFrom-Csv
            $results = $rows | New-OpenAIImageVariation @conn -Size 256x256 -ErrorAction SilentlyContinue -ErrorVariable rowErrors
            $results | Should -HaveCount 2
            $rowErrors | Should -HaveCount 1
            $rowErrors[0].FullyQualifiedErrorId | Should -BeLike 'ImageNotFound,*'
        }

        It 'keeps the order of the rows with -ThrottleLimit' {
            $rows = "Path`n$red`n$green`n$red" | ConvertFrom-Csv
            $results = $rows | New-OpenAIImageVariation @conn -Size 256x256 -ResponseFormat b64_json -ThrottleLimit 3
            $results | Should -HaveCount 3
            # The server tints each input toward one color, so a variation of the red image stays redder than one of
            # the green image, and the other way round for green.
            $pixels = @($results | ForEach-Object { , (Read-TestPng -Bytes $_.Bytes).Pixel(128, 128) })
            $pixels[0][0] | Should -BeGreaterThan $pixels[1][0]
            $pixels[2][0] | Should -BeGreaterThan $pixels[1][0]
            $pixels[1][1] | Should -BeGreaterThan ([Math]::Max($pixels[0][1], $pixels[2][1]))
        }
    }

    Context 'results' {
        It 'returns image bytes with -ResponseFormat b64_json' {
            $result = New-OpenAIImageVariation $red @conn -Size 256x256 -ResponseFormat b64_json
            $result.Bytes.Length | Should -BeGreaterThan 0
            $result.Size | Should -Be '256x256'
        }

        It 'downloads URL results when it saves them' {
            $directory = Join-Path $TestDrive 'variations'
            $result = New-OpenAIImageVariation $red @conn -Size 256x256 -ResponseFormat url -OutputDirectory $directory
            $result.Url | Should -Not -BeNullOrEmpty
            $result.Path | Should -Not -BeNullOrEmpty
            Test-PngSignature $result.Path | Should -BeTrue
        }

        It 'numbers the files of -OutFile with -Count 2' {
            $file = Join-Path $TestDrive 'variant.png'
            $results = New-OpenAIImageVariation $red @conn -Size 256x256 -Count 2 -OutFile $file
            $results | Should -HaveCount 2
            ($results | ForEach-Object { Split-Path -Leaf $_.Path }) | Should -Be @('variant-1.png', 'variant-2.png')
        }
    }

    Context 'errors' {
        It 'gives 2 results and 1 ImageNotSquare error for 3 files with one that is not square' {
            $mixed = Join-Path $TestDrive 'mixed'
            New-TestPng -Path (Join-Path $mixed 'a-square.png') -Kind Red | Out-Null
            New-TestPng -Path (Join-Path $mixed 'b-wide.png') -Kind Wide | Out-Null
            New-TestPng -Path (Join-Path $mixed 'c-square.png') -Kind Blue | Out-Null

            $results = Get-ChildItem -LiteralPath $mixed | Sort-Object Name |
                New-OpenAIImageVariation @conn -Size 256x256 -ErrorAction SilentlyContinue -ErrorVariable fileErrors
            $results | Should -HaveCount 2
            $fileErrors | Should -HaveCount 1
            $fileErrors[0].FullyQualifiedErrorId | Should -BeLike 'ImageNotSquare,*'
            $fileErrors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            [string] $fileErrors[0].TargetObject | Should -BeLike '*b-wide.png'
        }

        It 'reports a size dall-e-2 does not take as SizeNotSupported' {
            $results = New-OpenAIImageVariation $red @conn -Size 1536x1024 -ErrorAction SilentlyContinue -ErrorVariable sizeErrors
            $results | Should -BeNullOrEmpty
            $sizeErrors[0].FullyQualifiedErrorId | Should -BeLike 'SizeNotSupported,*'
        }

        It 'reports a model that cannot make variations as ModelEndpointNotSupported' {
            $results = New-OpenAIImageVariation $red @conn -Model gpt-image-1 -ErrorAction SilentlyContinue -ErrorVariable modelErrors
            $results | Should -BeNullOrEmpty
            $modelErrors[0].FullyQualifiedErrorId | Should -BeLike 'ModelEndpointNotSupported,*'
        }
    }

    Context '-WhatIf' {
        It 'sends nothing and writes nothing, and a later call works' {
            $directory = Join-Path $TestDrive 'variation-whatif'
            Reset-TestServerTraffic $server
            New-OpenAIImageVariation $red @conn -Size 256x256 -OutputDirectory $directory -WhatIf | Should -BeNullOrEmpty
            @(Get-ChildItem -LiteralPath $directory -File -ErrorAction SilentlyContinue) | Should -HaveCount 0
            (Get-TestServerTraffic $server).requests | Should -Be 0

            New-OpenAIImageVariation $red @conn -Size 256x256 -OutputDirectory $directory | Should -HaveCount 1
            @(Get-ChildItem -LiteralPath $directory -File) | Should -HaveCount 1
        }
    }
}
