// DS0003: a probe that sends nothing. Ping is a stand-in here, as the analyzer only reads the call.
object Ping(string from, string to, int count = 4, TimeSpan? timeout = null) => null;
Console.WriteLine("never");
Ping("a", "b", count: 0, timeout: TimeSpan.FromSeconds(-1));
