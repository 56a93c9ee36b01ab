# Ctrl+C against the real module: each command runs in a runspace of its own while the FakeApi holds its request
# (a slow answer, a stalled stream, a long Retry-After, a slow download), and is stopped the way the console's Ctrl+C
# stops a pipeline (PowerShell.Stop: StopProcessing on the running cmdlet, PipelineStoppedException in a script).
# Each case checks that the stop returns while the server still holds the request, that the server sees the request
# closed, and that nothing half-written is left behind.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $savedEnvironment = Clear-OpenAIEnvironment
    Import-ModuleUnderTest | Out-Null
    Import-TestPngType
    $server = Start-TestServer
    $conn = @{ ApiKey = 'test-key'; BaseUri = $server.BaseUri }
    # Far longer than any stop may take: a command that does not stop fails its case instead of passing late.
    $held = 60000
    $stopWithinSeconds = 10

    function Wait-Until([scriptblock] $Condition, [int] $Seconds = 30) {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        while (-not (& $Condition)) {
            if ($clock.Elapsed.TotalSeconds -gt $Seconds) { return $false }
            Start-Sleep -Milliseconds 50
        }
        $true
    }

    function Invoke-ThenStop {
        # Runs $Script (its parameters from $Arguments) in a new runspace with the module imported, waits until $Ready
        # (given the PowerShell instance, for its streams) holds, stops it, and reports whether the stop came back
        # within $stopWithinSeconds.
        param([string] $Script, [hashtable] $Arguments = @{}, [scriptblock] $Ready)
        $ps = [powershell]::Create()
        $ps.AddCommand('Import-Module').AddParameter('Name', (Get-TestManifestPath)).Invoke() | Out-Null
        $ps.Commands.Clear()
        $null = $ps.AddScript($Script)
        foreach ($name in $Arguments.Keys) { $null = $ps.AddParameter($name, $Arguments[$name]) }
        $running = $ps.BeginInvoke()
        $reached = Wait-Until { $running.IsCompleted -or (& $Ready $ps) }
        if ($running.IsCompleted) { throw "The command ended before it could be stopped: $($ps.Streams.Error | Out-String)" }
        if (-not $reached) { throw 'The command never reached the point where it waits for the server.' }
        $stopping = $ps.BeginStop($null, $null)
        $stopped = $stopping.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds($stopWithinSeconds))
        [pscustomobject]@{
            Stopped = $stopped
            State   = $ps.InvocationStateInfo.State
            # A runspace still running its command would hold Dispose until the server lets go; only a failing case gets here.
            Shell   = $ps
        }
    }

    function Get-LeftFile([string] $Folder) {
        @(Get-ChildItem -LiteralPath $Folder -Recurse -Force -File -ErrorAction SilentlyContinue)
    }
}

AfterAll {
    Clear-TestServerFault $server
    Reset-TestServerBatchOption $server
    Stop-TestServer $server
    Restore-OpenAIEnvironment $savedEnvironment
}

