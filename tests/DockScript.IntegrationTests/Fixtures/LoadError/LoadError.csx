#load "lib/broken.csx"
Console.WriteLine("before");
Explode();
