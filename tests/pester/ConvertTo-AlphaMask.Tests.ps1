BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $savedEnvironment = Clear-OpenAIEnvironment
    $module = Import-ModuleUnderTest
    Import-TestPngType
    $server = Start-TestServer
    $conn = @{ ApiKey = 'test-key'; BaseUri = $server.BaseUri }

    # Two masks alone in their folder, for wildcards and Get-ChildItem: a 64x64 black-left, white-right mask, and an
    # 8x8 mid gray (level 128).
    $masks = Join-Path $TestDrive 'masks'
    $bw = (New-TestMaskPng -Path (Join-Path $masks 'bw.png') -Width 64 -Height 64).FullName
    $gray = (New-TestSolidPng -Path (Join-Path $masks 'gray.png') -Width 8 -Height 8 -Red 128 -Green 128 -Blue 128).FullName

    $images = Join-Path $TestDrive 'images'
    $red = (New-TestPng -Path (Join-Path $images 'red.png') -Kind Red).FullName
    $wide = (New-TestSolidPng -Path (Join-Path $images 'wide.png') -Width 128 -Height 32 -Red 10 -Green 20 -Blue 30).FullName
}

AfterAll {
    Stop-TestServer $server
    Restore-OpenAIEnvironment $savedEnvironment
}

