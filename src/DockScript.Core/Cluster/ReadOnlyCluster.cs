namespace DockScript;

/// <summary>
/// The promise of <c>Cluster.Connect</c>: an engine you already run (a real Swarm) is only read
/// unless it was opened with <c>readOnly: false</c>. Every way a script could change such an
/// engine (services, overlays, containers, networks) asks here first, before any call is made.
/// </summary>
internal static class ReadOnlyCluster
{
    /// <summary>Throws the one sentence when <paramref name="lab"/> is a read-only cluster node; <paramref name="what"/> reads "create the service web".</summary>
    public static void Check(Lab lab, string what)
    {
        if (lab.ReadOnlyNode)
        {
            throw new DockScriptException(Refusal(lab.Engine.Endpoint.ToString().TrimEnd('/'), what));
        }
    }

    /// <summary>"The cluster at tcp://… was connected read-only, so DockScript will not … there; …".</summary>
    internal static string Refusal(string endpoint, string what) =>
        $"The cluster at {endpoint} was connected read-only, so DockScript will not {what} there; "
        + $"connect with Cluster.Connect(new[] {{ \"{endpoint}\" }}, readOnly: false) to allow changes.";
}
