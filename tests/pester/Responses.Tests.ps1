# The Responses API path: New-OpenAIImage and Edit-OpenAIImage with -ResponsesModel (or OPENAI_RESPONSES_MODEL) send
# the request through POST /v1/responses and its image_generation tool. The FakeApi validates each request against
# the spec's subset and keeps a store of responses; its recording (GET /_fake/requests) shows what crossed the wire.

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
    $bw = Join-Path $images 'bw.png'
    New-TestMaskPng -Path $bw | Out-Null
    $mask = ConvertTo-AlphaMask -Path $bw -MatchSize $red

    function Get-ResponsesRequest {
        @(Get-TestServerRequest $server | Where-Object path -EQ '/v1/responses')
    }
    function Test-HasInputImage($Request) {
        @($Request.json.input | ForEach-Object { $_.content } | Where-Object { $_.type -eq 'input_image' }).Count -gt 0
    }
}

AfterAll {
    Stop-TestServer $server
    Restore-OpenAIEnvironment $savedEnvironment
}

Describe 'Images through the Responses API' {
    BeforeEach {
        Clear-TestServerFault $server
        Reset-TestServerTraffic $server
    }

    It 'returns the image with its revised prompt, the response id and the call id, from a request the FakeApi validated' {
        $image = New-OpenAIImage 'A cat' @conn -ResponsesModel gpt-5.5 -Quality low
        $image.RevisedPrompt | Should -BeExactly 'A detailed, well-lit image: A cat'
        $image.ResponseId | Should -Match '^resp_'
        $image.ImageCallId | Should -Match '^ig_'
        $image.Action | Should -Be 'generate'
        $image.Model | Should -Be 'gpt-image-2'
        $image.ResponsesModel | Should -Be 'gpt-5.5'
        $image.Usage.TotalTokens | Should -BeGreaterThan 0
        $sent = Get-ResponsesRequest
        $sent | Should -HaveCount 1
        $sent[0].status | Should -Be 200
        $sent[0].json.model | Should -Be 'gpt-5.5'
        $sent[0].json.tools[0].type | Should -Be 'image_generation'
        $sent[0].json.tools[0].model | Should -Be 'gpt-image-2'
        $sent[0].json.tool_choice.type | Should -Be 'image_generation'
    }

    It 'continues the conversation down the pipeline: previous_response_id in steps 2 and 3, and no image bytes in them' {
        $final = New-OpenAIImage 'A cat' @conn -ResponsesModel gpt-5.5 -Quality low |
            Edit-OpenAIImage -Prompt 'now in the rain' @conn |
            Edit-OpenAIImage -Prompt 'add an umbrella' @conn
        $final | Should -HaveCount 1
        $sent = Get-ResponsesRequest
        $sent | Should -HaveCount 3
        $sent.status | Should -Be @(200, 200, 200)
        $sent[0].json.PSObject.Properties.Name | Should -Not -Contain 'previous_response_id'
        $sent[1].json.previous_response_id | Should -Match '^resp_'
        $sent[2].json.previous_response_id | Should -Match '^resp_'
        $sent[2].json.previous_response_id | Should -Not -Be $sent[1].json.previous_response_id
        foreach ($step in $sent) { Test-HasInputImage $step | Should -BeFalse }
        $final.Action | Should -Be 'edit'
        $final.RevisedPrompt | Should -Match 'add an umbrella'
    }

    It 'continues from a response id given by hand, as a script would the next day' {
        $first = New-OpenAIImage 'A lighthouse' @conn -ResponsesModel gpt-5.5 -Quality low
        Reset-TestServerTraffic $server
        $next = Edit-OpenAIImage 'at night' -PreviousResponseId $first.ResponseId -ResponsesModel gpt-5.5 @conn
        $next.ResponseId | Should -Not -Be $first.ResponseId
        (Get-ResponsesRequest)[0].json.previous_response_id | Should -Be $first.ResponseId
    }

    It 'edits local files, several with -Combine, and with a mask, in requests the FakeApi accepts' {
        $one = Edit-OpenAIImage 'add a hat' -Path $red @conn -ResponsesModel gpt-5.5 -Quality low
        $combined = Edit-OpenAIImage 'put them together' -Path $red, $blue -Combine @conn -ResponsesModel gpt-5.5 -Quality low
        $masked = Edit-OpenAIImage 'a flamingo on the left' -Path $red -Mask $mask @conn -ResponsesModel gpt-5.5 -Quality low
        @($one; $combined; $masked) | Should -HaveCount 3
        $sent = Get-ResponsesRequest
        $sent.status | Should -Be @(200, 200, 200)
        @($sent[1].json.input[0].content | Where-Object type -EQ 'input_image') | Should -HaveCount 2
        $sent[2].json.tools[0].input_image_mask.image_url | Should -Match '^data:image/png;base64,'
        foreach ($part in ($sent.json.input.content | Where-Object type -EQ 'input_image')) { $part.detail | Should -Be 'auto' }
    }

    It 'gives a text-only answer as OpenAIAnsweredWithText, with the model''s words' {
        Add-TestServerFault $server @{ kind = 'TextAnswer'; maxTimes = 1 }
        $result = New-OpenAIImage 'A cat' @conn -ResponsesModel gpt-5.5 -ErrorVariable failures -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'OpenAIAnsweredWithText,*'
        [string] $failures[0] | Should -Match 'gpt-5.5 answered with text and made no image: "I can''t make that image\. Could you tell me more'
    }

    It 'takes the mainline model from OPENAI_RESPONSES_MODEL, and from $PSDefaultParameterValues' {
        $env:OPENAI_RESPONSES_MODEL = 'gpt-5.5'
        try {
            (New-OpenAIImage 'A cat' @conn -Quality low).ResponseId | Should -Match '^resp_'
        }
        finally {
            $env:OPENAI_RESPONSES_MODEL = $null
        }
        $PSDefaultParameterValues['New-OpenAIImage:ResponsesModel'] = 'gpt-4.1'
        try {
            (New-OpenAIImage 'A cat' @conn -Quality low).ResponsesModel | Should -Be 'gpt-4.1'
        }
        finally {
            $PSDefaultParameterValues.Remove('New-OpenAIImage:ResponsesModel')
        }
        (New-OpenAIImage 'A cat' @conn -Quality low).ResponseId | Should -BeNullOrEmpty
        (Get-ResponsesRequest) | Should -HaveCount 2
    }

    It 'goes through the Azure OpenAI v1 route with -Endpoint' {
        $root = Get-TestServerRoot -Server $server
        $image = New-OpenAIImage 'A cat' -Endpoint $root -ApiKey 'test-key' -ResponsesModel gpt-5.5 -Quality low
        $image.ResponseId | Should -Match '^resp_'
        $sent = @(Get-TestServerRequest $server)
        $sent[-1].path | Should -Be '/openai/v1/responses'
        $sent[-1].status | Should -Be 200
    }

    It 'names the mainline model and the token estimate with -WhatIf' {
        $script = "Import-Module '$((Get-TestManifestPath) -replace "'", "''")'; New-OpenAIImage 'A cat' -ApiKey 'test-key' -BaseUri '$($server.BaseUri)' -ResponsesModel gpt-5.5 -Quality low -WhatIf"
        $text = (& (Get-TestPwsh) -NoProfile -NonInteractive -Command $script 2>&1) -join "`n"
        $text | Should -Match 'via gpt-5\.5 \(Responses API\) \(about 272 output tokens\)'
        (Get-TestServerTraffic $server).requests | Should -Be 0
    }
}

