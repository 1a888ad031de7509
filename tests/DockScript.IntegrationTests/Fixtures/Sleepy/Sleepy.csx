// Runs a container, then blocks in a long Docker call until Ctrl+C stops it.
var box = Containers.Run("dockscript/toolbox", name: Args[0]);
Console.WriteLine("started");
box.Exec("sleep 30");
Console.WriteLine("not interrupted");