Describe 'Stopping a command while the server holds its request' {
    BeforeEach {
        Clear-TestServerFault $server
        Reset-TestServerTraffic $server
        $out = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $run = $null
    }

    AfterEach {
        if ($run) { $run.Shell.Dispose() }
    }

    It 'stops New-OpenAIImage waiting for its answer, closes the request and saves nothing' {
        Add-TestServerFault $server @{ kind = 'SlowResponse'; operation = 'Generations'; delayMilliseconds = $held }
        $run = Invoke-ThenStop -Script 'param($Conn, $Out) New-OpenAIImage ''A fox that waits'' @Conn -Quality low -OutputDirectory $Out' `
            -Arguments @{ Conn = $conn; Out = $out } -Ready { (Get-TestServerTraffic $server).inFlight -ge 1 }
        $run.Stopped | Should -BeTrue -Because 'Ctrl+C stops the request at once, not when the server answers'
        $run.State | Should -Be 'Stopped'
        Wait-Until { (Get-TestServerTraffic $server).inFlight -eq 0 } | Should -BeTrue -Because 'the connection was closed, not left to finish'
        (Get-TestServerTraffic $server).requests | Should -Be 1
        Get-LeftFile $out | Should -BeNullOrEmpty
    }

    It 'stops a streamed generation that has gone silent' {
        Add-TestServerFault $server @{ kind = 'StreamStall'; operation = 'Generations'; afterEvents = 1 }
        $run = Invoke-ThenStop -Script 'param($Conn, $Out) New-OpenAIImage ''A stream that stalls'' @Conn -Quality low -Stream -PartialImages 2 -OutputDirectory $Out' `
            -Arguments @{ Conn = $conn; Out = $out } -Ready { (Get-TestServerTraffic $server).inFlight -ge 1 }
        $run.Stopped | Should -BeTrue
        $run.State | Should -Be 'Stopped'
        Wait-Until { (Get-TestServerTraffic $server).inFlight -eq 0 } | Should -BeTrue
        @(Get-LeftFile $out | Where-Object Name -notlike '*-partial-*') | Should -BeNullOrEmpty -Because 'no final image came'
    }

    It 'stops the wait for a Retry-After, and sends no second attempt' {
        Add-TestServerFault $server @{ kind = 'Status'; statusCode = 429; retryAfterSeconds = 50; maxTimes = 1 }
        $run = Invoke-ThenStop -Script 'param($Conn, $Out) New-OpenAIImage ''A fox told to wait'' @Conn -Quality low -MaxRetryWaitSec 60 -OutputDirectory $Out -WarningAction SilentlyContinue' `
            -Arguments @{ Conn = $conn; Out = $out } -Ready { $traffic = Get-TestServerTraffic $server; $traffic.requests -ge 1 -and $traffic.inFlight -eq 0 }
        $run.Stopped | Should -BeTrue -Because 'the 50 s wait is cut short'
        $run.State | Should -Be 'Stopped'
        (Get-TestServerTraffic $server).requests | Should -Be 1
        Get-LeftFile $out | Should -BeNullOrEmpty
    }

    It 'stops a Responses API call waiting for its answer' {
        Add-TestServerFault $server @{ kind = 'SlowResponse'; operation = 'Responses'; delayMilliseconds = $held }
        $run = Invoke-ThenStop -Script 'param($Conn, $Out) New-OpenAIImage ''A fox in a conversation'' @Conn -ResponsesModel gpt-5.5 -Quality low -OutputDirectory $Out' `
            -Arguments @{ Conn = $conn; Out = $out } -Ready { (Get-TestServerTraffic $server).inFlight -ge 1 }
        $run.Stopped | Should -BeTrue
        $run.State | Should -Be 'Stopped'
        Wait-Until { (Get-TestServerTraffic $server).inFlight -eq 0 } | Should -BeTrue
        Get-LeftFile $out | Should -BeNullOrEmpty
    }

    It 'stops Edit-OpenAIImage waiting for its answer, and leaves its input as it was' {
        New-Item -ItemType Directory -Path $out | Out-Null
        $source = Join-Path $out 'source.png'
        New-TestSolidPng -Path $source -Width 64 -Height 64
        $before = Get-FileHashText -Path $source
        Add-TestServerFault $server @{ kind = 'SlowResponse'; operation = 'Edits'; delayMilliseconds = $held }
        $run = Invoke-ThenStop -Script 'param($Conn, $Source) Edit-OpenAIImage ''Add a hat'' -Path $Source @Conn -Quality low -OutFile (Join-Path (Split-Path $Source) ''edited.png'')' `
            -Arguments @{ Conn = $conn; Source = $source } -Ready { (Get-TestServerTraffic $server).inFlight -ge 1 }
        $run.Stopped | Should -BeTrue
        $run.State | Should -Be 'Stopped'
        Wait-Until { (Get-TestServerTraffic $server).inFlight -eq 0 } | Should -BeTrue
        (Get-LeftFile $out).Name | Should -Be @('source.png')
        Get-FileHashText -Path $source | Should -Be $before
    }

    It 'stops Save() of an image the server gave by URL while it downloads, and writes no file' {
        $image = New-OpenAIImage 'A fox by URL' @conn -Model dall-e-2 -Size 256x256 -WarningAction SilentlyContinue
        $image.Url | Should -Not -BeNullOrEmpty
        $image.Bytes | Should -BeNullOrEmpty
        New-Item -ItemType Directory -Path $out | Out-Null
        Add-TestServerFault $server @{ kind = 'SlowResponse'; operation = 'FileDownload'; delayMilliseconds = $held }
        $target = Join-Path $out 'by-url.png'
        $run = Invoke-ThenStop -Script 'param($Image, $Target) $Image.Save($Target)' -Arguments @{ Image = $image; Target = $target } `
            -Ready { param($shell) (Get-TestServerTraffic $server).downloadsInFlight -ge 1 -and $shell.Streams.Progress.Count -gt 0 }
        $run.Stopped | Should -BeTrue -Because 'Save() downloads, and Ctrl+C stops a download as it stops a request'
        $run.State | Should -Be 'Stopped'
        $run.Shell.Streams.Progress[0].Activity | Should -Be 'Saving an image'
        $run.Shell.Streams.Progress[0].StatusDescription | Should -BeLike 'Downloading from 127.0.0.1 (* s)' -Because 'a download of more than a second shows that it is alive'
        Wait-Until { (Get-TestServerTraffic $server).downloadsInFlight -eq 0 } | Should -BeTrue
        Get-LeftFile $out | Should -BeNullOrEmpty
        $image.Path | Should -BeNullOrEmpty

        Clear-TestServerFault $server
        $image.Save($target) | Should -Be $target -Because 'a stopped Save can be run again'
        Test-PngSignature -Path $target | Should -BeTrue
    }
}