Describe 'Streaming through the Responses API' {
    BeforeEach { Reset-TestServerTraffic $server }

    It 'reports the same progress records as the Images API path' {
        $run = Invoke-InNewRunspace -Arguments @{ Conn = $conn } -ScriptBlock {
            param($Conn)
            $images = New-OpenAIImage 'A fox' @Conn -Quality low -Stream -PartialImages 2
            $viaResponses = New-OpenAIImage 'A fox' @Conn -Quality low -Stream -PartialImages 2 -ResponsesModel gpt-5.5
            [pscustomobject]@{ Images = $images; Responses = $viaResponses }
        }
        $run.Output[0].Responses.ResponseId | Should -Match '^resp_'
        $streamed = @($run.Progress | Where-Object { $_.ParentActivityId -ge 0 })
        # Each call's streamed request ends its record with a Completed one: split the records there, one list per call.
        $calls = [System.Collections.Generic.List[object]]::new()
        $current = [System.Collections.Generic.List[string]]::new()
        foreach ($record in $streamed) {
            $current.Add(('{0}|{1}|{2}|{3}' -f $record.Activity, $record.StatusDescription, $record.PercentComplete, $record.RecordType))
            if ($record.RecordType -eq 'Completed') { $calls.Add($current.ToArray()); $current.Clear() }
        }
        $calls | Should -HaveCount 2
        $calls[0] | Should -HaveCount 4
        $calls[0][0] | Should -Match 'Partial image 1 of 2\|33\|Processing$'
        $calls[1] | Should -Be $calls[0]
    }

    It 'writes the partial images before the final one with -IncludePartialImages' {
        $all = New-OpenAIImage 'A fox' @conn -Quality low -Stream -PartialImages 2 -IncludePartialImages -ResponsesModel gpt-5.5
        $all | Should -HaveCount 3
        @($all | ForEach-Object IsPartial) | Should -Be @($true, $true, $false)
        (Get-ResponsesRequest)[0].streamed | Should -BeTrue
    }
}

