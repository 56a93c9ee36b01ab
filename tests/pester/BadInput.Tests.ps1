# Bad input at the prompt: each case is refused with the module's error id before any request is sent (the
# FakeApi counts what arrives), and nothing is written to the output folder. Inputs that are not images to work on
# (a folder, a partial image) are refused or passed over without a paid request.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $savedEnvironment = Clear-OpenAIEnvironment
    Import-ModuleUnderTest | Out-Null
    Import-TestPngType
    $server = Start-TestServer
    $conn = @{ ApiKey = 'test-key'; BaseUri = $server.BaseUri }
    $images = Join-Path $TestDrive 'inputs'
    $red = New-TestPng -Path (Join-Path $images 'red.png') -Kind Red
    $folder = Join-Path $images 'a-folder'
    New-Item -ItemType Directory -Path $folder | Out-Null
    New-TestPng -Path (Join-Path $folder 'inside.png') -Kind Blue | Out-Null
    $token = ConvertTo-SecureString 'test-token' -AsPlainText -Force

    # Damaged and unsuitable inputs, each judged before a request is sent.
    $bad = Join-Path $TestDrive 'bad-inputs'
    New-Item -ItemType Directory -Path $bad | Out-Null
    function Write-BadInput([string] $Name, [byte[]] $Bytes) {
        $path = Join-Path $bad $Name
        [System.IO.File]::WriteAllBytes($path, $Bytes)
        $path
    }
    $redBytes = [System.IO.File]::ReadAllBytes($red.FullName)
    $text = Write-BadInput 'notes.png' ([System.Text.Encoding]::UTF8.GetBytes('this is text, not a PNG'))
    $cutPng = Write-BadInput 'cut.png' $redBytes[0..([int]($redBytes.Length * 0.6))]
    $flipped = $redBytes.Clone(); $flipped[$flipped.Length - 20] = $flipped[$flipped.Length - 20] -bxor 0x40
    $badCrc = Write-BadInput 'bad-crc.png' $flipped
    $headerOnly = Write-BadInput 'header-only.png' $redBytes[0..20]
    $jpegBytes = (New-OpenAIImage 'a jpeg source' @conn -Quality low -OutputFormat jpeg).Bytes
    $webpBytes = (New-OpenAIImage 'a webp source' @conn -Quality low -OutputFormat webp).Bytes
    $jpeg = Write-BadInput 'photo.jpg' $jpegBytes
    $cutJpeg = Write-BadInput 'cut.jpg' $jpegBytes[0..([int]($jpegBytes.Length / 2))]
    $cutWebp = Write-BadInput 'cut.webp' $webpBytes[0..([int]($webpBytes.Length / 2))]
    $wide = (New-TestPng -Path (Join-Path $bad 'wide.png') -Kind Wide).FullName
    $bw = Join-Path $bad 'bw.png'
    New-TestMaskPng -Path $bw | Out-Null
    $redInfo = Read-TestPng -Path $red.FullName
    $noAlpha = Write-BadInput 'no-alpha.png' ([OpenAIImagesTests.TestPng]::GrayRgb($redInfo.Width, $redInfo.Height, 128))
    $mask = (ConvertTo-AlphaMask -Path $bw -MatchSize $red -OutFile (Join-Path $bad 'mask.png')).Path
    $otherSizeMask = (ConvertTo-AlphaMask -Path $bw -Width 16 -Height 16 -OutFile (Join-Path $bad 'small-mask.png')).Path
    $cutMask = Write-BadInput 'cut-mask.png' ([System.IO.File]::ReadAllBytes($mask))[0..60]
    # A PNG that claims 10000x10000 pixels with a few bytes of data: a mask that would cost 400 MB to decode.
    $huge = Write-BadInput 'huge.png' ([OpenAIImagesTests.TestPng]::HeaderOnly(10000, 10000))
    $seventeen = @(1..17 | ForEach-Object { $red.FullName })
    $longPrompt = 'a' * 32001
    Reset-TestServerTraffic $server

    # What the inputs are before each case; no case may change, add or remove one.
    function Get-InputState {
        Get-ChildItem -LiteralPath $images, $bad -Recurse -File | Sort-Object FullName | ForEach-Object { '{0} {1}' -f $_.FullName, (Get-FileHashText -Path $_.FullName) }
    }
    $inputState = Get-InputState
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

        # New-OpenAIImage: the request itself.
        @{ Name = 'a size that is not WIDTHxHEIGHT'; Id = 'SizeInvalid'; Call = { New-OpenAIImage 'a frog' @conn -Size big -OutputDirectory $out } }
        @{ Name = 'a gpt-image-2 size above 3840x2160'; Id = 'SizeNotSupported'; Call = { New-OpenAIImage 'a frog' @conn -Size 4096x4096 -OutputDirectory $out } }
        @{ Name = 'a gpt-image-2 size that is no multiple of 16'; Id = 'SizeNotSupported'; Call = { New-OpenAIImage 'a frog' @conn -Size 1000x1000 -OutputDirectory $out } }
        @{ Name = 'a gpt-image-2 size wider than 3:1'; Id = 'SizeNotSupported'; Call = { New-OpenAIImage 'a frog' @conn -Size 3840x1024 -OutputDirectory $out } }
        @{ Name = 'a dall-e-3 size it does not make'; Id = 'SizeNotSupported'; Call = { New-OpenAIImage 'a frog' @conn -Model dall-e-3 -Size 512x512 -OutputDirectory $out -WarningAction SilentlyContinue } }
        @{ Name = '-Count 11'; Id = 'CountOutOfRange'; Call = { New-OpenAIImage 'a frog' @conn -Count 11 -OutputDirectory $out } }
        @{ Name = '-Count 0'; Id = 'CountOutOfRange'; Call = { New-OpenAIImage 'a frog' @conn -Count 0 -OutputDirectory $out } }
        @{ Name = '-Count 2 with dall-e-3'; Id = 'CountOutOfRange'; Call = { New-OpenAIImage 'a frog' @conn -Model dall-e-3 -Count 2 -OutputDirectory $out -WarningAction SilentlyContinue } }
        @{ Name = 'a quality the model does not have'; Id = 'ValueNotSupported'; Call = { New-OpenAIImage 'a frog' @conn -Quality ultra -OutputDirectory $out } }
        @{ Name = 'a dall-e-3 quality with gpt-image-2'; Id = 'ValueNotSupported'; Call = { New-OpenAIImage 'a frog' @conn -Quality hd -OutputDirectory $out } }
        @{ Name = '-Style with gpt-image-2'; Id = 'ParameterNotSupportedByModel'; Call = { New-OpenAIImage 'a frog' @conn -Style vivid -OutputDirectory $out } }
        @{ Name = '-ResponseFormat url with gpt-image-2'; Id = 'ParameterNotSupportedByModel'; Call = { New-OpenAIImage 'a frog' @conn -ResponseFormat url -OutputDirectory $out } }
        @{ Name = 'an output format the API does not make'; Id = 'ValueNotSupported'; Call = { New-OpenAIImage 'a frog' @conn -OutputFormat gif -OutputDirectory $out } }
        @{ Name = 'a transparent jpeg'; Id = 'TransparentBackgroundRequiresPngOrWebp'; Call = { New-OpenAIImage 'a frog' @conn -Background transparent -OutputFormat jpeg -OutputDirectory $out } }
        @{ Name = 'compression for png'; Id = 'OutputCompressionRequiresJpegOrWebp'; Call = { New-OpenAIImage 'a frog' @conn -OutputCompression 50 -OutputDirectory $out } }
        @{ Name = 'compression above 100'; Id = 'OutputCompressionOutOfRange'; Call = { New-OpenAIImage 'a frog' @conn -OutputFormat jpeg -OutputCompression 101 -OutputDirectory $out } }
        @{ Name = 'a moderation level the API does not have'; Id = 'ValueNotSupported'; Call = { New-OpenAIImage 'a frog' @conn -Moderation strict -OutputDirectory $out } }
        @{ Name = 'four partial images'; Id = 'PartialImagesOutOfRange'; Call = { New-OpenAIImage 'a frog' @conn -PartialImages 4 -OutputDirectory $out } }
        @{ Name = 'streaming with dall-e-3'; Id = 'StreamingNotSupported'; Call = { New-OpenAIImage 'a frog' @conn -Model dall-e-3 -Stream -OutputDirectory $out -WarningAction SilentlyContinue } }
        @{ Name = 'a transparent background with dall-e-3'; Id = 'ParameterNotSupportedByModel'; Call = { New-OpenAIImage 'a frog' @conn -Model dall-e-3 -Background transparent -OutputDirectory $out -WarningAction SilentlyContinue } }
        @{ Name = 'a prompt of 32,001 characters'; Id = 'PromptTooLong'; Call = { New-OpenAIImage $longPrompt @conn -OutputDirectory $out } }
        @{ Name = 'a prompt of spaces'; Id = 'PromptEmpty'; Call = { New-OpenAIImage '   ' @conn -OutputDirectory $out } }
        @{ Name = 'a portrait size with dall-e-2'; Id = 'SizeNotSupported'; Call = { New-OpenAIImage 'a frog' @conn -Model dall-e-2 -Size 1024x1536 -OutputDirectory $out -WarningAction SilentlyContinue } }

        # New-OpenAIImage: where the images would go.
        @{ Name = '-OutFile .webp with -OutputFormat png'; Id = 'OutFileFormatMismatch'; Call = { New-OpenAIImage 'a frog' @conn -OutputFormat png -OutFile (Join-Path $out 'frog.webp') } }
        @{ Name = '-OutFile .jpg for dall-e-3, which makes PNG only'; Id = 'OutFileFormatMismatch'; Call = { New-OpenAIImage 'a frog' @conn -Model dall-e-3 -OutFile (Join-Path $out 'frog.jpg') -WarningAction SilentlyContinue } }
        @{ Name = 'an -OutFile that exists, without -Force'; Id = 'OutputFileExists'; Call = { New-OpenAIImage 'a frog' @conn -OutFile $red.FullName } }
        @{ Name = 'an -OutputDirectory that cannot be written'; Id = 'OutputFolderNotWritable'; Call = { New-OpenAIImage 'a frog' @conn -OutputDirectory '/proc/1/no-such-folder' }; Unix = $true }
        @{ Name = 'an -OutFile in a folder that cannot be written'; Id = 'OutputFolderNotWritable'; Call = { New-OpenAIImage 'a frog' @conn -OutFile '/proc/1/frog.png' }; Unix = $true }
        @{ Name = 'an -OutputDirectory on the Env: drive'; Id = 'OutputPathNotFileSystem'; Call = { New-OpenAIImage 'a frog' @conn -OutputDirectory 'Env:\images' } }
        @{ Name = 'an -OutFile on the Variable: drive'; Id = 'OutputPathNotFileSystem'; Call = { New-OpenAIImage 'a frog' @conn -OutFile 'Variable:\frog.png' } }
        @{ Name = '-OutFile and -OutputDirectory both given'; Id = 'OutFileAndOutputDirectory'; Call = { New-OpenAIImage 'a frog' @conn -OutFile (Join-Path $out 'f.png') -OutputDirectory $out } }

        # The connection.
        @{ Name = 'a proxy that is not http or https'; Id = 'ProxyInvalid'; Call = { New-OpenAIImage 'a frog' @conn -Proxy 'ftp://proxy.example' -OutputDirectory $out } }
        @{ Name = '-ProxyCredential without -Proxy'; Id = 'ProxyCredentialWithoutProxy'; Call = { New-OpenAIImage 'a frog' @conn -ProxyCredential ([pscredential]::new('user', $token)) -OutputDirectory $out } }
        @{ Name = 'a plain-http base URI on another machine'; Id = 'InsecureBaseUri'; Call = { New-OpenAIImage 'a frog' -ApiKey 'test-key' -BaseUri 'http://images.example/v1' -OutputDirectory $out } }
        @{ Name = '-Deployment without an Azure endpoint'; Id = 'BaseUriInvalid'; Call = { New-OpenAIImage 'a frog' -ApiKey 'test-key' -Deployment 'images' -OutputDirectory $out } }

        # Edit-OpenAIImage.
        @{ Name = 'an image file that does not exist'; Id = 'ImageNotFound'; Call = { Edit-OpenAIImage 'a hat' -LiteralPath (Join-Path $bad 'missing.png') @conn -OutputDirectory $out } }
        @{ Name = 'a text file named .png'; Id = 'ImageFormatUnsupported'; Call = { Edit-OpenAIImage 'a hat' -LiteralPath $text @conn -OutputDirectory $out } }
        @{ Name = 'a PNG cut short'; Id = 'ImageCorrupt'; Call = { Edit-OpenAIImage 'a hat' -LiteralPath $cutPng @conn -OutputDirectory $out } }
        @{ Name = 'a PNG with a bad CRC'; Id = 'ImageCorrupt'; Call = { Edit-OpenAIImage 'a hat' -LiteralPath $badCrc @conn -OutputDirectory $out } }
        @{ Name = 'a PNG cut inside its header'; Id = 'ImageCorrupt'; Call = { Edit-OpenAIImage 'a hat' -LiteralPath $headerOnly @conn -OutputDirectory $out } }
        @{ Name = 'a JPEG cut short'; Id = 'ImageCorrupt'; Call = { Edit-OpenAIImage 'a hat' -LiteralPath $cutJpeg @conn -OutputDirectory $out } }
        @{ Name = 'a WebP cut short'; Id = 'ImageCorrupt'; Call = { Edit-OpenAIImage 'a hat' -LiteralPath $cutWebp @conn -OutputDirectory $out } }
        @{ Name = 'a damaged image as bytes from the pipeline'; Id = 'ImageCorrupt'; Call = { , [System.IO.File]::ReadAllBytes($cutPng) | Edit-OpenAIImage -Prompt 'a hat' @conn -OutputDirectory $out } }
        @{ Name = 'a mask cut short'; Id = 'ImageCorrupt'; Call = { Edit-OpenAIImage 'a hat' -Path $red @conn -Mask $cutMask -OutputDirectory $out } }
        @{ Name = 'a JPEG mask'; Id = 'MaskFormatUnsupported'; Call = { Edit-OpenAIImage 'a hat' -Path $red @conn -Mask $jpeg -OutputDirectory $out } }
        @{ Name = 'a mask without alpha'; Id = 'MaskHasNoAlpha'; Call = { Edit-OpenAIImage 'a hat' -Path $red @conn -Mask $noAlpha -OutputDirectory $out } }
        @{ Name = 'a mask of another size'; Id = 'MaskSizeMismatch'; Call = { Edit-OpenAIImage 'a hat' -Path $red @conn -Mask $otherSizeMask -OutputDirectory $out } }
        @{ Name = '17 images in one request'; Id = 'TooManyImages'; Call = { Edit-OpenAIImage 'a hat' -LiteralPath $seventeen -Combine @conn -OutputDirectory $out } }
        @{ Name = '-Moderation with uploaded images'; Id = 'ParameterNotSupportedForInput'; Call = { Edit-OpenAIImage 'a hat' -Path $red @conn -Moderation low -OutputDirectory $out } }
        @{ Name = 'an image URL that is not https or data'; Id = 'ImageReferenceInvalid'; Call = { Edit-OpenAIImage 'a hat' -ImageUrl 'ftp://example.com/a.png' @conn -OutputDirectory $out } }
        @{ Name = '-ResponseFormat with images by URL'; Id = 'ParameterNotSupportedByModel'; Call = { Edit-OpenAIImage 'a hat' -ImageUrl 'https://example.com/a.png' -ResponseFormat b64_json @conn -OutputDirectory $out } }
        @{ Name = 'a wide image for dall-e-2'; Id = 'ImageNotSquare'; Call = { Edit-OpenAIImage 'a hat' -LiteralPath $wide -Mask $mask @conn -Model dall-e-2 -OutputDirectory $out -WarningAction SilentlyContinue } }
        @{ Name = 'an image without alpha for dall-e-2, without a mask'; Id = 'ImageHasNoAlpha'; Call = { Edit-OpenAIImage 'a hat' -LiteralPath $noAlpha @conn -Model dall-e-2 -OutputDirectory $out -WarningAction SilentlyContinue } }
        @{ Name = 'an input fidelity the API does not have'; Id = 'ValueNotSupported'; Call = { Edit-OpenAIImage 'a hat' -Path $red @conn -InputFidelity medium -OutputDirectory $out } }
        @{ Name = 'an edit with dall-e-3'; Id = 'ModelEndpointNotSupported'; Call = { Edit-OpenAIImage 'a hat' -Path $red @conn -Model dall-e-3 -OutputDirectory $out -WarningAction SilentlyContinue } }
        @{ Name = 'an edit prompt of spaces'; Id = 'PromptEmpty'; Call = { Edit-OpenAIImage '  ' -Path $red @conn -OutputDirectory $out } }
        @{ Name = 'an edit with -Count 11'; Id = 'CountOutOfRange'; Call = { Edit-OpenAIImage 'a hat' -Path $red @conn -Count 11 -OutputDirectory $out } }
        @{ Name = 'an edit to -OutFile .png with -OutputFormat webp'; Id = 'OutFileFormatMismatch'; Call = { Edit-OpenAIImage 'a hat' -Path $red @conn -OutputFormat webp -OutFile (Join-Path $out 'hat.png') } }
        @{ Name = 'an image path on the Env: drive'; Id = 'ImageNotFound'; Call = { Edit-OpenAIImage 'a hat' -LiteralPath 'Env:\PATH' @conn -OutputDirectory $out } }

        # New-OpenAIImageVariation.
        @{ Name = 'a variation with gpt-image-2'; Id = 'ModelEndpointNotSupported'; Call = { New-OpenAIImageVariation $red @conn -Model gpt-image-2 -OutputDirectory $out } }
        @{ Name = 'a variation of a wide image'; Id = 'ImageNotSquare'; Call = { New-OpenAIImageVariation -LiteralPath $wide @conn -OutputDirectory $out -WarningAction SilentlyContinue } }
        @{ Name = 'a variation of a JPEG'; Id = 'ImageFormatUnsupported'; Call = { New-OpenAIImageVariation -LiteralPath $jpeg @conn -OutputDirectory $out -WarningAction SilentlyContinue } }
        @{ Name = 'a variation of a PNG cut short'; Id = 'ImageCorrupt'; Call = { New-OpenAIImageVariation -LiteralPath $cutPng @conn -OutputDirectory $out -WarningAction SilentlyContinue } }
        @{ Name = 'a variation size dall-e-2 does not make'; Id = 'SizeNotSupported'; Call = { New-OpenAIImageVariation $red @conn -Size 1536x1024 -OutputDirectory $out -WarningAction SilentlyContinue } }
        @{ Name = 'a variation with -Count 11'; Id = 'CountOutOfRange'; Call = { New-OpenAIImageVariation $red @conn -Count 11 -OutputDirectory $out -WarningAction SilentlyContinue } }
        @{ Name = 'a variation to -OutFile .webp'; Id = 'OutFileFormatMismatch'; Call = { New-OpenAIImageVariation $red @conn -OutFile (Join-Path $out 'v.webp') -WarningAction SilentlyContinue } }
        @{ Name = 'a variation response format the API does not have'; Id = 'ValueNotSupported'; Call = { New-OpenAIImageVariation $red @conn -ResponseFormat gif -OutputDirectory $out -WarningAction SilentlyContinue } }

        # ConvertTo-AlphaMask.
        @{ Name = 'a mask PNG cut short'; Id = 'ImageCorrupt'; Call = { ConvertTo-AlphaMask -LiteralPath $cutPng -OutputDirectory $out } }
        @{ Name = 'a mask that is a text file'; Id = 'MaskFormatUnsupported'; Call = { ConvertTo-AlphaMask -LiteralPath $text -OutputDirectory $out } }
        @{ Name = 'a mask above the pixel limit'; Id = 'ImageTooLarge'; Call = { ConvertTo-AlphaMask -LiteralPath $huge -OutputDirectory $out } }
        @{ Name = 'a mask resized above the pixel limit'; Id = 'ImageTooLarge'; Call = { ConvertTo-AlphaMask -LiteralPath $bw -Width 8192 -Height 8192 -OutputDirectory $out } }
        @{ Name = '-Width without -Height'; Id = 'DimensionMissing'; Call = { ConvertTo-AlphaMask -LiteralPath $bw -Width 64 -OutputDirectory $out } }
        @{ Name = '-MatchSize with -Width and -Height'; Id = 'MatchSizeAndDimensions'; Call = { ConvertTo-AlphaMask -LiteralPath $bw -MatchSize $red -Width 64 -Height 64 -OutputDirectory $out } }
        @{ Name = 'a mask -OutFile naming a folder'; Id = 'OutFileIsFolder'; Call = { ConvertTo-AlphaMask -LiteralPath $bw -OutFile $folder } }
        @{ Name = 'a mask -OutFile that exists, without -Force'; Id = 'OutputFileExists'; Call = { ConvertTo-AlphaMask -LiteralPath $bw -OutFile $red.FullName } }
    ) {
        if ($Unix -and $IsWindows) { Set-ItResult -Skipped -Because '/proc exists on Linux only; a folder Windows refuses to write needs an ACL this test does not set' }
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
        @(Get-ChildItem -LiteralPath $out -Recurse -Force -ErrorAction SilentlyContinue) | Should -HaveCount 0
        # The inputs, which some cases name as output targets, are as they were.
        Get-InputState | Should -Be $inputState
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
