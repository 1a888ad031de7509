// Loads a helper, which loads another one relative to itself.
#load "lib/greet.csx"
Console.WriteLine(Greet(Args.FirstOrDefault() ?? "world"));
