using System.CommandLine;

namespace DockScript.Cli;

/// <summary><c>dockscript doctor</c>: is everything DockScript needs in place, and if not, how to fix it.</summary>
internal static class DoctorCommand
{
    public static Command Create(Program.Interrupt interrupt)
    {
        var command = new Command("doctor", "Check the engine, the lab images, the probe path and leftovers; say how to fix each problem.");
        command.SetAction((_, _) => Program.Guarded(() => DoctorAsync(Console.Out, interrupt.Token)));
        return command;
    }

    private static async Task<int> DoctorAsync(TextWriter output, CancellationToken ct)
    {
        var problems = 0;
        async Task Line(string status, string topic, string text)
        {
            if (status is "FAIL" or "warn")
            {
                problems++;
            }
            await output.WriteLineAsync($"{status,-4}  {topic,-10}  {text}").ConfigureAwait(false);
        }

        DockerEndpoint endpoint;
        try
        {
            endpoint = DockerEndpoint.FromEnvironment();
        }
        catch (DockScriptException e)
        {
            await Line("FAIL", "engine", e.Message).ConfigureAwait(false);
            return ExitCodes.EngineUnavailable;
        }
        // Which engine and how it is reached, before connecting: a wrong context shows here even when nothing answers.
        await Line(endpoint.IsPlainTcp ? "warn" : "ok", "endpoint",
            endpoint.IsPlainTcp ? $"{endpoint} from {endpoint.Source}: {endpoint.Warning}" : $"{endpoint} from {endpoint.Source}: {endpoint.Transport}").ConfigureAwait(false);

        Lab lab;
        try
        {
            lab = await Lab.StartAsync(new LabOptions { Endpoint = endpoint }, ct).ConfigureAwait(false);
        }
        catch (DockScriptException e)
        {
            await Line("FAIL", "engine", e.Message).ConfigureAwait(false);
            await output.WriteLineAsync(endpoint.IsLocal
                ? "doctor: no engine. Fix: run scripts/engine (it installs and starts dockerd), or start dockerd yourself, then run dockscript doctor again."
                : $"doctor: no engine. Fix: start the engine at that address, or {endpoint.BackToLocal} to use the local socket (scripts/engine starts one).").ConfigureAwait(false);
            return ExitCodes.EngineUnavailable;
        }

        await using (lab.ConfigureAwait(false))
        {
            var engine = lab.Engine;
            await Line("ok", "engine", $"{engine.Endpoint}: Docker {engine.DaemonVersion}, API {engine.DaemonApiVersion}; DockScript speaks {ApiVersions.Minimum}–{ApiVersions.Client} and pins {engine.ApiVersion}").ConfigureAwait(false);

            foreach (var image in LabImage.All)
            {
                var state = await lab.Images.StateOfAsync(image, ct).ConfigureAwait(false);
                var source = Images.StaticBusyboxPath is { } busybox ? $"from {busybox}" : "from the busybox image (pulled: no static busybox on this machine)";
                switch (state)
                {
                    case LabImageState.Current:
                        await Line("ok", "image", $"{image.Name} is built and current").ConfigureAwait(false);
                        break;
                    case LabImageState.Outdated:
                        await Line("note", "image", $"{image.Name} is from an older DockScript; it is rebuilt {source} the next time it is needed").ConfigureAwait(false);
                        break;
                    default:
                        await Line("note", "image", $"{image.Name} is not built yet; it is built {source} the first time it is needed").ConfigureAwait(false);
                        break;
                }
            }
            if (Images.StaticBusyboxPath is null)
            {
                await Line("warn", "busybox", "no static busybox here, so lab images need the busybox image from a registry. Fix: apt-get install busybox-static, or set DOCKSCRIPT_BUSYBOX to one").ConfigureAwait(false);
            }

            foreach (var (status, text) in ProbePath(engine, lab.Options.ForcePortable))
            {
                await Line(status, "probes", text).ConfigureAwait(false);
            }

            await Line(Ipvs.Available ? "ok" : "note", "cluster", Ipvs.Describe()).ConfigureAwait(false);

            var sessions = await Leftovers.FindAsync(lab, ct).ConfigureAwait(false);
            var gone = sessions.Where(s => s.State == OwnerState.Gone).ToList();
            var others = sessions.Where(s => s.State != OwnerState.Gone).ToList();
            if (gone.Count == 0)
            {
                await Line("ok", "leftovers", "no leftovers of ended sessions").ConfigureAwait(false);
            }
            else
            {
                await Line("warn", "leftovers",
                    $"{DownCommand.Count(gone.Count, "ended session")} left {DownCommand.Count(gone.Sum(s => s.Containers.Count), "container")} and {DownCommand.Count(gone.Sum(s => s.Networks.Count), "network")}. Fix: dockscript down").ConfigureAwait(false);
            }
            foreach (var s in others)
            {
                await Line("note", "leftovers", $"session {s.SessionId} has {s.What}; {s.Why} (dockscript down --all removes it)").ConfigureAwait(false);
            }

            await output.WriteLineAsync(problems == 0 ? "doctor: healthy" : $"doctor: usable, with {DownCommand.Count(problems, "warning")} above").ConfigureAwait(false);
            return ExitCodes.Success;
        }
    }

    /// <summary>Whether probes and interface reads take the fast path (this machine's <c>/proc</c>) and why.</summary>
    private static IEnumerable<(string Status, string Text)> ProbePath(DockerEngine engine, bool forcedPortable)
    {
        if (forcedPortable)
        {
            yield return ("note", "portable path (probes go through a toolbox helper per source, about 2 ms a ping): DOCKSCRIPT_PORTABLE is set. Fix for speed: unset DOCKSCRIPT_PORTABLE");
            yield break;
        }
        if (engine.CanReadHostProc)
        {
            yield return ("ok", "fast path: probes enter container namespaces directly with setns, and /proc is read from this machine (local engine, root, Linux)");
            yield break;
        }
        var why = new List<string>();
        if (!engine.Endpoint.IsLocal)
        {
            why.Add($"the engine is remote ({engine.Endpoint}), so its containers' /proc is not on this machine");
        }
        if (!OperatingSystem.IsLinux())
        {
            why.Add("this is not Linux");
        }
        if (!Environment.IsPrivilegedProcess)
        {
            why.Add("DockScript is not running as root, so other processes' namespaces are closed to it (fix: run as root)");
        }
        if (!Directory.Exists("/proc/1/ns"))
        {
            why.Add("/proc/1/ns is not readable here (fix: run where the host's /proc is mounted)");
        }
        yield return ("note", $"portable path (probes go through a toolbox helper per source, slower): {string.Join("; ", why)}");
    }
}
