using System;
using System.Collections;
using System.Management.Automation;

namespace OpenAIImages.Infrastructure
{
    /// <summary>Facts about the module and the PowerShell it runs in, for the User-Agent header.</summary>
    internal static class ModuleContext
    {
        public static readonly string ModuleVersion = typeof(ModuleContext).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

        public static string UserAgent(PSCmdlet cmdlet)
        {
            string edition = "Desktop", version = "5.1";
            if (cmdlet.SessionState.PSVariable.GetValue("PSVersionTable") is Hashtable table)
            {
                edition = table["PSEdition"]?.ToString() ?? edition;
                version = table["PSVersion"]?.ToString() ?? version;
            }
            return $"OpenAIImages/{ModuleVersion} (PowerShell {edition} {version}; {Environment.OSVersion.Platform})";
        }
    }
}
