#load "lib/not-there.csx"
Console.WriteLine("never");
