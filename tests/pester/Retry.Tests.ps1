# Retries against the real module, through the standalone FakeApi steered from outside (/_fake/faults): rate
# limits with a short and a long Retry-After, server errors and a reset connection. The server counts every request
# that arrives, so each case shows how many attempts were made.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $savedEnvironment = Clear-OpenAIEnvironment
    Import-ModuleUnderTest | Out-Null
    $server = Start-TestServer
    $conn = @{ ApiKey = 'test-key'; BaseUri = $server.BaseUri }
}

AfterAll {
    Stop-TestServer $server
    Restore-OpenAIEnvironment $savedEnvironment
}

Describe 'Retries through the standalone server' {
    BeforeEach {
        Clear-TestServerFault $server
        Reset-TestServerTraffic $server
    }

    It 'waits the short Retry-After of a 429, says so in a warning, and succeeds on the second attempt' {
        Add-TestServerFault $server @{ kind = 'Status'; statusCode = 429; retryAfterSeconds = 1; maxTimes = 1 }
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $result = New-OpenAIImage 'a patient fox' @conn -Quality low -WarningVariable warnings -WarningAction SilentlyContinue
        $clock.Stop()
        $result | Should -HaveCount 1
        (Get-TestServerTraffic $server).requests | Should -Be 2
        (Get-TestServerFault $server)[0].fired | Should -Be 1
        [string] $warnings[0] | Should -Match '^Attempt 1 of 4 failed: .* Retrying in 1[.,]0 s\.$'
        $clock.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 0.9 -Because 'the server asked for a second'
    }

    It 'does not wait a Retry-After longer than it will, fails at once with OpenAIRateLimited, and says how long and how to wait' {
        Add-TestServerFault $server @{ kind = 'Status'; statusCode = 429; retryAfterSeconds = 3600 }
        $thrown = $null
        New-OpenAIImage 'an impatient fox' @conn -Quality low -ErrorVariable thrown -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $thrown[0].FullyQualifiedErrorId | Should -BeLike 'OpenAIRateLimited,*'
        [string] $thrown[0] | Should -Match 'asked to wait 60 min'
        [string] $thrown[0] | Should -Match '-MaxRetryWaitSec 3600'
        $thrown[0].ErrorDetails.RecommendedAction | Should -Match '-MaxRetryWaitSec 3600'
        (Get-TestServerTraffic $server).requests | Should -Be 1
    }

    It 'waits a longer Retry-After that -MaxRetryWaitSec allows, counting it down in a progress record' {
        Add-TestServerFault $server @{ kind = 'Status'; statusCode = 429; retryAfterSeconds = 3; maxTimes = 1 }
        $run = Invoke-InNewRunspace -Arguments @{ Conn = $conn } -ScriptBlock {
            param($Conn)
            New-OpenAIImage 'a waiting fox' @Conn -Quality low -MaxRetryWaitSec 5 -WarningAction SilentlyContinue
        }
        $run.Output | Should -HaveCount 1
        (Get-TestServerTraffic $server).requests | Should -Be 2
        $countdown = @($run.Progress | Where-Object { $_.StatusDescription -match '^Waiting \d+ s before retrying' })
        $countdown.Count | Should -BeGreaterThan 1
        $countdown[0].SecondsRemaining | Should -BeGreaterThan $countdown[-1].SecondsRemaining
        $countdown[0].SecondsRemaining | Should -BeLessOrEqual 3
    }

    It 'retries a 500 and succeeds' {
        Add-TestServerFault $server @{ kind = 'Status'; statusCode = 500; maxTimes = 1 }
        New-OpenAIImage 'a server fox' @conn -Quality low -WarningAction SilentlyContinue | Should -HaveCount 1
        (Get-TestServerTraffic $server).requests | Should -Be 2
    }

    It 'retries a connection reset mid-answer and succeeds' {
        Add-TestServerFault $server @{ kind = 'ConnectionReset'; maxTimes = 1 }
        New-OpenAIImage 'a reset fox' @conn -Quality low -WarningAction SilentlyContinue | Should -HaveCount 1
        (Get-TestServerTraffic $server).requests | Should -Be 2
        (Get-TestServerFault $server)[0].fired | Should -Be 1
    }

    It 'sends once with -MaxRetries 0, and reports the 500 as OpenAIServerError' {
        Add-TestServerFault $server @{ kind = 'Status'; statusCode = 500; maxTimes = 1 }
        $failures = $null
        New-OpenAIImage 'a single fox' @conn -Quality low -MaxRetries 0 -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'OpenAIServerError,*'
        (Get-TestServerTraffic $server).requests | Should -Be 1
    }

    It 'refuses a fault rule it would not understand, so no test sets a fault that never fires' {
        $refused = { Add-TestServerFault $server @{ kind = 'Status'; statusCod = 429 } } | Should -Throw -PassThru
        $refused.Exception.Response.StatusCode | Should -Be 'BadRequest'
        $refused.ErrorDetails.Message | Should -Match "no member 'statusCod'"
        { Add-TestServerFault $server @{ kind = 'Sometimes' } } | Should -Throw
        @(Get-TestServerFault $server) | Should -HaveCount 0
    }
}

