using System.CommandLine;
using System.CommandLine.Parsing;
using System.Runtime.InteropServices;

namespace DockScript.Cli;

/// <summary>The <c>dockscript</c> command line.</summary>
public static class Program
{
    private static readonly string[] Commands = ["run", "check", "down", "doctor", "explain", "repl"];

    /// <summary>Parses the arguments and runs the chosen command; the only place that decides the exit code.</summary>
    public static async Task<int> Main(string[] args)
    {
        // The REPL owns Ctrl+C (it cancels the running submission, never the session), so it
        // starts before the signal handlers below exist.
        if (Repl.ReplCommand.Handles(args))
        {
            Repl.StartupTrace.Mark("main");
            return await Repl.ReplCommand.MainAsync(args).ConfigureAwait(false);
        }
        using var interrupt = new Interrupt();
        var root = new RootCommand("DockScript: C# scripts and a REPL for Docker network experiments.")
        {
            RunCommand.Create(interrupt),
            CheckCommand.Create(interrupt),
            DownCommand.Create(interrupt),
            DoctorCommand.Create(interrupt),
            ExplainCommand.Create(interrupt),
            Repl.ReplCommand.Create(),
        };
        var parsed = root.Parse(Shorthand(args));
        // "Unrecognized …" names the actual mistake; "Required command was not provided" is only its consequence.
        var error = parsed.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal))?.Message
            ?? StrayOption(parsed) ?? (parsed.Errors.Count > 0 ? parsed.Errors[0].Message : null);
        if (error is not null)
        {
            // One sentence instead of the full help text: the user knows where to find that.
            var command = parsed.CommandResult.Command is RootCommand ? "dockscript" : $"dockscript {parsed.CommandResult.Command.Name}";
            await Console.Error.WriteLineAsync($"error: {error.TrimEnd('.')}; see '{command} --help'.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        // Ctrl+C is ours (Interrupt): the run command cleans up before it exits, and a second Ctrl+C quits at once.
        var code = await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }).ConfigureAwait(false);
        return interrupt.Signal is { } signal && code != ExitCodes.Usage ? Interrupt.ExitCodeOf(signal) : code;
    }

    /// <summary>
    /// The boundary of every command: an interruption is exit 130, and a DockScript error that
    /// escaped a command (the engine went away during <c>down</c>) is its one sentence, never a stack.
    /// </summary>
    internal static async Task<int> Guarded(Func<Task<int>> command)
    {
        try
        {
            return await command().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Interrupted;
        }
        catch (DockScriptException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return e is EngineUnavailableException ? ExitCodes.EngineUnavailable : ExitCodes.RuntimeError;
        }
    }

    /// <summary>
    /// An unknown <c>--option</c> before <c>--</c>. System.CommandLine would bind it to the script
    /// path or the script's arguments; only after <c>--</c> may an argument look like an option.
    /// </summary>
    internal static string? StrayOption(ParseResult parsed)
    {
        foreach (var token in parsed.Tokens)
        {
            if (token.Type == TokenType.DoubleDash)
            {
                return null;
            }
            if (token.Type == TokenType.Argument && token.Value.Length > 1 && token.Value.StartsWith('-'))
            {
                return parsed.CommandResult.Command.Name == "run"
                    ? $"Unrecognized option '{token.Value}' (arguments for the script go after --)"
                    : $"Unrecognized option '{token.Value}'";
            }
        }
        return null;
    }

    /// <summary>
    /// <c>dockscript FILE.csx a b</c> means <c>dockscript run FILE.csx -- a b</c>, which is what a
    /// script with a <c>#!/usr/bin/env dockscript</c> line executes as. Everything after the file
    /// belongs to the script.
    /// </summary>
    internal static string[] Shorthand(string[] args)
    {
        if (args.Length == 0 || args[0].StartsWith('-') || Commands.Contains(args[0])
            || !(args[0].EndsWith(".csx", StringComparison.OrdinalIgnoreCase) || File.Exists(args[0])))
        {
            return args;
        }
        var rest = args.Skip(1).SkipWhile((a, i) => i == 0 && a == "--");
        return ["run", args[0], "--", .. rest];
    }

    /// <summary>
    /// How the REPL ends when it is not asked to: the terminal closed (SIGHUP), SIGTERM, or an
    /// exception on a thread of its own that the runtime will not survive. Each runs the REPL's
    /// shutdown (bounded; it removes what the session created) before the process ends.
    /// </summary>
    internal sealed class Ending : IDisposable
    {
        /// <summary>The REPL's own bounds are 10 s for a straggler and 10 s for cleanup; this only guards against a hang.</summary>
        private static readonly TimeSpan Bound = TimeSpan.FromSeconds(25);
        private readonly Func<Task> shutdown;
        private readonly PosixSignalRegistration[] registrations;

        public Ending(Func<Task> shutdown)
        {
            this.shutdown = shutdown;
            registrations = [PosixSignalRegistration.Create(PosixSignal.SIGHUP, On), PosixSignalRegistration.Create(PosixSignal.SIGTERM, On)];
            AppDomain.CurrentDomain.UnhandledException += OnCrash;
        }

        private void On(PosixSignalContext context)
        {
            context.Cancel = true;
            Finish();
            Environment.Exit(context.Signal == PosixSignal.SIGHUP ? ExitCodes.HangUp : ExitCodes.Terminated);
        }

        private void OnCrash(object? sender, UnhandledExceptionEventArgs e)
        {
            Interrupt.TryWriteError($"The REPL crashed ({(e.ExceptionObject as Exception)?.GetType().Name}: {(e.ExceptionObject as Exception)?.Message}); removing what this session created.");
            Finish();
        }

        private void Finish()
        {
            try
            {
                shutdown().Wait(Bound);
            }
            catch (AggregateException)
            {
                // The shutdown reports its own failures; the process ends either way.
            }
        }

        public void Dispose()
        {
            AppDomain.CurrentDomain.UnhandledException -= OnCrash;
            foreach (var r in registrations)
            {
                r.Dispose();
            }
        }
    }

    /// <summary>
    /// Two-stage Ctrl+C (and SIGTERM, and SIGHUP when the terminal closes): the first cancels the running command's token, so the Docker
    /// call in flight stops and cleanup runs; the second ends the process at once.
    /// </summary>
    internal sealed class Interrupt : IDisposable
    {
        private readonly CancellationTokenSource cts = new();
        private readonly PosixSignalRegistration[] registrations;
        private int count;

        public Interrupt() =>
            registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, On), PosixSignalRegistration.Create(PosixSignal.SIGTERM, On), PosixSignalRegistration.Create(PosixSignal.SIGHUP, On)];

        /// <summary>Cancelled by the first Ctrl+C, SIGTERM or SIGHUP.</summary>
        public CancellationToken Token => cts.Token;

        /// <summary>The first signal received, if any.</summary>
        public PosixSignal? Signal { get; private set; }

        public static int ExitCodeOf(PosixSignal signal) =>
            signal == PosixSignal.SIGTERM ? ExitCodes.Terminated : signal == PosixSignal.SIGHUP ? ExitCodes.HangUp : ExitCodes.Interrupted;

        /// <summary>Writes to stderr, which is gone when the terminal closed (SIGHUP): the cleanup after it must still run.</summary>
        public static void TryWriteError(string line)
        {
            try
            {
                Console.Error.WriteLine(line);
            }
            catch (IOException)
            {
            }
        }

        private void On(PosixSignalContext context)
        {
            context.Cancel = true;
            if (Interlocked.Increment(ref count) == 1)
            {
                Signal = context.Signal;
                TryWriteError("interrupted: stopping and removing what this session created (Ctrl+C again to quit at once)");
                cts.Cancel();
                return;
            }
            TryWriteError("interrupted again: quitting without cleanup; 'dockscript down' removes what is left");
            Environment.Exit(ExitCodeOf(context.Signal));
        }

        public void Dispose()
        {
            foreach (var r in registrations)
            {
                r.Dispose();
            }
            cts.Dispose();
        }
    }
}
