// Ignores cancellation: only a second Ctrl+C ends it.
Console.WriteLine("started");
Thread.Sleep(TimeSpan.FromSeconds(60));
Console.WriteLine("not interrupted");
