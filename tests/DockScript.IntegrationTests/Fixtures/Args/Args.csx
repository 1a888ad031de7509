// Prints its arguments, one per line.
foreach (var a in Args)
{
    Console.WriteLine($"arg: {a}");
}
Console.WriteLine($"count: {Args.Count}");
