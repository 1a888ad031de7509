// A missing container: one clear sentence, naming this line.
Console.WriteLine("before");
var ghost = Containers["dockscript-fixture-ghost"];
Console.WriteLine("after");