Describe 'Errors name the party at fault' {
    BeforeEach {
        Clear-TestServerFault $server
        Reset-TestServerTraffic $server
    }

    It 'reports an answer whose image is not an image as OpenAIResponseInvalid, with the status and request id, and saves nothing' {
        Add-TestServerFault $server @{ kind = 'CorruptImage'; bytesBeforeAbort = 0; maxTimes = 1 }
        $out = Join-Path $TestDrive 'not-an-image'
        New-OpenAIImage 'a broken fox' @conn -Quality low -OutputDirectory $out -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'OpenAIResponseInvalid,*'
        [string] $failures[0] | Should -Match 'not an image'
        [string] $failures[0] | Should -Match 'Request id: req_'
        @(Get-ChildItem -LiteralPath $out -Force -ErrorAction SilentlyContinue) | Should -HaveCount 0
        (Get-TestServerTraffic $server).requests | Should -Be 1
    }

    It 'reports an image cut short in a complete answer as OpenAIResponseInvalid' {
        Add-TestServerFault $server @{ kind = 'CorruptImage'; bytesBeforeAbort = 200; maxTimes = 1 }
        New-OpenAIImage 'a cut fox' @conn -Quality low -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'OpenAIResponseInvalid,*'
        [string] $failures[0] | Should -Match 'cut short'
    }

    It 'keeps the status code and the request id of an answer that is not JSON' {
        Add-TestServerFault $server @{ kind = 'MalformedJson'; maxTimes = 1 }
        New-OpenAIImage 'a garbled fox' @conn -Quality low -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'OpenAIResponseInvalid,*'
        [string] $failures[0] | Should -Match 'HTTP 200'
        [string] $failures[0] | Should -Match 'Request id: req_[0-9a-f]+'
    }

    It 'says "Azure OpenAI returned" and gives Azure advice when Azure refuses the key' {
        $root = Get-TestServerRoot -Server $server
        $thrown = { New-OpenAIImage 'an azure fox' -Endpoint $root -Deployment 'images' -ApiKey 'wrong-key' -Quality low } | Should -Throw -PassThru
        $thrown.FullyQualifiedErrorId | Should -BeLike 'OpenAIAuthenticationFailed,*'
        [string] $thrown | Should -Match '^Azure OpenAI returned 401'
        [string] $thrown | Should -Match 'AZURE_OPENAI_API_KEY'
        [string] $thrown | Should -Match '-AccessToken'
        $thrown.ErrorDetails.RecommendedAction | Should -Match 'Entra ID'
    }

    It 'names a compatible server as itself, not as OpenAI, when it refuses the key' {
        $thrown = { New-OpenAIImage 'a fox' -ApiKey 'wrong-key' -BaseUri $server.BaseUri -Quality low } | Should -Throw -PassThru
        [string] $thrown | Should -Match '^The server at http://127\.0\.0\.1:\d+ returned 401'
    }

    It 'hints at the missing /v1 when a base URI without it gets a 404' {
        $root = Get-TestServerRoot -Server $server
        New-OpenAIImage 'a lost fox' -ApiKey 'test-key' -BaseUri $root -Quality low -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'OpenAINotFound,*'
        [string] $failures[0] | Should -Match 'no /v1 segment'
        [string] $failures[0] | Should -Match ([regex]::Escape("-BaseUri $($root)v1"))
    }

    It 'names the proxy when the proxy refuses the connection, and nothing reaches the server' {
        $closed = Get-ClosedLoopbackUri
        $proxy = $closed.GetLeftPart([UriPartial]::Authority)
        New-OpenAIImage 'a proxied fox' @conn -Quality low -Proxy $proxy -MaxRetries 0 -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'OpenAIConnectionFailed,*'
        [string] $failures[0] | Should -Match ("^The proxy " + [regex]::Escape($proxy) + " could not be reached")
        (Get-TestServerTraffic $server).requests | Should -Be 0
    }

    It 'says that an https address met a plain-http server, instead of a TLS frame error' {
        $https = [Uri] ($server.BaseUri.AbsoluteUri -replace '^http:', 'https:')
        New-OpenAIImage 'a secure fox' -ApiKey 'test-key' -BaseUri $https -Quality low -MaxRetries 0 -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'OpenAIConnectionFailed,*'
        [string] $failures[0] | Should -Match 'did not complete a TLS \(https\) handshake'
        [string] $failures[0] | Should -Match 'http://'
    }

    It 'warns, and still sends, below the 655,360 pixels reported as gpt-image-2''s floor' {
        $result = New-OpenAIImage 'a small fox' @conn -Quality low -Size 768x768 -WarningVariable warnings -WarningAction SilentlyContinue
        $result | Should -HaveCount 1
        ($warnings -join "`n") | Should -Match '655,360 pixels'
        $none = New-OpenAIImage 'a big fox' @conn -Quality low -Size 1024x1024 -WarningVariable quiet -WarningAction SilentlyContinue
        @($quiet) | Should -HaveCount 0
    }
}

