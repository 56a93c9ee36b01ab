#Requires -Version 7.4
<#
.SYNOPSIS
    Measures the module at the shell: whole pwsh processes against the benchmark's payload server, next to what an
    admin writes without the module (Invoke-RestMethod, [Convert]::FromBase64String, WriteAllBytes).

.DESCRIPTION
    Run from the repository folder, after ./build.ps1 -Task Build:

        dotnet pwsh -NoProfile -File ./tools/Measure-ShellPerformance.ps1 [-Rounds 5] [-Markdown FILE]

    The payload server (tests/OpenAIImages.Benchmarks -- --serve) answers every generation with one realistic
    1536x1024 PNG of about 4.7 MB in base64, at once, so the figures are the client's own cost. Each scenario is a
    fresh `pwsh -NoProfile` process. After a warm-up, each of -Rounds rounds runs every scenario once, so a busy spell
    of the machine falls on both sides of a comparison. Wall time is process start to exit, peak working set the
    process's own PeakWorkingSet64 (printed as it ends); both are reported as medians. Comparisons of time are the
    median of the round-by-round differences (Import-Module over a bare pwsh) or ratios. Growth is over a bare pwsh
    that starts and exits. Every figure is taken in this one run, with its target, PASS or MISS.
#>
[CmdletBinding()]
param(
    [ValidateRange(1, 50)] [int] $Rounds = 5,
    [string] $Markdown
)

$ErrorActionPreference = 'Stop'
$root = Split-Path -Parent $PSScriptRoot
$manifest = Get-ChildItem -LiteralPath (Join-Path $root 'out/OpenAIImages') -Filter 'OpenAIImages.psd1' -Recurse | Select-Object -First 1
if (-not $manifest) { throw 'Build the module first: ./build.ps1 -Task Build' }
# The pwsh running this script (under `dotnet pwsh` the process itself is dotnet).
$pwsh = Join-Path $PSHOME $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })
$work = Join-Path ([IO.Path]::GetTempPath()) ('OpenAIImages-shell-' + [guid]::NewGuid().ToString('N'))
New-Item -ItemType Directory -Path $work | Out-Null
$benchmarks = Join-Path $root 'tests/OpenAIImages.Benchmarks'

function Invoke-Scenario([string] $Script) {
    # One fresh process; it prints its peak working set last.
    $file = Join-Path $work ('scenario-' + [guid]::NewGuid().ToString('N') + '.ps1')
    # A failed request must fail the scenario, not make it look fast.
    Set-Content -LiteralPath $file -Value ("`$ErrorActionPreference = 'Stop'`n" + $Script + "`n[Console]::Out.WriteLine('peak ' + [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64)")
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $output = & $pwsh -NoProfile -NonInteractive -File $file 2>&1
    $clock.Stop()
    if ($LASTEXITCODE -ne 0) { throw "A scenario failed: $($output -join "`n")" }
    $line = @($output | Where-Object { "$_" -like 'peak *' }) | Select-Object -Last 1
    if (-not $line) { throw "A scenario printed no peak working set: $($output -join "`n")" }
    $peak = [long] ("$line" -replace '^peak ', '')
    [pscustomobject]@{ Seconds = $clock.Elapsed.TotalSeconds; Peak = $peak }
}

function Get-Median([double[]] $values) { ($values | Sort-Object)[[int][Math]::Floor(($values.Count - 1) / 2)] }

function Measure-Scenarios([System.Collections.Specialized.OrderedDictionary] $Scenarios) {
    # Round by round, every scenario once in each round, so a busy spell of the machine falls on both sides of a
    # comparison instead of on whichever scenario happened to be running; comparisons are then taken round by round.
    Write-Host "shell: warm-up (disk caches and the runtime's JIT caches)..."
    foreach ($name in $Scenarios.Keys) { $null = Invoke-Scenario $Scenarios[$name] }
    $runs = @{}
    foreach ($name in $Scenarios.Keys) { $runs[$name] = [System.Collections.Generic.List[object]]::new() }
    foreach ($round in 1..$Rounds) {
        Write-Host "shell: round $round of $Rounds ($($Scenarios.Keys -join ', '))..."
        foreach ($name in $Scenarios.Keys) { $runs[$name].Add((Invoke-Scenario $Scenarios[$name])) }
    }
    $runs
}