Describe 'Bad input on the Responses API path is refused before anything is sent' {
    BeforeAll {
        $notStored = New-OpenAIImage 'A cat' @conn -ResponsesModel gpt-5.5 -Quality low -NoStore
        $cut = Join-Path $images 'cut.png'
        $bytes = [System.IO.File]::ReadAllBytes($red.FullName)
        [System.IO.File]::WriteAllBytes($cut, $bytes[0..([int]($bytes.Length / 2))])
        $seventeen = @(1..17 | ForEach-Object { $red.FullName })
    }

    BeforeEach { Reset-TestServerTraffic $server }

    It '<Name>: <Id>, no request' -ForEach @(
        @{ Name = 'a DALL-E 3 image model'; Id = 'ModelNotSupportedByResponses'; Call = { New-OpenAIImage 'a frog' @conn -ResponsesModel gpt-5.5 -Model dall-e-3 -WarningAction SilentlyContinue } }
        @{ Name = 'a DALL-E 2 image model for an edit'; Id = 'ModelNotSupportedByResponses'; Call = { Edit-OpenAIImage 'a hat' -Path $red @conn -ResponsesModel gpt-5.5 -Model dall-e-2 -WarningAction SilentlyContinue } }
        @{ Name = '-Count 2'; Id = 'ParameterNotSupportedByResponses'; Call = { New-OpenAIImage 'a frog' @conn -ResponsesModel gpt-5.5 -Count 2 } }
        @{ Name = '-Count 3 on an edit'; Id = 'ParameterNotSupportedByResponses'; Call = { Edit-OpenAIImage 'a hat' -Path $red @conn -ResponsesModel gpt-5.5 -Count 3 } }
        @{ Name = '-ResponseFormat'; Id = 'ParameterNotSupportedByResponses'; Call = { New-OpenAIImage 'a frog' @conn -ResponsesModel gpt-5.5 -ResponseFormat b64_json } }
        @{ Name = '-Style'; Id = 'ParameterNotSupportedByResponses'; Call = { New-OpenAIImage 'a frog' @conn -ResponsesModel gpt-5.5 -Style vivid } }
        @{ Name = 'an empty mainline model'; Id = 'ResponsesModelMissing'; Call = { New-OpenAIImage 'a frog' @conn -ResponsesModel '' } }
        @{ Name = 'a mainline model of spaces'; Id = 'ResponsesModelMissing'; Call = { New-OpenAIImage 'a frog' @conn -ResponsesModel '   ' } }
        @{ Name = 'an image model as the mainline model'; Id = 'ResponsesModelIsImageModel'; Call = { New-OpenAIImage 'a frog' @conn -ResponsesModel gpt-image-2 } }
        @{ Name = 'a continuation without a mainline model'; Id = 'ResponsesModelMissing'; Call = { Edit-OpenAIImage 'at night' -PreviousResponseId 'resp_123' @conn } }
        @{ Name = 'continuing a response made with store off'; Id = 'ResponseNotStored'; Call = { $notStored | Edit-OpenAIImage -Prompt 'at night' @conn } }
        @{ Name = 'a size gpt-image-2 does not make'; Id = 'SizeNotSupported'; Call = { New-OpenAIImage 'a frog' @conn -ResponsesModel gpt-5.5 -Size 4096x4096 } }
        @{ Name = 'a quality the image model does not have'; Id = 'ValueNotSupported'; Call = { New-OpenAIImage 'a frog' @conn -ResponsesModel gpt-5.5 -Quality ultra } }
        @{ Name = 'a transparent jpeg'; Id = 'TransparentBackgroundRequiresPngOrWebp'; Call = { New-OpenAIImage 'a frog' @conn -ResponsesModel gpt-5.5 -Background transparent -OutputFormat jpeg } }
        @{ Name = 'four partial images'; Id = 'PartialImagesOutOfRange'; Call = { New-OpenAIImage 'a frog' @conn -ResponsesModel gpt-5.5 -Stream -PartialImages 4 } }
        @{ Name = 'a damaged input image'; Id = 'ImageCorrupt'; Call = { Edit-OpenAIImage 'a hat' -LiteralPath $cut @conn -ResponsesModel gpt-5.5 } }
        @{ Name = 'an Azure deployment URL'; Id = 'ParameterNotSupportedByResponses'; Call = { New-OpenAIImage 'a frog' -Endpoint (Get-TestServerRoot -Server $server) -Deployment 'images' -ApiKey 'test-key' -ResponsesModel gpt-5.5 } }
        @{ Name = '17 input images'; Id = 'TooManyImages'; Call = { Edit-OpenAIImage 'a hat' -LiteralPath $seventeen -Combine @conn -ResponsesModel gpt-5.5 } }
    ) {
        try {
            $all = @(& $Call 2>&1)
        }
        catch {
            $all = @($_)
        }
        $failures = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] }) | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
        (Get-TestServerTraffic $server).requests | Should -Be 0
    }
}