Describe 'Stopping the Batch API cmdlets' {
    BeforeEach {
        Clear-TestServerFault $server
        Reset-TestServerBatchOption $server
        Reset-TestServerTraffic $server
        $run = $null
    }

    AfterEach {
        if ($run) { $run.Shell.Dispose() }
    }

    It 'stops -AsBatch while its input file uploads: no batch is created and nothing is left in the folder' {
        $out = Join-Path $TestDrive 'upload'
        Add-TestServerFault $server @{ kind = 'SlowResponse'; operation = 'Files'; delayMilliseconds = $held }
        $run = Invoke-ThenStop -Script 'param($Conn, $Out) 1..5 | ForEach-Object { "A slow upload $_" } | New-OpenAIImage @Conn -AsBatch -OutputDirectory $Out -Quality low' `
            -Arguments @{ Conn = $conn; Out = $out } -Ready { (Get-TestServerTraffic $server).inFlight -ge 1 }
        $run.Stopped | Should -BeTrue
        $run.State | Should -Be 'Stopped'
        Wait-Until { (Get-TestServerTraffic $server).inFlight -eq 0 } | Should -BeTrue
        @(Get-TestServerRequest $server | Where-Object path -like '*/batches*') | Should -BeNullOrEmpty
        Get-LeftFile $out | Should -BeNullOrEmpty
    }

    It 'stops -AsBatch between two parts: the journal keeps the batch created, and Receive reports every request not sent' {
        $out = Join-Path $TestDrive 'between-parts'
        Set-TestServerBatchOption $server @{ stepMilliseconds = 100 }
        Add-TestServerFault $server @{ kind = 'SlowResponse'; operation = 'Files'; onRequests = @(2); delayMilliseconds = $held }
        $run = Invoke-ThenStop -Script 'param($Conn, $Out) 1..6 | ForEach-Object { "A two-part fox $_" } | New-OpenAIImage @Conn -AsBatch -MaxRequestsPerBatch 3 -OutputDirectory $Out -Size 256x256 -Quality low' `
            -Arguments @{ Conn = $conn; Out = $out } -Ready { (Get-TestServerTraffic $server).inFlight -ge 1 -and @(Get-TestServerRequest $server | Where-Object path -eq '/v1/batches').Count -eq 1 }
        $run.Stopped | Should -BeTrue
        $run.State | Should -Be 'Stopped'
        Clear-TestServerFault $server
        $journal = @(Get-ChildItem -LiteralPath $out -Filter '*.batch.json')
        $journal | Should -HaveCount 1
        $ErrorActionPreference = 'Continue'
        $all = @(Receive-OpenAIImageBatch -Journal $journal[0].FullName @conn -Wait -PollIntervalSec 1 2>&1)
        $images = @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] })
        $errors = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $images.Prompt | Should -Be @('A two-part fox 1', 'A two-part fox 2', 'A two-part fox 3')
        $errors | Should -HaveCount 3
        $errors | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'BatchItemNotProcessed,*' }
        [string] $errors[0] | Should -BeLike '*never submitted*'
        $errors.TargetObject | Should -BeLike '*A two-part fox [456]'
    }

    It 'stops Receive-OpenAIImageBatch -Wait between two polls' {
        $out = Join-Path $TestDrive 'polling'
        Set-TestServerBatchOption $server @{ stepMilliseconds = $held }
        $batch = 'A batch that takes its time' | New-OpenAIImage @conn -AsBatch -OutputDirectory $out -Quality low
        Reset-TestServerTraffic $server
        $run = Invoke-ThenStop -Script 'param($Conn, $Journal) Receive-OpenAIImageBatch -Journal $Journal @Conn -Wait -PollIntervalSec 50' `
            -Arguments @{ Conn = $conn; Journal = $batch.JournalPath } -Ready { $traffic = Get-TestServerTraffic $server; $traffic.requests -ge 1 -and $traffic.inFlight -eq 0 }
        $run.Stopped | Should -BeTrue -Because 'the 50 s between polls is cut short'
        $run.State | Should -Be 'Stopped'
        (Get-TestServerTraffic $server).requests | Should -Be 1
    }

    It 'keeps every image saved before a stop mid-download whole, and a second receive completes the set' {
        Set-TestServerBatchOption $server @{ stepMilliseconds = 100 }
        $out = Join-Path $TestDrive 'batch'
        $batch = 1..30 | ForEach-Object { "A rock pool $_" } | New-OpenAIImage @conn -AsBatch -OutputDirectory $out -Size 512x512 -Quality low
        Wait-Until { (Get-OpenAIImageBatch -InputObject $batch @conn).Status -eq 'completed' } | Should -BeTrue
        Set-TestServerBatchOption $server @{ stepMilliseconds = 100; contentChunkDelayMilliseconds = 150 }
        $saved = { @(Get-ChildItem -LiteralPath $out -File -Filter '*.png') }
        $run = Invoke-ThenStop -Script 'param($Conn, $Journal) Receive-OpenAIImageBatch -Journal $Journal @Conn' `
            -Arguments @{ Conn = $conn; Journal = $batch.JournalPath } -Ready { (& $saved).Count -ge 2 }
        $run.Stopped | Should -BeTrue
        $run.State | Should -Be 'Stopped'
        $partly = @(& $saved)
        $partly.Count | Should -BeLessThan 30
        foreach ($file in $partly) { (Read-TestPng -Path $file.FullName).Width | Should -Be 512 }
        @(Get-ChildItem -LiteralPath $out -File -Force | Where-Object { $_.Extension -notin '.png', '.json' }) | Should -BeNullOrEmpty -Because 'no temporary file is left'

        Set-TestServerBatchOption $server @{ stepMilliseconds = 100 }
        $images = Receive-OpenAIImageBatch -Journal $batch.JournalPath @conn
        $images | Should -HaveCount 30
        (& $saved) | Should -HaveCount 30
    }
}
