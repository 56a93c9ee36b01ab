# Get-OpenAIImageBatch against the standalone FakeApi's /v1/batches: by id, object, journal and file, and the list of
# recent batches.

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

Describe 'Get-OpenAIImageBatch' {
    BeforeAll {
        Reset-TestServerBatchOption $server
        Set-TestServerBatchOption $server @{ stepMilliseconds = 100 }
        $out = Join-Path $TestDrive 'shots'
        $batch = 'A kite', 'A boat' | New-OpenAIImage @conn -AsBatch -OutputDirectory $out -Size 256x256 -Quality low
    }

    It 'finds a batch by its id, its object and its journal, with the same counts' {
        $byId = Get-OpenAIImageBatch -Id $batch.Id @conn
        $byObject = $batch | Get-OpenAIImageBatch @conn
        $byJournal = Get-OpenAIImageBatch -Journal $batch.JournalPath @conn
        foreach ($found in $byId, $byObject, $byJournal) {
            $found.Id | Should -Be $batch.Id
            $found.Total | Should -Be 2
        }
        $byJournal.JournalPath | Should -Be $batch.JournalPath
    }

    It 'takes journal files from Get-ChildItem' {
        $found = @(Get-ChildItem -LiteralPath $out -Filter '*.batch.json' | Get-OpenAIImageBatch @conn)
        $found | Should -HaveCount 1
        $found[0].Id | Should -Be $batch.Id
    }

    It 'shows the lifecycle run to completed' {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        do { $status = (Get-OpenAIImageBatch -Id $batch.Id @conn).Status; Start-Sleep -Milliseconds 100 } until ($status -eq 'completed' -or $clock.Elapsed.TotalSeconds -gt 30)
        $status | Should -Be 'completed'
        (Get-OpenAIImageBatch -Id $batch.Id @conn).Completed | Should -Be 2
    }

    It 'lists the most recent batches, newest first' {
        $newer = 'A flag' | New-OpenAIImage @conn -AsBatch -OutputDirectory $out -Size 256x256 -Quality low
        $list = @(Get-OpenAIImageBatch -First 2 @conn)
        $list | Should -HaveCount 2
        $list.Id | Should -Contain $newer.Id[0]
    }

    It 'reports an unknown id as OpenAINotFound' {
        Get-OpenAIImageBatch -Id 'batch_nope' @conn -ErrorVariable failures -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'OpenAINotFound,*'
    }
}