Describe '-WhatIf tells the cost of every kind of request' {
    BeforeAll {
        $picture = New-TestPng -Path (Join-Path $TestDrive 'whatif/red.png') -Kind Red
        # -WhatIf writes to the host, so it is read from a child pwsh's output.
        function Invoke-WhatIf([string] $Command) {
            $script = "Import-Module '$((Get-TestManifestPath) -replace "'", "''")'; `$conn = @{ ApiKey = 'test-key'; BaseUri = '$($server.BaseUri)' }; $Command"
            (& (Get-TestPwsh) -NoProfile -NonInteractive -Command $script 2>&1) -join "`n"
        }
    }

    BeforeEach { Reset-TestServerTraffic $server }

    It 'estimates input image tokens for an edit, beside the output tokens' {
        $text = Invoke-WhatIf "Edit-OpenAIImage 'a hat' -LiteralPath '$($picture.FullName)' @conn -Quality low -WhatIf"
        $text | Should -Match 'about 272 output tokens, about 194 input image tokens'
        (Get-TestServerTraffic $server).requests | Should -Be 0
    }

    It 'says a dall-e-2 variation is priced per image' {
        $text = Invoke-WhatIf "New-OpenAIImageVariation -LiteralPath '$($picture.FullName)' @conn -WhatIf -WarningAction SilentlyContinue"
        $text | Should -Match 'dall-e-2 variation of .* x1 \(priced per image, not by tokens\)'
        (Get-TestServerTraffic $server).requests | Should -Be 0
    }
}
