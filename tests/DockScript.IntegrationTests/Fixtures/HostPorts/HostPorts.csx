// DS0002 is a warning: the script still runs (the call itself is never reached).
if (Args.Count > 99)
{
    Containers.Run("dockscript/web", network: "host", ports: new[] { "8080:80" });
}
Console.WriteLine("ran");
