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

    It 'does not wait a Retry-After longer than it will, and fails at once with OpenAIRateLimited' {
        Add-TestServerFault $server @{ kind = 'Status'; statusCode = 429; retryAfterSeconds = 3600 }
        $thrown = $null
        New-OpenAIImage 'an impatient fox' @conn -Quality low -ErrorVariable thrown -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $thrown[0].FullyQualifiedErrorId | Should -BeLike 'OpenAIRateLimited,*'
        (Get-TestServerTraffic $server).requests | Should -Be 1
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
