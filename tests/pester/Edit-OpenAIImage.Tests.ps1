BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $savedEnvironment = Clear-OpenAIEnvironment
    $module = Import-ModuleUnderTest
    Import-TestPngType
    $server = Start-TestServer
    $conn = @{ ApiKey = 'test-key'; BaseUri = $server.BaseUri }

    $inputs = Join-Path $TestDrive 'inputs'
    $red = (New-TestPng -Path (Join-Path $inputs 'red.png') -Kind Red).FullName
    $green = (New-TestPng -Path (Join-Path $inputs 'green.png') -Kind Green).FullName
    $blue = (New-TestPng -Path (Join-Path $inputs 'blue.png') -Kind Blue).FullName
}

AfterAll {
    Stop-TestServer $server
    Restore-OpenAIEnvironment $savedEnvironment
}

Describe 'Edit-OpenAIImage' {
    Context 'pipeline input' {
        It 'edits each file from Get-ChildItem on its own, in order' {
            $results = Get-ChildItem -LiteralPath $inputs -Filter '*.png' | Sort-Object Name |
                Edit-OpenAIImage -Prompt 'make it glow' @conn -Size 1024x1024 -Quality low
            $results | Should -HaveCount 3
            $results | ForEach-Object { $_.Operation | Should -Be 'Edit' }
            ($results | ForEach-Object { $_.Prompt }) | Should -Be @('make it glow', 'make it glow', 'make it glow')
        }

        It 'takes path strings from the pipeline' {
            $results = $red, $green | Edit-OpenAIImage -Prompt 'as a mosaic' @conn -Quality low
            $results | Should -HaveCount 2
        }

        # PowerShell binds pipeline objects by value before it tries property names, and -InputObject ([object], by
        # value) accepts any object, so a CSV row lands in -InputObject, which reads its path column; the help says so.
        It 'binds -Path from CSV rows' {
            $rows = "Path`n$red`n$blue" | ConvertFrom-Csv
            $results = $rows | Edit-OpenAIImage -Prompt 'as a mosaic' @conn -Quality low -ErrorAction SilentlyContinue -ErrorVariable rowErrors
            $rowErrors | Should -BeNullOrEmpty -Because 'a row with a Path column is an image file by its path'
            $results | Should -HaveCount 2
        }

        It 'takes the PathInfo objects of Resolve-Path from the pipeline' {
            $results = Resolve-Path -LiteralPath $red, $blue | Edit-OpenAIImage -Prompt 'as a mosaic' @conn -Quality low -ErrorAction SilentlyContinue -ErrorVariable pathInfoErrors
            $pathInfoErrors | Should -BeNullOrEmpty
            $results | Should -HaveCount 2
        }

        It 'takes byte arrays from the pipeline' {
            $result = , (Get-TestPngBytes -Kind Green) | Edit-OpenAIImage -Prompt 'in the rain' @conn -Quality low
            $result | Should -HaveCount 1
        }

        It 'edits the output of New-OpenAIImage, and its own output, without files' {
            $results = New-OpenAIImage 'a cat on a sofa' @conn -Quality low |
                Edit-OpenAIImage -Prompt 'now it is raining outside' @conn -Quality low |
                Edit-OpenAIImage -Prompt 'add a yellow umbrella' @conn -Quality low
            $results | Should -HaveCount 1
            $results.Operation | Should -Be 'Edit'
            $results.Prompt | Should -BeExactly 'add a yellow umbrella'
            $results.Path | Should -BeNullOrEmpty
        }
    }

    Context 'CSV rows' {
        It 'takes the file a row names in its <Column> column' -ForEach @(
            @{ Column = 'Path' }
            @{ Column = 'LiteralPath' }
            @{ Column = 'FullName' }
            @{ Column = 'PSPath' }
        ) {
            $value = if ($Column -eq 'PSPath') { "Microsoft.PowerShell.Core\FileSystem::$red" } else { $red }
            $row = [pscustomobject]@{ $Column = $value; Note = 'extra columns are ignored' }
            $results = $row | Edit-OpenAIImage -Prompt 'as a mosaic' @conn -Quality low -ErrorAction SilentlyContinue -ErrorVariable rowErrors
            $rowErrors | Should -BeNullOrEmpty
            $results | Should -HaveCount 1
        }

        It 'takes rows from Import-Csv, with paths relative to the current location' {
            $csv = Join-Path $inputs 'rows.csv'
            "Path,Note`nred.png,first`nblue.png,second" | Set-Content -LiteralPath $csv
            Push-Location -LiteralPath $inputs
            try {
                $results = Import-Csv -LiteralPath $csv | Edit-OpenAIImage -Prompt 'as a mosaic' @conn -Quality low -ErrorAction SilentlyContinue -ErrorVariable rowErrors
            }
            finally {
                Pop-Location
                Remove-Item -LiteralPath $csv
            }
            $rowErrors | Should -BeNullOrEmpty
            $results | Should -HaveCount 2
        }

        It 'takes the path of a row literally, wildcard characters and all' {
            $odd = (New-TestPng -Path (Join-Path $TestDrive 'rows/odd[3].png') -Kind Green).FullName
            $results = [pscustomobject]@{ Path = $odd } | Edit-OpenAIImage -Prompt 'as a mosaic' @conn -Quality low
            $results | Should -HaveCount 1
        }

        It 'writes ImageNotFound for a row whose file is missing, and goes on with the others' {
            $rows = "Path`n$red`n$(Join-Path $inputs 'missing.png')`n$blue" | ConvertFrom-Csv
            $results = $rows | Edit-OpenAIImage -Prompt 'as a mosaic' @conn -Quality low -ErrorAction SilentlyContinue -ErrorVariable rowErrors
            $results | Should -HaveCount 2
            $rowErrors | Should -HaveCount 1
            $rowErrors[0].FullyQualifiedErrorId | Should -BeLike 'ImageNotFound,*'
        }

        It 'writes ImageNotFound for a row that names a folder, and goes on with the others' {
            $rows = "Path`n$red`n$inputs`n$blue" | ConvertFrom-Csv
            $results = $rows | Edit-OpenAIImage -Prompt 'as a mosaic' @conn -Quality low -ErrorAction SilentlyContinue -ErrorVariable rowErrors
            $results | Should -HaveCount 2
            $rowErrors | Should -HaveCount 1
            $rowErrors[0].FullyQualifiedErrorId | Should -BeLike 'ImageNotFound,*'
            $rowErrors[0].Exception.Message | Should -Match 'folder'
        }

        It 'keeps the order of the rows with -ThrottleLimit' {
            $rows = "Path`n$red`n$green`n$blue" | ConvertFrom-Csv
            $results = $rows | Edit-OpenAIImage -Prompt 'as a mosaic' @conn -Quality low -Size 1024x1024 -ThrottleLimit 3
            $results | Should -HaveCount 3
            # The server tints each input halfway to one color, so each result keeps the strongest channel of its input.
            $pixels = @($results | ForEach-Object { , (Read-TestPng -Bytes $_.Bytes).Pixel(512, 512) })
            $pixels[0][0] | Should -BeGreaterThan ([Math]::Max($pixels[1][0], $pixels[2][0])) -Because 'the first row is the red image'
            $pixels[1][1] | Should -BeGreaterThan ([Math]::Max($pixels[0][1], $pixels[2][1])) -Because 'the second row is the green image'
            $pixels[2][2] | Should -BeGreaterThan ([Math]::Max($pixels[0][2], $pixels[1][2])) -Because 'the third row is the blue image'
        }

        Context 'with requests in flight' {
            BeforeAll {
                $slowServer = Start-TestServer -LatencyMs 1500
                $slow = @{ ApiKey = 'test-key'; BaseUri = $slowServer.BaseUri }
            }

            AfterAll {
                Stop-TestServer $slowServer
            }

            It 'writes the error of a row with a missing file in its place among the results' {
                $rows = "Path`n$red`n$(Join-Path $inputs 'missing.png')`n$blue" | ConvertFrom-Csv
                $output = $rows | Edit-OpenAIImage -Prompt 'as a mosaic' @slow -Quality low -ThrottleLimit 3 -ErrorAction Continue 2>&1
                $output | Should -HaveCount 3
                Get-TypeName $output[0] | Should -Be 'OpenAIImages.Engine.Results.GeneratedImage'
                $output[1] | Should -BeOfType ([System.Management.Automation.ErrorRecord])
                $output[1].FullyQualifiedErrorId | Should -BeLike 'ImageNotFound,*'
                Get-TypeName $output[2] | Should -Be 'OpenAIImages.Engine.Results.GeneratedImage'
            }
        }
    }

    Context 'streaming' {
        It 'gives each streamed edit a progress record titled with its image' {
            $run = Invoke-InNewRunspace -Arguments @{ Conn = $conn; Images = @($red, $blue) } -ScriptBlock {
                param($Conn, $Images)
                Edit-OpenAIImage 'as a sketch' -Path $Images @Conn -Quality low -Stream -PartialImages 1
            }
            $run.Errors | Should -BeNullOrEmpty
            $run.Output | Should -HaveCount 2
            $child = @($run.Progress | Where-Object { $_.ParentActivityId -ne -1 })
            # Records are told apart by their ids, not their titles: two paths in one long folder (the temporary
            # folders of Windows and macOS are long) can have the same first 57 characters, and so the same title.
            $ids = @($child | ForEach-Object { $_.ActivityId } | Select-Object -Unique)
            $ids | Should -HaveCount 2
            $images = $red, $blue
            for ($i = 0; $i -lt $ids.Count; $i++) {
                $mine = @($child | Where-Object { $_.ActivityId -eq $ids[$i] })
                $mine | ForEach-Object { $_.Activity | Should -BeExactly (Get-ShortActivity $images[$i]) }
                ($mine | Where-Object { $_.RecordType -eq 'Processing' } | ForEach-Object { $_.StatusDescription }) | Should -Be @('Partial image 1 of 1', 'Image complete')
                $mine[-1].RecordType | Should -Be 'Completed'
            }
        }

        It 'writes and saves the partial images of an edit with -IncludePartialImages' {
            $directory = Join-Path $TestDrive 'edit-steps'
            $results = Edit-OpenAIImage 'as a watercolor' -Path $red @conn -Quality low -IncludePartialImages -OutputDirectory $directory
            ($results | ForEach-Object { $_.IsPartial }) | Should -Be @($true, $true, $false)
            $results | ForEach-Object { $_.Operation | Should -Be 'Edit' }
            Split-Path -Leaf $results[0].Path | Should -BeLike 'as-a-watercolor-*-1-partial-1.png'
            Split-Path -Leaf $results[1].Path | Should -BeLike 'as-a-watercolor-*-1-partial-2.png'
            Split-Path -Leaf $results[2].Path | Should -BeLike 'as-a-watercolor-*-1.png'
            @(Get-ChildItem -LiteralPath $directory -File) | Should -HaveCount 3
        }

        It 'refuses to stream a dall-e-2 edit (StreamingNotSupported)' {
            # With a mask, so that the opaque image passes dall-e-2's other checks and streaming is what fails.
            $mask = ConvertTo-AlphaMask (New-TestMaskPng -Path (Join-Path $TestDrive 'stream-mask.png')).FullName
            $results = Edit-OpenAIImage 'x' -Path $red -Mask $mask @conn -Model dall-e-2 -Size 256x256 -Stream -WarningAction SilentlyContinue -ErrorAction SilentlyContinue -ErrorVariable streamErrors
            $results | Should -BeNullOrEmpty
            $streamErrors | Should -HaveCount 1
            $streamErrors[0].FullyQualifiedErrorId | Should -BeLike 'StreamingNotSupported,*'
        }
    }

    Context 'Azure OpenAI' {
        It 'edits with a deployment and the resource key' {
            $result = Edit-OpenAIImage 'as a sketch' -Path $red -Endpoint (Get-TestServerRoot $server) -Deployment 'edits-prod' -ApiKey 'test-key' -Quality low
            $result | Should -HaveCount 1
            $result.Operation | Should -Be 'Edit'
        }
    }

    Context 'paths' {
        It 'expands wildcards in -Path' {
            $results = Edit-OpenAIImage 'as a sketch' -Path (Join-Path $inputs '*.png') @conn -Quality low
            $results | Should -HaveCount 3
        }

        It 'takes -LiteralPath with wildcard characters in the name' {
            $odd = (New-TestPng -Path (Join-Path $TestDrive 'odd[1].png') -Kind Blue).FullName
            $result = Edit-OpenAIImage 'as a sketch' -LiteralPath $odd @conn -Quality low
            $result | Should -HaveCount 1
        }

        It 'reports a -Path that matches nothing as ImageNotFound and goes on' {
            $results = Edit-OpenAIImage 'as a sketch' -Path (Join-Path $inputs 'missing-*.png'), $red @conn -Quality low -ErrorAction SilentlyContinue -ErrorVariable pathErrors
            $results | Should -HaveCount 1
            $pathErrors | Should -HaveCount 1
            $pathErrors[0].FullyQualifiedErrorId | Should -BeLike 'ImageNotFound,*'
        }

        It 'reports a path on a drive that does not exist as ImageNotFound and goes on' {
            $results = Edit-OpenAIImage 'as a sketch' -Path 'NoSuchDrive:\red.png', $red @conn -Quality low -ErrorAction SilentlyContinue -ErrorVariable driveErrors
            $results | Should -HaveCount 1
            $driveErrors | Should -HaveCount 1
            $driveErrors[0].FullyQualifiedErrorId | Should -BeLike 'ImageNotFound,*'
            $driveErrors[0].Exception.Message | Should -Match 'NoSuchDrive'
        }

        It 'reports a -Path that is not a valid wildcard pattern as ImageNotFound and goes on' {
            $results = Edit-OpenAIImage 'as a sketch' -Path (Join-Path $inputs 'red[.png'), $red @conn -Quality low -ErrorAction SilentlyContinue -ErrorVariable patternErrors
            $results | Should -HaveCount 1
            $patternErrors | Should -HaveCount 1
            $patternErrors[0].FullyQualifiedErrorId | Should -BeLike 'ImageNotFound,*'
        }

        It 'writes ImageNotFound for a piped path on a drive that does not exist, and goes on' {
            $results = 'NoSuchDrive:\red.png', $red | Edit-OpenAIImage -Prompt 'as a sketch' @conn -Quality low -ErrorAction SilentlyContinue -ErrorVariable driveErrors
            $results | Should -HaveCount 1
            $driveErrors | Should -HaveCount 1
            $driveErrors[0].FullyQualifiedErrorId | Should -BeLike 'ImageNotFound,*'
        }
    }

    Context '-Combine' {
        It 'sends all piped images in one request, for one result' {
            $result = Get-ChildItem -LiteralPath $inputs -Filter '*.png' | Edit-OpenAIImage -Prompt 'a gift basket with all of these' -Combine @conn -Quality low
            $result | Should -HaveCount 1
            $result.Operation | Should -Be 'Edit'
        }

        It 'sends all -Path images in one request' {
            $result = Edit-OpenAIImage 'one picture of all three' -Path $red, $green, $blue -Combine @conn -Quality low
            $result | Should -HaveCount 1
        }

        It 'cannot combine images for dall-e-2 (TooManyImages)' {
            $result = Edit-OpenAIImage 'all three' -Path $red, $green -Combine @conn -Model dall-e-2 -Size 256x256 -WarningAction SilentlyContinue -ErrorAction SilentlyContinue -ErrorVariable combineErrors
            $result | Should -BeNullOrEmpty
            $combineErrors | Should -HaveCount 1
            $combineErrors[0].FullyQualifiedErrorId | Should -BeLike 'TooManyImages,*'
        }
    }

    Context 'errors' {
        It 'gives 2 results and 1 error for 3 files with one that is not an image' {
            $mixed = Join-Path $TestDrive 'mixed'
            New-TestPng -Path (Join-Path $mixed 'a-good.png') -Kind Red | Out-Null
            Set-Content -LiteralPath (Join-Path $mixed 'b-broken.png') -Value 'this is text, not a PNG'
            New-TestPng -Path (Join-Path $mixed 'c-good.png') -Kind Blue | Out-Null

            $results = Get-ChildItem -LiteralPath $mixed | Sort-Object Name |
                Edit-OpenAIImage -Prompt 'as a sketch' @conn -Quality low -ErrorAction SilentlyContinue -ErrorVariable fileErrors
            $results | Should -HaveCount 2
            $fileErrors | Should -HaveCount 1
            $fileErrors[0].FullyQualifiedErrorId | Should -BeLike 'ImageFormatUnsupported,*'
            $fileErrors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            [string] $fileErrors[0].TargetObject | Should -BeLike '*b-broken.png'
        }

        It 'reports an object that holds no image as ImageFormatUnsupported' {
            $results = [pscustomobject]@{ Name = 'not an image' } | Edit-OpenAIImage -Prompt 'x' @conn -ErrorAction SilentlyContinue -ErrorVariable objectErrors
            $results | Should -BeNullOrEmpty
            $objectErrors | Should -HaveCount 1
            $objectErrors[0].FullyQualifiedErrorId | Should -BeLike 'ImageFormatUnsupported,*'
        }

        It 'reports a mask of another size as MaskSizeMismatch' {
            $wideMask = (New-TestPng -Path (Join-Path $TestDrive 'wide-mask.png') -Kind Wide).FullName
            $results = Edit-OpenAIImage 'a flamingo' -Path $red -Mask $wideMask @conn -ErrorAction SilentlyContinue -ErrorVariable maskErrors
            $results | Should -BeNullOrEmpty
            $maskErrors | Should -HaveCount 1
            $maskErrors[0].FullyQualifiedErrorId | Should -BeLike 'MaskSizeMismatch,*'
        }

        It 'reports a non-square image for dall-e-2 as ImageNotSquare' {
            $wide = (New-TestPng -Path (Join-Path $TestDrive 'wide.png') -Kind Wide).FullName
            $results = Edit-OpenAIImage 'x' -Path $wide @conn -Model dall-e-2 -Size 256x256 -WarningAction SilentlyContinue -ErrorAction SilentlyContinue -ErrorVariable squareErrors
            $results | Should -BeNullOrEmpty
            $squareErrors | Should -HaveCount 1
            $squareErrors[0].FullyQualifiedErrorId | Should -BeLike 'ImageNotSquare,*'
        }
    }

    Context 'images by URL or file id' {
        # -WhatIf: these bind and validate like a real call, and nothing is sent.
        It 'takes <Case>' -ForEach @(
            @{ Case = '-ImageUrl alone'; Parameters = @{ ImageUrl = 'https://example.com/a.png' } }
            @{ Case = '-FileId alone'; Parameters = @{ FileId = 'file-abc123' } }
            @{ Case = '-ImageUrl with -FileId'; Parameters = @{ ImageUrl = 'https://example.com/a.png'; FileId = 'file-abc123' } }
            @{ Case = '-FileId with -MaskFileId'; Parameters = @{ FileId = 'file-abc123'; MaskFileId = 'file-mask456' } }
        ) {
            Reset-TestServerTraffic $server
            { Edit-OpenAIImage 'a gift basket' @Parameters @conn -WhatIf } | Should -Not -Throw
            Edit-OpenAIImage 'a gift basket' @Parameters @conn -WhatIf -ErrorAction SilentlyContinue -ErrorVariable referenceErrors | Should -BeNullOrEmpty
            $referenceErrors | Should -BeNullOrEmpty
            (Get-TestServerTraffic $server).requests | Should -Be 0
        }
    }

    Context 'saving and -WhatIf' {
        It 'sends nothing and writes nothing with -WhatIf, and a later call works' {
            $directory = Join-Path $TestDrive 'edit-whatif'
            Reset-TestServerTraffic $server
            Edit-OpenAIImage 'as a sketch' -Path $red @conn -OutputDirectory $directory -WhatIf | Should -BeNullOrEmpty
            @(Get-ChildItem -LiteralPath $directory -File -ErrorAction SilentlyContinue) | Should -HaveCount 0
            (Get-TestServerTraffic $server).requests | Should -Be 0

            $result = Edit-OpenAIImage 'as a sketch' -Path $red @conn -Quality low -OutputDirectory $directory
            $result | Should -HaveCount 1
            @(Get-ChildItem -LiteralPath $directory -File) | Should -HaveCount 1
        }

        It 'does not replace an existing -OutFile without -Force' {
            $file = Join-Path $TestDrive 'edited.png'
            Set-Content -LiteralPath $file -Value 'keep me'
            $before = Get-FileHashText $file
            Edit-OpenAIImage 'as a sketch' -Path $red @conn -Quality low -OutFile $file -ErrorAction SilentlyContinue -ErrorVariable saveErrors | Out-Null
            $saveErrors | Should -HaveCount 1
            $saveErrors[0].FullyQualifiedErrorId | Should -BeLike 'OutputFileExists,*'
            Get-FileHashText $file | Should -Be $before

            $result = Edit-OpenAIImage 'as a sketch' -Path $red @conn -Quality low -OutFile $file -Force
            Get-FileHashText $file | Should -Be (Get-BytesHashText $result.Bytes)
        }
    }
}
