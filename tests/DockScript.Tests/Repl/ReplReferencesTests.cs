using DockScript.Scripting;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;

namespace DockScript.Tests.Repl;

public sealed class ReplReferencesTests
{
    [Theory]
    [InlineData("System.Xml.Linq.XElement.Parse(\"<a/>\").Name.LocalName")]
    [InlineData("new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp).ProtocolType")]
    [InlineData("System.Text.Json.JsonSerializer.Serialize(new { a = 1 })")]
    [InlineData("new[] { 3, 1, 2 }.Order().First()")]
    public void Submissions_compile_against_the_framework_types_scripts_reach_for(string code)
    {
        var script = CSharpScript.Create(code, ScriptHost.ReplOptions(), typeof(ScriptGlobals));
        var errors = script.Compile().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
        Assert.Empty(errors);
    }
}
