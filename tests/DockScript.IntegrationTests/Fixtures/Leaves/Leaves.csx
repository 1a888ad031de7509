// Creates a network and a container and leaves them for `dockscript run` to clean up.
var prefix = Args[0];
var net = Networks.Create($"{prefix}-net");
var web = Containers.Run("dockscript/web", name: $"{prefix}-web", network: net.Name);
Console.WriteLine($"session {Lab.SessionId}");
Console.WriteLine($"created {string.Join(", ", Lab.Created)}");
