# The Batch API through -AsBatch, Get-, Receive- and Stop-OpenAIImageBatch, against the standalone FakeApi's strict
# /v1/files and /v1/batches. Its batches run validating, in_progress, finalizing and completed at a pace the tests set
# (POST /_fake/batch-options), with modes for failing lines, an expired window and slow downloads.

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

Describe 'Submitting and receiving a batch' {
    BeforeEach {
        Reset-TestServerBatchOption $server
        Set-TestServerBatchOption $server @{ stepMilliseconds = 100 }
        Reset-TestServerTraffic $server
        $out = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
    }

    It 'submits 1,000 prompts that the FakeApi validates, and receives 1,000 images in input order, saved' {
        $prompts = 1..1000 | ForEach-Object { "A small fox, study number $_" }
        $batch = $prompts | New-OpenAIImage @conn -AsBatch -OutputDirectory $out -Size 256x256 -Quality low
        $batch.Total | Should -Be 1000
        $batch.Id | Should -HaveCount 1
        Test-Path -LiteralPath $batch.JournalPath | Should -BeTrue
        $sent = @(Get-TestServerRequest $server)
        $sent.path | Should -Be @('/v1/files', '/v1/batches')
        $sent.status | Should -Be @(200, 200)
        $sent[0].fields.purpose | Should -Be 'batch'

        $images = Receive-OpenAIImageBatch -Journal $batch.JournalPath @conn @receive
        $images | Should -HaveCount 1000
        $images.Prompt | Should -Be $prompts
        (Get-OpenAIImageBatch -Journal $batch.JournalPath @conn).Status | Should -Be 'completed'
        (Get-OpenAIImageBatch -Journal $batch.JournalPath @conn).Completed | Should -Be 1000
        $saved = Get-Saved $out
        $saved | Should -HaveCount 1000
        @($images | Where-Object { -not (Test-Path -LiteralPath $_.Path) }) | Should -BeNullOrEmpty
        Test-PngSignature $images[999].Path | Should -BeTrue
    }

    It 'yields an error record for every failed line and an image for every good one, losing nothing' {
        Set-TestServerBatchOption $server @{ stepMilliseconds = 100; failEveryNth = 4 }
        $batch = 1..20 | ForEach-Object { "A heron $_" } | New-OpenAIImage @conn -AsBatch -OutputDirectory $out -Size 256x256 -Quality low
        $ErrorActionPreference = 'Continue'
        $all = @(Receive-OpenAIImageBatch -InputObject $batch @conn @receive 2>&1)
        $images = @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] })
        $errors = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $images | Should -HaveCount 15
        $errors | Should -HaveCount 5
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'OpenAIContentBlocked,*'
        [string] $errors[0] | Should -Match 'safety system'
        [string] $errors[0].TargetObject | Should -BeLike 'img-000004: A heron 4'
        # Input order: each error sits where its request was.
        $all[3] | Should -BeOfType [System.Management.Automation.ErrorRecord]
        (Get-Saved $out) | Should -HaveCount 15
    }

    It 'collects what an expired batch finished, and reports the rest as not processed' {
        Set-TestServerBatchOption $server @{ stepMilliseconds = 100; mode = 'Expire' }
        $batch = 1..10 | ForEach-Object { "A lantern $_" } | New-OpenAIImage @conn -AsBatch -OutputDirectory $out -Size 256x256 -Quality low
        $ErrorActionPreference = 'Continue'
        $all = @(Receive-OpenAIImageBatch -InputObject $batch @conn @receive 2>&1)
        @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] }) | Should -HaveCount 5
        $errors = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $errors | Should -HaveCount 5
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'BatchItemNotProcessed,*'
        [string] $errors[0] | Should -Match 'ended expired'
    }

    It 'reports every request of a batch that failed validation, with the server''s reason' {
        Set-TestServerBatchOption $server @{ stepMilliseconds = 100; mode = 'Fail' }
        $batch = 1..3 | ForEach-Object { "A pear $_" } | New-OpenAIImage @conn -AsBatch -OutputDirectory $out -Size 256x256 -Quality low
        $ErrorActionPreference = 'Continue'
        $all = @(Receive-OpenAIImageBatch -InputObject $batch @conn @receive 2>&1)
        $all | Should -HaveCount 3
        foreach ($record in $all) {
            $record.FullyQualifiedErrorId | Should -BeLike 'BatchItemNotProcessed,*'
            [string] $record | Should -Match 'failed validation: line 1: The input file was refused'
        }
        (Get-OpenAIImageBatch -InputObject $batch @conn).Status | Should -Be 'failed'
        @(Get-ChildItem -LiteralPath $out -Filter '*.png') | Should -BeNullOrEmpty
    }

    It 'splits the input above the limits of one batch and tracks every batch in one journal' {
        Set-TestServerBatchOption $server @{ stepMilliseconds = 100; maxRequests = 10; maxBytes = 2048 }
        $prompts = 1..25 | ForEach-Object { "A pebble $_" }
        $batch = $prompts | New-OpenAIImage @conn -AsBatch -OutputDirectory $out -Size 256x256 -Quality low -MaxRequestsPerBatch 10 -MaxBatchFileSize 2048
        $batch.Id.Count | Should -BeGreaterOrEqual 3
        $batch.Total | Should -Be 25
        (Get-TestServerRequest $server | Where-Object { $_.path -eq '/v1/batches' }).status | Should -Not -Contain 400
        $images = Receive-OpenAIImageBatch -Journal $batch.JournalPath @conn @receive
        $images.Prompt | Should -Be $prompts
    }

    It 'uploads each local image once for edits, and references it by file id' {
        $red = New-TestPng -Path (Join-Path $TestDrive 'edit-inputs/red.png') -Kind Red
        $blue = New-TestPng -Path (Join-Path $TestDrive 'edit-inputs/blue.png') -Kind Blue
        $rows = @(
            [pscustomobject]@{ Path = $red.FullName; Prompt = 'add a hat' }
            [pscustomobject]@{ Path = $blue.FullName; Prompt = 'add a scarf' }
            [pscustomobject]@{ Path = $red.FullName; Prompt = 'add boots' }
        )
        $batch = $rows | Edit-OpenAIImage @conn -AsBatch -OutputDirectory $out -Quality low
        $uploads = @(Get-TestServerRequest $server | Where-Object { $_.path -eq '/v1/files' -and $_.fields.purpose -eq 'user_data' })
        $uploads | Should -HaveCount 2
        $images = Receive-OpenAIImageBatch -InputObject $batch @conn @receive
        $images | Should -HaveCount 3
        $images.Operation | Should -Be @('Edit', 'Edit', 'Edit')
        $images.Prompt | Should -Be @('add a hat', 'add a scarf', 'add boots')
    }

    It 'resumes a receive that was killed mid-download: the full set, none duplicated, none corrupt' {
        $prompts = 1..40 | ForEach-Object { "A tide pool $_" }
        $batch = $prompts | New-OpenAIImage @conn -AsBatch -OutputDirectory $out -Size 512x512 -Quality low
        $null = Get-OpenAIImageBatch -InputObject $batch @conn
        Start-Sleep -Milliseconds 800
        Set-TestServerBatchOption $server @{ stepMilliseconds = 100; contentChunkDelayMilliseconds = 150 }
        $script = "Import-Module '$((Get-TestManifestPath) -replace "'", "''")'; Receive-OpenAIImageBatch -Journal '$($batch.JournalPath)' -ApiKey test-key -BaseUri '$($server.BaseUri)' -Wait -PollIntervalSec 1 | Out-Null"
        $child = Start-Process -FilePath (Get-TestPwsh) -ArgumentList @('-NoProfile', '-NonInteractive', '-Command', $script) -PassThru
        try {
            $clock = [Diagnostics.Stopwatch]::StartNew()
            while ((Get-Saved $out).Count -lt 3 -and $clock.Elapsed.TotalSeconds -lt 60 -and -not $child.HasExited) { Start-Sleep -Milliseconds 100 }
            $child.HasExited | Should -BeFalse -Because 'the download is slow enough to be stopped half way'
        }
        finally {
            Stop-Process -Id $child.Id -Force -ErrorAction SilentlyContinue
            $child.WaitForExit()
        }
        $partly = (Get-Saved $out).Count
        $partly | Should -BeGreaterThan 0
        $partly | Should -BeLessThan 40

        Set-TestServerBatchOption $server @{ stepMilliseconds = 100 }
        $images = Receive-OpenAIImageBatch -Journal $batch.JournalPath @conn @receive
        $images | Should -HaveCount 40
        $saved = Get-Saved $out
        $saved | Should -HaveCount 40
        ($saved.Name | Sort-Object -Unique) | Should -HaveCount 40
        foreach ($file in $saved) { (Read-TestPng -Path $file.FullName).Width | Should -Be 512 }
    }

    It 'writes a contact sheet that links every image and shows every prompt, escaped' {
        $prompts = @('A <b>bold</b> fox', 'Fish & chips "to go"', 'A plain lake')
        $batch = $prompts | New-OpenAIImage @conn -AsBatch -OutputDirectory $out -Size 256x256 -Quality low
        $images = Receive-OpenAIImageBatch -InputObject $batch @conn @receive -ContactSheet
        $html = Get-Content -Raw -LiteralPath (Join-Path $out 'index.html')
        foreach ($image in $images) { $html | Should -Match ([regex]::Escape('src="' + [Uri]::EscapeDataString((Split-Path -Leaf $image.Path)) + '"')) }
        $html | Should -Match ([regex]::Escape('A &lt;b&gt;bold&lt;/b&gt; fox'))
        $html | Should -Match ([regex]::Escape('Fish &amp; chips &quot;to go&quot;'))
        $html | Should -Not -Match '<b>bold</b>'
    }

    It 'leaves no journal when the server refuses the upload, since no batch was created' {
        Add-TestServerFault $server @{ kind = 'Status'; statusCode = 400; operation = 'Files'; message = 'The file could not be read.' }
        $thrown = $null
        $batch = $null
        try {
            $batch = 1..3 | ForEach-Object { "A refused heron $_" } | New-OpenAIImage @conn -AsBatch -OutputDirectory $out -Quality low
        }
        catch {
            $thrown = $_
        }
        finally {
            Clear-TestServerFault $server
        }
        [string] $thrown | Should -BeLike '*The file could not be read.*'
        $batch | Should -BeNullOrEmpty
        @(Get-TestServerRequest $server).path | Should -Be @('/v1/files')
        @(Get-ChildItem -LiteralPath $out -File -Force -ErrorAction SilentlyContinue) | Should -BeNullOrEmpty
    }

    It 'shows the number of requests, batches and the token estimate with -WhatIf, and sends nothing' {
        $script = "Import-Module '$((Get-TestManifestPath) -replace "'", "''")'; 1..30 | ForEach-Object { 'A cloud ' + `$_ } | New-OpenAIImage -ApiKey test-key -BaseUri '$($server.BaseUri)' -AsBatch -OutputDirectory '$out' -Quality low -MaxRequestsPerBatch 20 -WhatIf"
        $text = (& (Get-TestPwsh) -NoProfile -NonInteractive -Command $script 2>&1) -join "`n"
        $text | Should -Match '30 requests in 2 batches to /v1/images/generations \(about 8,160 output tokens'
        (Get-TestServerTraffic $server).requests | Should -Be 0
        @(Get-ChildItem -LiteralPath $out -Force -ErrorAction SilentlyContinue) | Should -BeNullOrEmpty
    }
}

