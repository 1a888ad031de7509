#load "other.csx"
Console.WriteLine("never");
