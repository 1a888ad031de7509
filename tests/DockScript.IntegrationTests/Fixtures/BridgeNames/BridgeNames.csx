// DS0004 is a warning: the default bridge gives no names (the probe itself is never reached).
if (Args.Count > 99)
{
    var web1 = Containers.Run("dockscript/web", name: "nginx1", dns: new[] { "127.0.0.1" });
    Console.WriteLine(Curl(web1, "http://nginx2/"));
}
Console.WriteLine("ran");
