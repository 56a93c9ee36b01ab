using System.Net;
using OpenAIImages.Engine.Http;
using Xunit;

namespace OpenAIImages.Tests.Reliability;

/// <summary>Windows PowerShell 5.1's HTTP stack speaks only the protocols the session allows; TLS 1.2 must be among them.</summary>
public class TlsDefaultsTests
{
#pragma warning disable CS0618, SYSLIB0014 // Ssl3 and ServicePointManager are obsolete, and exactly what powershell.exe starts with.
    [Theory]
    [InlineData(SecurityProtocolType.Ssl3 | SecurityProtocolType.Tls, SecurityProtocolType.Ssl3 | SecurityProtocolType.Tls | SecurityProtocolType.Tls12)]
    [InlineData(SecurityProtocolType.Tls, SecurityProtocolType.Tls | SecurityProtocolType.Tls12)]
    [InlineData(SecurityProtocolType.Tls11, SecurityProtocolType.Tls11 | SecurityProtocolType.Tls12)]
    [InlineData(SecurityProtocolType.Tls12, SecurityProtocolType.Tls12)]
    [InlineData(SecurityProtocolType.Tls12 | SecurityProtocolType.Tls13, SecurityProtocolType.Tls12 | SecurityProtocolType.Tls13)]
    [InlineData(SecurityProtocolType.SystemDefault, SecurityProtocolType.SystemDefault)]
    public void Tls12IsAddedAndNothingIsTakenAway(SecurityProtocolType session, SecurityProtocolType expected) =>
        Assert.Equal(expected, TlsDefaults.WithTls12(session));

    [Fact]
    public void OnDotNetTheSessionsSettingIsLeftAlone()
    {
        Assert.False(TlsDefaults.OnNetFramework);
        var before = ServicePointManager.SecurityProtocol;
        TlsDefaults.EnsureTls12();
        Assert.Equal(before, ServicePointManager.SecurityProtocol);
    }
#pragma warning restore CS0618, SYSLIB0014
}
