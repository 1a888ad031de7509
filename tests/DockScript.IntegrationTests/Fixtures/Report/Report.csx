// A small lab for `dockscript run --report`: two networks, a container on both, one on none, a
// matrix with failing pairs, an explanation, and a failing assertion at the end (the report is written anyway).
var prefix = Args[0];
var front = Networks.Create($"{prefix}-front");
var back = Networks.Create($"{prefix}-back", @internal: true);
var web = Containers.Run("dockscript/web", name: $"{prefix}-web", network: front.Name, aliases: new[] { "www" });
var app = Containers.Run("dockscript/web", name: $"{prefix}-app", network: front.Name);
back.Connect(app);
var db = Containers.Run("dockscript/web", name: $"{prefix}-db", network: back.Name);
var hermit = Containers.Run("dockscript/web", name: $"{prefix}-hermit", network: "none");
Ping(web, app, count: 1);
var matrix = Reachability(web, app, db, hermit);
Console.WriteLine(matrix.Summary);
Console.WriteLine(Explain(web, db.Name));
Assert(Ping(web, db, count: 1, timeout: TimeSpan.FromSeconds(1)).Success, "web reaches db");
