// Runs a container, then blocks in a long ping (300 echoes, 100 ms apart) until Ctrl+C stops it.
var box = Containers.Run("dockscript/toolbox", name: Args[0]);
Console.WriteLine("started");
Ping(box, "127.0.0.1", count: 300);
Console.WriteLine("not interrupted");
