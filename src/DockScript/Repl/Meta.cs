namespace DockScript.Cli.Repl;

/// <summary>The REPL's meta-commands (<c>#help</c>, <c>#save file.csx</c>, …) and their help text.</summary>
internal static class Meta
{
    public static readonly IReadOnlyList<string> Commands = ["help", "reset", "load", "save", "cleanup", "topology", "debug", "exit"];

    /// <summary>Directives C# scripts know themselves: they go to the compiler, not to the REPL.</summary>
    private static readonly HashSet<string> CSharpDirectives = new(StringComparer.Ordinal)
    {
        "r", "nullable", "pragma", "define", "undef", "if", "elif", "else", "endif", "region", "endregion", "line", "warning", "error",
    };

    public static readonly IReadOnlyList<(string Name, string Example)> Globals =
    [
        ("Networks", "Networks   Networks[\"bridge\"].Subnet   Networks.Create(\"my-network\")"),
        ("Containers", "Containers   var web1 = Containers.Run(\"dockscript/web\", name: \"nginx1\", network: \"my-network\")"),
        ("Container", "web1.IP   web1.IPs   web1.Exec(\"cat /etc/hosts\")   web1.ResolvConf.Nameservers   web1.Stop()"),
        ("Ping", "Ping(web1, \"nginx2\", count: 1)"),
        ("Curl", "Curl(web1, \"http://nginx2/\")"),
        ("Resolve", "Resolve(web1, \"nginx2\")"),
        ("Reachability", "Reachability(web1, web2, hermit)   Reachability(Networks[\"my-network\"])"),
        ("Masquerade", "Masquerade(web1).SeenAs   // what a server outside Docker sees: the host's address (S7)"),
        ("Args", "Args.FirstOrDefault() ?? \"nginx1\""),
        ("Lab", "Lab.Created   Lab.Cleanup()"),
        ("Docker", "await Docker.System.GetVersionAsync()"),
        ("Topology", "Topology()   Topology(web1, web2).Save(\"lab.svg\")   Topology(Networks[\"my-network\"]).ToMermaid()"),
        ("Assert", "Assert(web1.IP is not null, \"nginx1 has an address\")"),
    ];

    public static readonly IReadOnlyList<(string Name, string What)> Help =
    [
        ("#help", "this list"),
        ("#load file.csx", "run a script file as one submission"),
        ("#save file.csx", "write the successful submissions as a script that 'dockscript run' replays"),
        ("#cleanup", "remove the containers and networks this session created"),
        ("#topology [file.svg]", "show what this session built as a tree; with a file, draw it too (.svg, .mmd or .dot)"),
        ("#reset", "forget all variables (asks whether to remove this session's containers too)"),
        ("#debug on|off", "show full stack traces"),
        ("#exit", "leave (removes what the session created, unless started with --keep)"),
    ];

    /// <summary>True when <paramref name="text"/> is a meta-command (known or not) rather than C#.</summary>
    public static bool TryParse(string text, out string command, out string argument)
    {
        command = argument = "";
        if (!text.StartsWith('#') || text.Contains('\n'))
        {
            return false;
        }
        var body = text[1..];
        var space = body.IndexOfAny([' ', '\t']);
        var word = space < 0 ? body : body[..space];
        if (word.Length == 0 || !word.All(char.IsLetter) || CSharpDirectives.Contains(word))
        {
            return false;
        }
        command = word.ToLowerInvariant();
        argument = space < 0 ? "" : body[(space + 1)..].Trim();
        return true;
    }

    public static string Unquote(string argument) =>
        argument.Length >= 2 && argument[0] == '"' && argument[^1] == '"' ? argument[1..^1] : argument;
}
