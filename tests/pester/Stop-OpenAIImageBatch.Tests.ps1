# Stop-OpenAIImageBatch against the standalone FakeApi's /v1/batches: cancelling, with ShouldProcess, and what a
# cancelled batch finished before can still be received.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $savedEnvironment = Clear-OpenAIEnvironment
    Import-ModuleUnderTest | Out-Null
    Import-TestPngType
    $server = Start-TestServer
    $conn = @{ ApiKey = 'test-key'; BaseUri = $server.BaseUri }
    $receive = @{ Wait = $true; PollIntervalSec = 1 }

    function Get-Saved([string] $Folder) {
        @(Get-ChildItem -LiteralPath $Folder -File -Filter '*.png' | Sort-Object Name)
    }
}

AfterAll {
    Reset-TestServerBatchOption $server
    Stop-TestServer $server
    Restore-OpenAIEnvironment $savedEnvironment
}

Describe 'Stop-OpenAIImageBatch' {
    BeforeEach {
        Reset-TestServerBatchOption $server
        Reset-TestServerTraffic $server
        $out = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
    }

    It 'cancels with Stop-OpenAIImageBatch, and what was done before can still be received' {
        Set-TestServerBatchOption $server @{ stepMilliseconds = 1500 }
        $batch = 1..6 | ForEach-Object { "A comet $_" } | New-OpenAIImage @conn -AsBatch -OutputDirectory $out -Size 256x256 -Quality low
        $stopped = $batch | Stop-OpenAIImageBatch @conn -Confirm:$false
        $stopped.Status | Should -BeIn @('cancelling', 'cancelled')
        $ErrorActionPreference = 'Continue'
        $all = @(Receive-OpenAIImageBatch -InputObject $batch @conn @receive 2>&1)
        $all | Should -HaveCount 6
        (Get-OpenAIImageBatch -InputObject $batch @conn).Status | Should -Be 'cancelled'
    }

    It 'cancels nothing with -WhatIf' {
        Set-TestServerBatchOption $server @{ stepMilliseconds = 1500 }
        $batch = 'A comet' | New-OpenAIImage @conn -AsBatch -OutputDirectory $out -Size 256x256 -Quality low
        Reset-TestServerTraffic $server
        Stop-OpenAIImageBatch -Id $batch.Id @conn -WhatIf | Should -BeNullOrEmpty
        (Get-TestServerTraffic $server).requests | Should -Be 0
        (Get-OpenAIImageBatch -Id $batch.Id @conn).Status | Should -Not -BeIn @('cancelling', 'cancelled')
    }

    It 'cancels the batches a journal names' {
        Set-TestServerBatchOption $server @{ stepMilliseconds = 1500 }
        $batch = 'A comet' | New-OpenAIImage @conn -AsBatch -OutputDirectory $out -Size 256x256 -Quality low
        (Stop-OpenAIImageBatch -Journal $batch.JournalPath @conn -Confirm:$false).Status | Should -BeIn @('cancelling', 'cancelled')
    }

    It 'reports a batch that has ended as OpenAIConflict at once, without retrying the refusal' {
        Set-TestServerBatchOption $server @{ stepMilliseconds = 50 }
        $batch = 'A comet' | New-OpenAIImage @conn -AsBatch -OutputDirectory $out -Size 256x256 -Quality low
        $null = Receive-OpenAIImageBatch -InputObject $batch @conn -Wait -PollIntervalSec 1
        Reset-TestServerTraffic $server
        Stop-OpenAIImageBatch -InputObject $batch @conn -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'OpenAIConflict,*'
        @(Get-TestServerRequest $server | Where-Object path -like '*/cancel') | Should -HaveCount 1
        $warnings | Should -BeNullOrEmpty
    }
}