Describe 'What a batch cannot carry is refused before anything is sent' {
    BeforeEach { Reset-TestServerTraffic $server }

    It '<Name>: <Id>' -ForEach @(
        @{ Name = '-AsBatch without -OutputDirectory'; Id = 'BatchNeedsOutputDirectory'; Call = { 'a frog' | New-OpenAIImage @conn -AsBatch } }
        @{ Name = '-AsBatch with -Stream'; Id = 'ParameterNotSupportedByBatch'; Call = { 'a frog' | New-OpenAIImage @conn -AsBatch -Stream -OutputDirectory $TestDrive } }
        @{ Name = '-AsBatch with -OutFile'; Id = 'ParameterNotSupportedByBatch'; Call = { 'a frog' | New-OpenAIImage @conn -AsBatch -OutFile (Join-Path $TestDrive 'x.png') } }
        @{ Name = '-AsBatch with -ResponsesModel'; Id = 'ParameterNotSupportedByBatch'; Call = { 'a frog' | New-OpenAIImage @conn -AsBatch -ResponsesModel gpt-5.5 -OutputDirectory $TestDrive } }
        @{ Name = 'a journal that does not exist'; Id = 'BatchJournalInvalid'; Call = { Receive-OpenAIImageBatch -Journal (Join-Path $TestDrive 'none.batch.json') @conn } }
    ) {
        try {
            $all = @(& $Call 2>&1)
        }
        catch {
            $all = @($_)
        }
        @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
        (Get-TestServerTraffic $server).requests | Should -Be 0
    }

    It 'checks every row as a direct request would, and leaves a bad one out of the batch' {
        $out = Join-Path $TestDrive 'bad-row'
        $ErrorActionPreference = 'Continue'
        $all = @('a frog', '   ', 'a toad' | New-OpenAIImage @conn -AsBatch -OutputDirectory $out -Quality low 2>&1)
        $failures = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'PromptEmpty,*'
        $batch = @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] })
        $batch[0].Total | Should -Be 2
    }
}