$server = $null
try {
    $payload = Join-Path $work 'payload.json'
    & dotnet run -c Release --project $benchmarks -- --shell-payload $payload | Out-Host
    # The program itself, not `dotnet run`; it serves until its standard input closes, so that stays open here.
    $program = Join-Path $benchmarks 'bin/Release/net10.0/OpenAIImages.Benchmarks.dll'
    $start = [Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($argument in $program, '--serve', $payload) { $start.ArgumentList.Add($argument) }
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.UseShellExecute = $false
    $server = [Diagnostics.Process]::Start($start)
    $root_uri = $null
    while (-not $root_uri) {
        $line = $server.StandardOutput.ReadLine()
        if ($null -eq $line) { throw 'The payload server ended before it listened.' }
        if ($line -like 'listening *') { $root_uri = $line -replace '^listening ', '' }
    }
    $base = $root_uri.TrimEnd('/') + '/big/v1'
    $import = "Import-Module '$($manifest.FullName -replace "'", "''")'"

    $irmOne = @'
    $body = @{ model = 'gpt-image-2'; prompt = "A product photograph, item $_"; size = '1536x1024' } | ConvertTo-Json
    $answer = Invoke-RestMethod -Method Post -Uri "BASE/images/generations" -Headers @{ Authorization = 'Bearer test-key' } -ContentType 'application/json' -Body $body
    [IO.File]::WriteAllBytes((Join-Path 'DIR' "image-$_.png"), [Convert]::FromBase64String($answer.data[0].b64_json))
'@
    $scenarios = [ordered]@{
        bare      = '$null = 0'
        import    = $import
        module10  = "$import; 1..10 | ForEach-Object { 'A product photograph, item ' + `$_ } | New-OpenAIImage -ApiKey test-key -BaseUri '$base' -Size 1536x1024 -OutputDirectory ('$work/m10-' + [guid]::NewGuid()) | Out-Null"
        irm10     = "`$d = '$work/i10-' + [guid]::NewGuid(); New-Item -ItemType Directory `$d | Out-Null; 1..10 | ForEach-Object { $($irmOne.Replace('BASE', $base).Replace("'DIR'", '$d')) }"
        module40  = "$import; 1..40 | ForEach-Object { 'A product photograph, item ' + `$_ } | New-OpenAIImage -ApiKey test-key -BaseUri '$base' -Size 1536x1024 -ThrottleLimit 4 -OutputDirectory ('$work/m40-' + [guid]::NewGuid()) | Out-Null"
        parallel40 = "`$d = '$work/p40-' + [guid]::NewGuid(); New-Item -ItemType Directory `$d | Out-Null; 1..40 | ForEach-Object -ThrottleLimit 4 -Parallel { `$d = `$using:d; $($irmOne.Replace('BASE', $base).Replace("'DIR'", '$d')) }"
    }
    $runs = Measure-Scenarios $scenarios
}
finally {
    if ($server) {
        $server.StandardInput.Close()
        if (-not $server.WaitForExit(10000)) { $server.Kill() }
    }
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
}

function MiB([long] $bytes) { '{0:N0} MiB' -f ($bytes / 1MB) }
$measured = @{}
foreach ($name in $runs.Keys) {
    $measured[$name] = [pscustomobject]@{ Seconds = Get-Median $runs[$name].Seconds; Peak = Get-Median $runs[$name].Peak }
}
# Within one round: the difference, or the ratio, of two scenarios that ran one after the other.
function Get-PairedMedian([string] $ours, [string] $theirs, [scriptblock] $combine) {
    Get-Median @(foreach ($round in 0..($Rounds - 1)) { & $combine $runs[$ours][$round].Seconds $runs[$theirs][$round].Seconds })
}
$bare = $measured.bare
$rows = @(
    [pscustomobject]@{ Metric = 'bare pwsh -NoProfile: start and exit'; Ours = ('{0:N2} s, peak {1}' -f $bare.Seconds, (MiB $bare.Peak)); Compared = ''; Target = ''; Result = 'info' }
    & {
        $added = Get-PairedMedian import bare { param($a, $b) $a - $b }
        [pscustomobject]@{ Metric = 'Import-Module, added to a bare pwsh start'; Ours = ('{0:N2} s' -f $added); Compared = ('{0:N2} s with, {1:N2} s without' -f $measured.import.Seconds, $bare.Seconds); Target = '<= 0.10 s'; Result = $(if ($added -le 0.10) { 'PASS' } else { 'MISS' }) }
    }
    & {
        $ratio = Get-PairedMedian module10 irm10 { param($a, $b) $a / $b }
        [pscustomobject]@{ Metric = '10 images one at a time: wall, ours / Invoke-RestMethod loop'; Ours = ('{0:N2}x ({1:N2} s)' -f $ratio, $measured.module10.Seconds); Compared = ('loop {0:N2} s' -f $measured.irm10.Seconds); Target = '<= 0.40x'; Result = $(if ($ratio -le 0.40) { 'PASS' } else { 'MISS' }) }
    }
    & {
        $ours = $measured.module10.Peak - $bare.Peak
        $theirs = $measured.irm10.Peak - $bare.Peak
        $ratio = $ours / [Math]::Max(1, $theirs)
        [pscustomobject]@{ Metric = '10 images: working-set growth over bare pwsh, ours / loop'; Ours = ('{0:N2}x ({1}; peak {2})' -f $ratio, (MiB $ours), (MiB $measured.module10.Peak)); Compared = ('loop {0}; peak {1}' -f (MiB $theirs), (MiB $measured.irm10.Peak)); Target = '<= 0.25x'; Result = $(if ($ratio -le 0.25) { 'PASS' } else { 'MISS' }) }
    }
    & {
        $ratio = Get-PairedMedian module40 parallel40 { param($a, $b) $a / $b }
        [pscustomobject]@{ Metric = '40 images, 4 at a time: wall, ours (-ThrottleLimit 4) / ForEach-Object -Parallel'; Ours = ('{0:N2}x ({1:N2} s; peak {2})' -f $ratio, $measured.module40.Seconds, (MiB $measured.module40.Peak)); Compared = ('parallel {0:N2} s; peak {1}' -f $measured.parallel40.Seconds, (MiB $measured.parallel40.Peak)); Target = '<= 0.60x'; Result = $(if ($ratio -le 0.60) { 'PASS' } else { 'MISS' }) }
    }
)
$table = @('| Metric | Ours | Compared with | Target | Result |', '| --- | --- | --- | --- | --- |') + ($rows | ForEach-Object { "| $($_.Metric) | $($_.Ours) | $($_.Compared) | $($_.Target) | $($_.Result) |" })
$text = "PowerShell $($PSVersionTable.PSVersion), $Rounds rounds after one warm-up, every scenario once in each round, each a fresh ``pwsh -NoProfile``; one 1536x1024 PNG of about 4.7 MB per answer. Times and peaks are medians; each comparison of times is the median of its round-by-round differences or ratios.`n`n" + ($table -join "`n")
$text
if ($Markdown) {
    # A file with the shell markers (docs/performance.md) gets the table between them; any other file is the table.
    $start = '<!-- shell results: written by tools/Measure-ShellPerformance.ps1 -->'
    $end = '<!-- end of shell results -->'
    $existing = if (Test-Path -LiteralPath $Markdown) { Get-Content -Raw -LiteralPath $Markdown } else { '' }
    $from = $existing.IndexOf($start); $to = $existing.IndexOf($end)
    $new = if ($from -ge 0 -and $to -gt $from) { $existing.Substring(0, $from + $start.Length) + "`n`n" + $text.TrimEnd() + "`n`n" + $existing.Substring($to) } else { $text }
    Set-Content -LiteralPath $Markdown -Value $new.TrimEnd() -NoNewline
    Add-Content -LiteralPath $Markdown -Value ''
}
