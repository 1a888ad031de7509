// DS0001: Docker would refuse this subnet; dockscript refuses it before touching the engine.
Console.WriteLine("never");
var net = Networks.Create("dockscript-fixture-subnet", subnet: "10.0.0.0/33");