Describe 'ConvertTo-AlphaMask' {
    Context 'the recipe' {
        It 'makes black transparent and white opaque, with red, green, blue and alpha equal' {
            $mask = ConvertTo-AlphaMask $bw
            $mask | Should -HaveCount 1
            Get-TypeName $mask | Should -Be 'OpenAIImages.Engine.Results.MaskImage'
            $mask.Width | Should -Be 64
            $mask.Height | Should -Be 64
            $mask.Size | Should -Be '64x64'
            $mask.Source | Should -Be $bw
            $mask.Path | Should -BeNullOrEmpty

            $image = Read-TestPng -Bytes $mask.Bytes
            $image.Width | Should -Be 64
            ($image.Pixel(0, 0) -join ',') | Should -Be '0,0,0,0'
            ($image.Pixel(31, 40) -join ',') | Should -Be '0,0,0,0'
            ($image.Pixel(32, 40) -join ',') | Should -Be '255,255,255,255'
            ($image.Pixel(63, 63) -join ',') | Should -Be '255,255,255,255'
        }

        It 'takes the gray level of <R>,<G>,<B> as Pillow''s convert("L") does: <Level>' -ForEach @(
            @{ R = 255; G = 0; B = 0; Level = 76 }
            @{ R = 0; G = 255; B = 0; Level = 150 }
            @{ R = 0; G = 0; B = 255; Level = 29 }
            @{ R = 128; G = 128; B = 128; Level = 128 }
            # 73.544 exactly: Pillow rounds to 74, where cutting off the fraction would give 73.
            @{ R = 101; G = 35; B = 200; Level = 74 }
        ) {
            $file = (New-TestSolidPng -Path (Join-Path $TestDrive "levels/solid-$R-$G-$B.png") -Width 4 -Height 4 -Red $R -Green $G -Blue $B).FullName
            $image = Read-TestPng -Bytes (ConvertTo-AlphaMask $file).Bytes
            ($image.Pixel(2, 1) -join ',') | Should -Be (@($Level, $Level, $Level, $Level) -join ',')
        }

        It 'keeps gray levels as partial transparency without -Threshold' {
            $image = Read-TestPng -Bytes (ConvertTo-AlphaMask $gray).Bytes
            $image.Alpha(3, 3) | Should -Be 128
        }

        It 'with -Invert keeps black and redraws white' {
            $image = Read-TestPng -Bytes (ConvertTo-AlphaMask $bw -Invert).Bytes
            $image.Alpha(0, 0) | Should -Be 255
            $image.Alpha(63, 63) | Should -Be 0
            (Read-TestPng -Bytes (ConvertTo-AlphaMask $gray -Invert).Bytes).Alpha(0, 0) | Should -Be 127
        }

        It 'with -Threshold <Threshold> makes level 128 <Level>' -ForEach @(
            @{ Threshold = 0; Level = 255 }
            @{ Threshold = 128; Level = 255 }
            @{ Threshold = 129; Level = 0 }
            @{ Threshold = 255; Level = 0 }
        ) {
            $image = Read-TestPng -Bytes (ConvertTo-AlphaMask $gray -Threshold $Threshold).Bytes
            ($image.Pixel(1, 1) -join ',') | Should -Be (@($Level, $Level, $Level, $Level) -join ',')
        }

        It 'applies -Threshold before -Invert' {
            (Read-TestPng -Bytes (ConvertTo-AlphaMask $gray -Threshold 128 -Invert).Bytes).Alpha(0, 0) | Should -Be 0
            (Read-TestPng -Bytes (ConvertTo-AlphaMask $gray -Threshold 129 -Invert).Bytes).Alpha(0, 0) | Should -Be 255
        }
    }

    Context 'sizes' {
        It 'resizes to the size of the -MatchSize image, with Pillow''s bilinear filter' {
            $mask = ConvertTo-AlphaMask $bw -MatchSize $wide
            $mask.Size | Should -Be '128x32'
            $image = Read-TestPng -Bytes $mask.Bytes
            $image.Width | Should -Be 128
            $image.Height | Should -Be 32
            $image.Alpha(0, 0) | Should -Be 0
            $image.Alpha(62, 10) | Should -Be 0
            # The edge between x = 63 and x = 64 of the 128-pixel row, as Pillow's BILINEAR blends it.
            $image.Alpha(63, 10) | Should -Be 64
            $image.Alpha(64, 10) | Should -Be 191
            $image.Alpha(127, 31) | Should -Be 255
        }

        It 'keeps the edge hard with -Resampling Nearest' {
            $image = Read-TestPng -Bytes (ConvertTo-AlphaMask $bw -Width 128 -Height 32 -Resampling Nearest).Bytes
            $image.Alpha(63, 0) | Should -Be 0
            $image.Alpha(64, 0) | Should -Be 255
            ((Get-AlphaLevels $image) -join ',') | Should -Be '0,255'
        }

        It 'applies -Threshold after the resize, so the edge stays hard' {
            $image = Read-TestPng -Bytes (ConvertTo-AlphaMask $bw -Width 128 -Height 32 -Threshold 128).Bytes
            $image.Alpha(63, 0) | Should -Be 0
            $image.Alpha(64, 0) | Should -Be 255
            ((Get-AlphaLevels $image) -join ',') | Should -Be '0,255'
        }

        It 'takes an image object for -MatchSize' {
            $photo = New-OpenAIImage 'a living room' @conn -Quality low -Size 1536x1024
            $mask = ConvertTo-AlphaMask $bw -MatchSize $photo
            $mask.Size | Should -Be '1536x1024'
        }

        It 'does not take -MatchSize with -Width and -Height (MatchSizeAndDimensions)' {
            $thrown = { ConvertTo-AlphaMask $bw -MatchSize $wide -Width 32 -Height 32 } | Should -Throw -PassThru
            $thrown.FullyQualifiedErrorId | Should -BeLike 'MatchSizeAndDimensions,*'
        }

        It 'needs -Width and -Height together (DimensionMissing)' {
            $thrown = { ConvertTo-AlphaMask $bw -Width 32 } | Should -Throw -PassThru
            $thrown.FullyQualifiedErrorId | Should -BeLike 'DimensionMissing,*'
        }
    }

    Context 'input' {
        It 'converts each file from Get-ChildItem, in order' {
            $results = Get-ChildItem -LiteralPath $masks -Filter '*.png' | Sort-Object Name | ConvertTo-AlphaMask
            $results | Should -HaveCount 2
            ($results | ForEach-Object { Split-Path -Leaf $_.Source }) | Should -Be @('bw.png', 'gray.png')
            ($results | ForEach-Object { $_.Size }) | Should -Be @('64x64', '8x8')
        }

        It 'converts masks of one size one after another, each to its own levels' {
            # The engine decodes each mask into the pixel memory of the one before when the sizes match.
            $folder = Join-Path $TestDrive 'same-size'
            $levels = 10, 200, 90, 255, 0
            $files = foreach ($level in $levels) {
                New-TestSolidPng -Path (Join-Path $folder "level-$level.png") -Width 48 -Height 40 -Red $level -Green $level -Blue $level
            }
            $converted = $files | ConvertTo-AlphaMask
            $converted | Should -HaveCount $levels.Count
            for ($i = 0; $i -lt $levels.Count; $i++) {
                $image = Read-TestPng -Bytes $converted[$i].Bytes
                $l = $levels[$i]
                ($image.Pixel(0, 0) -join ',') | Should -Be "$l,$l,$l,$l"
                ($image.Pixel(47, 39) -join ',') | Should -Be "$l,$l,$l,$l"
            }
        }

        It 'expands wildcards in -Path' {
            @(ConvertTo-AlphaMask (Join-Path $masks '*.png')) | Should -HaveCount 2
        }

        It 'takes -LiteralPath with wildcard characters in the name' {
            $odd = (New-TestMaskPng -Path (Join-Path $TestDrive 'odd[1].png')).FullName
            (ConvertTo-AlphaMask -LiteralPath $odd).Size | Should -Be '64x64'
        }

        It 'takes the bytes of a PNG file from the pipeline' {
            $mask = , ([System.IO.File]::ReadAllBytes($bw)) | ConvertTo-AlphaMask
            $mask | Should -HaveCount 1
            (Read-TestPng -Bytes $mask.Bytes).Alpha(0, 0) | Should -Be 0
        }

        It 'takes rows from ConvertFrom-Csv by their Path column' {
            $rows = "Path`n$bw`n$gray" | ConvertFrom-Csv
            $results = $rows | ConvertTo-AlphaMask -ErrorAction SilentlyContinue -ErrorVariable rowErrors
            $rowErrors | Should -BeNullOrEmpty
            ($results | ForEach-Object { $_.Size }) | Should -Be @('64x64', '8x8')
        }

        It 'takes the PathInfo objects of Resolve-Path from the pipeline' {
            $results = Resolve-Path -LiteralPath $bw, $gray | ConvertTo-AlphaMask -ErrorAction SilentlyContinue -ErrorVariable pathInfoErrors
            $pathInfoErrors | Should -BeNullOrEmpty
            ($results | ForEach-Object { $_.Size }) | Should -Be @('64x64', '8x8')
        }

        It 'takes its own masks, reading their gray levels again' {
            $twice = ConvertTo-AlphaMask $bw | ConvertTo-AlphaMask -Invert
            $image = Read-TestPng -Bytes $twice.Bytes
            $image.Alpha(0, 0) | Should -Be 255
            $image.Alpha(63, 0) | Should -Be 0
        }

        It 'reports a piped folder path as ImageNotFound and goes on' {
            $results = $bw, $masks, $gray | ConvertTo-AlphaMask -ErrorAction SilentlyContinue -ErrorVariable folderErrors
            ($results | ForEach-Object { $_.Size }) | Should -Be @('64x64', '8x8')
            $folderErrors | Should -HaveCount 1
            $folderErrors[0].FullyQualifiedErrorId | Should -BeLike 'ImageNotFound,*'
        }

        It 'reports a -Path that matches nothing as ImageNotFound and goes on' {
            $results = ConvertTo-AlphaMask -Path (Join-Path $masks 'missing-*.png'), $bw -ErrorAction SilentlyContinue -ErrorVariable pathErrors
            $results | Should -HaveCount 1
            $pathErrors | Should -HaveCount 1
            $pathErrors[0].FullyQualifiedErrorId | Should -BeLike 'ImageNotFound,*'
        }
    }

    Context 'masks it cannot read' {
        BeforeAll {
            # A real JPEG, from the server's encoder.
            $jpeg = Join-Path $TestDrive 'photo.jpg'
            $null = New-OpenAIImage 'a photo to use as a mask' @conn -Quality low -Size 1024x1024 -OutputFormat jpeg -OutFile $jpeg
        }

        It 'refuses a JPEG mask with MaskFormatUnsupported and says to save it as PNG' {
            $results = ConvertTo-AlphaMask -Path $jpeg -ErrorAction SilentlyContinue -ErrorVariable maskErrors
            $results | Should -BeNullOrEmpty
            $maskErrors | Should -HaveCount 1
            $maskErrors[0].FullyQualifiedErrorId | Should -BeLike 'MaskFormatUnsupported,*'
            $maskErrors[0].CategoryInfo.Category | Should -Be 'InvalidData'
            $maskErrors[0].Exception.Message | Should -Match 'PNG'
            [string] $maskErrors[0].TargetObject | Should -Be $jpeg
        }

        It 'goes on with the other masks of a pipeline after a JPEG' {
            $results = $bw, $jpeg, $gray | ConvertTo-AlphaMask -ErrorAction SilentlyContinue -ErrorVariable maskErrors
            ($results | ForEach-Object { $_.Size }) | Should -Be @('64x64', '8x8')
            $maskErrors | Should -HaveCount 1
            $maskErrors[0].FullyQualifiedErrorId | Should -BeLike 'MaskFormatUnsupported,*'
        }

        It 'reports a PNG that does not decode as ImageCorrupt' {
            $bytes = [System.IO.File]::ReadAllBytes($bw)
            # A byte inside the image data: the chunk's CRC no longer holds.
            $bytes[$bytes.Length - 20] = $bytes[$bytes.Length - 20] -bxor 0xFF
            $corrupt = (Write-TestFile -Path (Join-Path $TestDrive 'corrupt.png') -Bytes $bytes).FullName
            $results = ConvertTo-AlphaMask $corrupt -ErrorAction SilentlyContinue -ErrorVariable maskErrors
            $results | Should -BeNullOrEmpty
            $maskErrors | Should -HaveCount 1
            $maskErrors[0].FullyQualifiedErrorId | Should -BeLike 'ImageCorrupt,*'
            $maskErrors[0].CategoryInfo.Category | Should -Be 'InvalidData'
        }
    }

    Context 'saving' {
        It 'saves into -OutputDirectory as NAME-alpha.png, never over a file' {
            $directory = Join-Path $TestDrive 'alpha-masks'
            $first = ConvertTo-AlphaMask $bw -OutputDirectory $directory
            $second = ConvertTo-AlphaMask $bw -OutputDirectory $directory
            Split-Path -Leaf $first.Path | Should -Be 'bw-alpha.png'
            Split-Path -Leaf $second.Path | Should -Be 'bw-alpha-2.png'
            Get-FileHashText $first.Path | Should -Be (Get-BytesHashText $first.Bytes)
            Get-FileHashText $second.Path | Should -Be (Get-BytesHashText $second.Bytes)
        }

        It 'leaves an existing -OutFile alone without -Force: OutputFileExists, and no object' {
            $file = Join-Path $TestDrive 'keep-mask.png'
            Set-Content -LiteralPath $file -Value 'keep me'
            $before = Get-FileHashText $file
            $results = ConvertTo-AlphaMask $bw -OutFile $file -ErrorAction SilentlyContinue -ErrorVariable saveErrors
            $results | Should -BeNullOrEmpty
            $saveErrors | Should -HaveCount 1
            $saveErrors[0].FullyQualifiedErrorId | Should -BeLike 'OutputFileExists,*'
            $saveErrors[0].CategoryInfo.Category | Should -Be 'ResourceExists'
            Get-FileHashText $file | Should -Be $before
        }

        It 'replaces an existing -OutFile with -Force' {
            $file = Join-Path $TestDrive 'replace-mask.png'
            Set-Content -LiteralPath $file -Value 'not a mask yet'
            $mask = ConvertTo-AlphaMask $bw -OutFile $file -Force
            $mask.Path | Should -Be $file
            Test-PngSignature $file | Should -BeTrue
            Get-FileHashText $file | Should -Be (Get-BytesHashText $mask.Bytes)
        }

        It 'resolves a relative -OutFile against the current location' {
            Push-Location -LiteralPath $TestDrive
            try {
                $mask = ConvertTo-AlphaMask $bw -OutFile 'relative-mask.png'
            }
            finally {
                Pop-Location
            }
            $mask.Path | Should -Be (Join-Path $TestDrive 'relative-mask.png')
            Test-Path -LiteralPath $mask.Path | Should -BeTrue
        }

        It 'saves an in-memory mask with Save(path) relative to the PowerShell location, never over a file without $true' {
            $mask = ConvertTo-AlphaMask $bw
            $mask.Path | Should -BeNullOrEmpty
            $folder = Join-Path $TestDrive 'saved-by-method'
            New-Item -ItemType Directory -Path $folder | Out-Null
            Push-Location -LiteralPath $folder
            try {
                $path = $mask.Save('mask.png')
                $path | Should -Be (Join-Path $folder 'mask.png')
                $mask.Path | Should -Be $path
                Get-FileHashText $path | Should -Be (Get-BytesHashText $mask.Bytes)
                { $mask.Save('mask.png') } | Should -Throw '*already exists*call Save(path, $true) to replace it*'
                $mask.Save('mask.png', $true) | Should -Be $path
                { $mask.Save('Env:/mask.png') } | Should -Throw '*file system*'
            }
            finally {
                Pop-Location
            }
        }

        It 'writes nothing with -WhatIf' {
            $file = Join-Path $TestDrive 'what-if-mask.png'
            ConvertTo-AlphaMask $bw -OutFile $file -WhatIf | Should -BeNullOrEmpty
            Test-Path -LiteralPath $file | Should -BeFalse
        }

        It 'does not take -OutFile and -OutputDirectory together' {
            $thrown = { ConvertTo-AlphaMask $bw -OutFile (Join-Path $TestDrive 'a.png') -OutputDirectory $TestDrive } | Should -Throw -PassThru
            $thrown.FullyQualifiedErrorId | Should -BeLike 'OutFileAndOutputDirectory,*'
        }
    }

    Context 'output' {
        It 'is shown as a table with the module''s view' {
            $text = ConvertTo-AlphaMask $bw | Format-Table | Out-String
            $text | Should -Match 'Size'
            $text | Should -Match 'Source'
            $text | Should -Match '64x64'
            $text | Should -Match 'in memory'
            # Without the view, PowerShell would list every property, Width and Bytes among them.
            $text | Should -Not -Match 'Width'
        }
    }

    Context 'with Edit-OpenAIImage -Mask' {
        BeforeAll {
            $redPixel = (Read-TestPng -Path $red).Pixel(0, 0) -join ','
        }

        It 'is sent as the mask: the black half is redrawn and the white half kept' {
            $mask = ConvertTo-AlphaMask $bw
            $result = Edit-OpenAIImage 'a flamingo' -Path $red -Mask $mask @conn -Quality low -Size 1024x1024
            $result | Should -HaveCount 1
            $image = Read-TestPng -Bytes $result.Bytes
            # The server keeps every pixel the mask keeps and paints the rest in a color of its own.
            ($image.Pixel(1000, 500) -join ',') | Should -Be $redPixel
            ($image.Pixel(20, 500) -join ',') | Should -Not -Be $redPixel
        }

        It 'goes through the pipeline into one edit per mask' {
            # Two drawings: a-left.png black on the left, b-right.png black on the right.
            $pair = Join-Path $TestDrive 'pair'
            New-TestMaskPng -Path (Join-Path $pair 'a-left.png') | Out-Null
            $null = ConvertTo-AlphaMask $bw -Invert -OutFile (Join-Path $pair 'b-right.png')

            $results = Get-ChildItem -LiteralPath $pair -Filter '*.png' | Sort-Object Name |
                ConvertTo-AlphaMask |
                ForEach-Object { Edit-OpenAIImage 'a flamingo' -Path $red -Mask $_ @conn -Quality low -Size 1024x1024 }
            $results | Should -HaveCount 2
            $kept = Read-TestPng -Bytes $results[0].Bytes
            $inverted = Read-TestPng -Bytes $results[1].Bytes
            ($kept.Pixel(1000, 500) -join ',') | Should -Be $redPixel
            ($inverted.Pixel(20, 500) -join ',') | Should -Be $redPixel
            ($inverted.Pixel(1000, 500) -join ',') | Should -Not -Be $redPixel
        }

        It 'fits a generated image with -MatchSize, which the edit then takes' {
            $photo = New-OpenAIImage 'a living room with a window' @conn -Quality low -Size 1536x1024
            $mask = ConvertTo-AlphaMask $bw -MatchSize $photo
            $result = $photo | Edit-OpenAIImage -Prompt 'a view of the sea' -Mask $mask @conn -Quality low -Size 1536x1024 -ErrorAction SilentlyContinue -ErrorVariable editErrors
            $editErrors | Should -BeNullOrEmpty
            $result | Should -HaveCount 1
            $result.Size | Should -Be '1536x1024'
        }

        It 'fails with MaskSizeMismatch, before sending, when the mask does not fit the image' {
            $mask = ConvertTo-AlphaMask $bw -Width 32 -Height 32
            $result = Edit-OpenAIImage 'a flamingo' -Path $red -Mask $mask @conn -Quality low -ErrorAction SilentlyContinue -ErrorVariable editErrors
            $result | Should -BeNullOrEmpty
            $editErrors | Should -HaveCount 1
            $editErrors[0].FullyQualifiedErrorId | Should -BeLike 'MaskSizeMismatch,*'
        }
    }
}
