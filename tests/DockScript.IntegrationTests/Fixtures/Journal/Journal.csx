// Asserts twice and creates a network, for the --json summary.
var net = Networks.Create(Args[0]);
Assert(net.Driver == "bridge", "a new network uses the bridge driver");
Assert(Networks[Args[0]].Id == net.Id, "the network can be found by name");
Console.WriteLine("done");
