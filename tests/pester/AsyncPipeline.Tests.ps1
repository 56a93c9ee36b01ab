# What async code writes reaches PowerShell only on the pipeline thread: every public method of the module's
# AsyncPipeline, called from a thread-pool thread, runs its command-runtime member on the thread that serves the
# pipeline. A real ICommandRuntime2 (tests/pester/RecordingRuntime.cs) records the thread of each call.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $module = Import-ModuleUnderTest
    if (-not ('OpenAIImagesTests.RecordingRuntime' -as [type])) {
        Add-Type -Path (Join-Path $PSScriptRoot 'RecordingRuntime.cs')
    }
    $pipelineType = $module.ImplementingAssembly.GetType('OpenAIImages.Infrastructure.AsyncPipeline', $true)

    function New-TestPipeline {
        param([object] $Runtime)
        [Activator]::CreateInstance($pipelineType, @($Runtime, [System.Threading.CancellationToken]::None))
    }
}

Describe 'AsyncPipeline' {
    It 'runs every write, prompt and session call made from a pool thread on the pipeline thread' {
        $runtime = [OpenAIImagesTests.RecordingRuntime]::new()
        $pipeline = New-TestPipeline -Runtime $runtime
        $pipelineThread = [Environment]::CurrentManagedThreadId

        $result = [OpenAIImagesTests.PoolCaller]::CallEveryMethodFromThePool($pipeline)

        $result.Value | Should -Not -Be $pipelineThread -Because 'the calls came from a pool thread'
        $called = @($result.Key)
        foreach ($name in 'WriteObject', 'WriteError', 'WriteWarning', 'WriteVerbose', 'WriteDebug', 'WriteProgress', 'WriteInformation', 'ShouldProcess', 'ShouldContinue', 'OnPipelineThread') {
            $called | Should -Contain $name
        }
        $calls = @($runtime.Calls)
        # Every method but OnPipelineThread reaches the runtime; each overload once.
        $calls.Count | Should -Be (@($called | Where-Object { $_ -ne 'OnPipelineThread' }).Count)
        foreach ($call in $calls) { $call.Value | Should -Be $pipelineThread -Because "$($call.Key) runs on the pipeline thread" }
        $pipeline.Dispose()
    }

    It 'holds what a pool thread writes between blocks until the next block, and runs it there' {
        $runtime = [OpenAIImagesTests.RecordingRuntime]::new()
        $pipeline = New-TestPipeline -Runtime $runtime
        $pipelineThread = [Environment]::CurrentManagedThreadId

        [OpenAIImagesTests.PoolCaller]::WarnFromThePoolBetweenRuns($pipeline)
        @($runtime.Calls).Count | Should -Be 0 -Because 'nothing runs on a pool thread'

        [OpenAIImagesTests.PoolCaller]::RunEmptyBlock($pipeline)
        $calls = @($runtime.Calls)
        $calls.Count | Should -Be 1
        $calls[0].Key | Should -Be 'WriteWarning'
        $calls[0].Value | Should -Be $pipelineThread
        $pipeline.Dispose()
    }

    It 'is the only write path the cmdlet base class offers its async blocks: it hides none of PSCmdlet''s methods' {
        $base = $module.ImplementingAssembly.GetType('OpenAIImages.Infrastructure.AsyncPSCmdlet', $true)
        $hiding = @($base.GetMethods([System.Reflection.BindingFlags]'Public,NonPublic,Instance,DeclaredOnly') |
                Where-Object { $_.Name -match '^(Write|Should)' })
        $hiding | Should -BeNullOrEmpty -Because 'a method that hides a PSCmdlet method is bypassed by a caller holding a PSCmdlet'
    }
}
