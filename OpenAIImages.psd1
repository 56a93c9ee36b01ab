@{
    # The version is stamped from Directory.Build.props (ModuleVersion) by build.ps1; this value is replaced at build.
    ModuleVersion        = '0.1.0'
    GUID                 = '5d6b7c1e-4f0a-4c53-9a8e-2b7c61f0a9d4'
    RootModule           = 'OpenAIImages.dll'
    Author               = 'OpenAIImages contributors'
    CompanyName          = 'OpenAIImages contributors'
    Copyright            = '(c) OpenAIImages contributors. MIT License.'
    Description          = 'Generate, edit and vary images with the OpenAI Images API (gpt-image-2) from PowerShell: pipeline input, rich objects, streaming progress, safe file saving; the Responses API''s image tool for multi-turn editing, and the Batch API for thousands of images at half price; also Azure OpenAI and compatible servers, with the older gpt-image and DALL-E models they keep.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('OpenAIImages.Format.ps1xml')
    TypesToProcess       = @('OpenAIImages.Types.ps1xml')
    CmdletsToExport      = @(
        'New-OpenAIImage'
        'Edit-OpenAIImage'
        'New-OpenAIImageVariation'
        'ConvertTo-AlphaMask'
        'Get-OpenAIImageBatch'
        'Receive-OpenAIImageBatch'
        'Stop-OpenAIImageBatch'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('OpenAI', 'Images', 'DALL-E', 'gpt-image', 'AI', 'ImageGeneration', 'Azure', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/OpenAIImages/OpenAIImages'
            LicenseUri   = 'https://github.com/OpenAIImages/OpenAIImages/blob/main/LICENSE'
            ReleaseNotes = '0.1.0: New-OpenAIImage (prompts to images, streaming with partial images), Edit-OpenAIImage (inpainting with a mask, up to 16 reference images in one request, iterative editing through the pipeline), New-OpenAIImageVariation and ConvertTo-AlphaMask; the Responses API''s image tool (-ResponsesModel: revised prompts, multi-turn editing through the pipeline); the Batch API (-AsBatch, then Get-OpenAIImageBatch, Receive-OpenAIImageBatch and Stop-OpenAIImageBatch: thousands of images at half price, collected later from a journal). Every request is checked against the model table before it is sent; results are rich objects; files are saved atomically and never overwritten without -Force; retries honour Retry-After; Azure OpenAI and compatible servers are supported.'
        }
    }
}
