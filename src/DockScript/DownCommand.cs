using System.CommandLine;

namespace DockScript.Cli;

/// <summary><c>dockscript down [--dry-run] [--all]</c>: remove what earlier sessions left on the engine.</summary>
internal static class DownCommand
{
    public static Command Create(Program.Interrupt interrupt)
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "List what would be removed; remove nothing." };
        var all = new Option<bool>("--all") { Description = "Also remove what sessions still running (or on another machine) created." };
        var command = new Command("down", "Remove the containers and networks DockScript sessions left behind, and nothing else.") { dryRun, all };
        command.SetAction((parse, _) => Program.Guarded(() => DownAsync(parse.GetValue(dryRun), parse.GetValue(all), interrupt.Token)));
        return command;
    }

    private static async Task<int> DownAsync(bool dryRun, bool all, CancellationToken ct)
    {
        if (await EngineSession.StartAsync(ct).ConfigureAwait(false) is not { } lab)
        {
            return ExitCodes.EngineUnavailable;
        }
        await using (lab.ConfigureAwait(false))
        {
            IReadOnlyList<LeftoverSession> sessions;
            try
            {
                sessions = await Leftovers.FindAsync(lab, ct).ConfigureAwait(false);
            }
            catch (DockScriptException e)
            {
                await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return ExitCodes.EngineUnavailable;
            }
            int containers = 0, networks = 0, removedSessions = 0, kept = 0;
            foreach (var session in sessions)
            {
                if (!session.RemovedBy(all))
                {
                    kept++;
                    await Console.Out.WriteLineAsync($"kept session {session.SessionId}: {session.What}; {session.Why} (use --all to remove it too)").ConfigureAwait(false);
                    continue;
                }
                if (dryRun)
                {
                    await Console.Out.WriteLineAsync($"would remove session {session.SessionId}: {session.What}; {session.Why}").ConfigureAwait(false);
                    (containers, networks, removedSessions) = (containers + session.Containers.Count, networks + session.Networks.Count, removedSessions + 1);
                    continue;
                }
                var report = await Leftovers.RemoveAsync(lab, session, ct).ConfigureAwait(false);
                await Console.Out.WriteLineAsync($"session {session.SessionId}: {report}; {session.Why}").ConfigureAwait(false);
                (containers, networks, removedSessions) = (containers + report.Containers.Count, networks + report.Networks.Count, removedSessions + 1);
            }
            try
            {
                foreach (var link in await Leftovers.FindLinksAsync(lab, ct).ConfigureAwait(false))
                {
                    if (!dryRun)
                    {
                        await Leftovers.RemoveLinksAsync(lab, [link], ct).ConfigureAwait(false);
                    }
                    await Console.Out.WriteLineAsync($"{(dryRun ? "would remove" : "removed")} link {link} from the host; its outside server is gone").ConfigureAwait(false);
                }
            }
            catch (DockScriptException e)
            {
                // An engine that refuses a host-network container cannot have masquerade links either.
                await Console.Error.WriteLineAsync($"note: could not look for leftover masquerade links: {e.Message}").ConfigureAwait(false);
            }
            var verb = dryRun ? "would remove" : "removed";
            var keptText = kept == 0 ? "" : $"; kept {Count(kept, "session")} that may still be running";
            await Console.Out.WriteLineAsync($"down: {verb} {Count(containers, "container")} and {Count(networks, "network")} from {Count(removedSessions, "session")}{keptText}").ConfigureAwait(false);
            return ExitCodes.Success;
        }
    }

    internal static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
