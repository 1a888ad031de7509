using DockScript.Scripting.Repl;
using PrettyPrompt;
using PrettyPrompt.Completion;
using PrettyPrompt.Consoles;
using PrettyPrompt.Highlighting;
using PromptSpan = PrettyPrompt.Documents.TextSpan;

namespace DockScript.Cli.Repl;

/// <summary>
/// Connects PrettyPrompt to the REPL services: colours, completion, signature help, and the
/// keys (Enter runs a complete submission and adds a line to an incomplete one; Ctrl+D on an
/// empty prompt exits). Until the services are warm it answers with nothing rather than make
/// a keystroke wait.
/// </summary>
internal sealed class ReplPrompt(Func<ReplServices?> services, ILiveNames liveNames, Keyboard keyboard) : PromptCallbacks
{
    /// <summary>What the Ctrl+D callback returns; the loop takes it as "exit".</summary>
    public const string ExitRequest = "\u0004exit";

    private static readonly bool NoColor = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));

    public static PromptConfiguration Configuration() => new(
        keyBindings: new KeyBindings(
            commitCompletion: new KeyPressPatterns([new(ConsoleKey.Enter), new(ConsoleKey.Tab), new(ConsoleModifiers.Shift, ConsoleKey.Enter)]),
            // On Linux terminals Ctrl+Space arrives as Ctrl+2 (NUL).
            triggerCompletionList: new KeyPressPatterns([new(ConsoleModifiers.Control, ConsoleKey.Spacebar), new(ConsoleModifiers.Control, ConsoleKey.D2)]),
            newLine: new KeyPressPatterns([new(ConsoleModifiers.Shift, ConsoleKey.Enter), new(ConsoleModifiers.Alt, ConsoleKey.Enter)]),
            submitPrompt: new KeyPressPatterns([new(ConsoleKey.Enter), new(ConsoleModifiers.Control, ConsoleKey.Enter)]),
            // Signature help opens as a call's arguments begin, and on Ctrl+Shift+Space.
            triggerOverloadList: new KeyPressPatterns([new('('), new(','), new(ConsoleModifiers.Control | ConsoleModifiers.Shift, ConsoleKey.Spacebar)])),
        prompt: NoColor ? new FormattedString("> ") : new FormattedString("> ", new FormatSpan(0, 1, AnsiColor.BrightBlue)),
        maxCompletionItemsCount: 12);

    protected override IEnumerable<(KeyPressPattern Pattern, KeyPressCallbackAsync Callback)> GetKeyPressCallbacks()
    {
        yield return (new KeyPressPattern(ConsoleModifiers.Control, ConsoleKey.D), (text, caret, ct) =>
            Task.FromResult<KeyPressCallbackResult?>(text.Length == 0 ? new KeyPressCallbackResult(text, ExitRequest) : null));
    }

    protected override async Task<KeyPress> TransformKeyPressAsync(string text, int caret, KeyPress keyPress, CancellationToken cancellationToken)
    {
        switch (keyPress.ConsoleKeyInfo)
        {
            // Enter on an unfinished submission (an open brace, a dangling operator) adds a line instead of running it.
            case { Key: ConsoleKey.Enter, Modifiers: 0 } when !ReplServices.IsComplete(text):
                return new KeyPress(ConsoleKey.Enter.ToKeyInfo('\r', shift: true, alt: false, control: false), null!);
            // Tab with no list open (an open list takes it before this): completes the word before the caret.
            case { Key: ConsoleKey.Tab, Modifiers: 0 } when AfterWord(text, caret):
                return await TabAsync(text, caret, cancellationToken).ConfigureAwait(false);
            default:
                // At the start of a line or after a space, Tab indents.
                return keyPress;
        }
    }

    /// <summary>True after a name, a dot, or inside a live-name string or a meta-command line: where Tab completes rather than indents.</summary>
    private static bool AfterWord(string text, int caret) =>
        caret > 0 && (char.IsLetterOrDigit(text[caret - 1]) || text[caret - 1] is '_' or '.'
            || MetaCompletion.Find(text, caret) is not null || ReplServices.InLiveNameSite(text, caret));

    /// <summary>
    /// Tab after a word: when exactly one item continues what is typed, its rest is typed in;
    /// otherwise the list opens (as Ctrl+Space opens it).
    /// </summary>
    private async Task<KeyPress> TabAsync(string text, int caret, CancellationToken cancellationToken)
    {
        var span = Span(text, caret);
        var typed = text[span.Start..Math.Max(span.Start, caret)];
        var items = await ItemsAsync(text, caret, cancellationToken).ConfigureAwait(false);
        var fitting = items.Where(i => i.ReplacementText.StartsWith(typed, StringComparison.OrdinalIgnoreCase)).Take(2).ToList();
        if (fitting is [var only] && only.ReplacementText.StartsWith(typed, StringComparison.Ordinal) && only.ReplacementText.Length > typed.Length)
        {
            return new KeyPress(ConsoleKey.Insert.ToKeyInfo('\0', shift: true), only.ReplacementText[typed.Length..]);
        }
        return new KeyPress(new ConsoleKeyInfo('\0', ConsoleKey.Spacebar, shift: false, alt: false, control: true));
    }

    /// <summary>The span a completion replaces: a meta-command's word or path, or the C# name or live name.</summary>
    private static Microsoft.CodeAnalysis.Text.TextSpan Span(string text, int caret) =>
        MetaCompletion.Find(text, caret) is { } meta ? meta.Span : ReplServices.CompletionSpan(text, caret);

    /// <summary>The completion items at the caret: a meta-command line's, or the services' (none while they warm up).</summary>
    private async Task<IReadOnlyList<ReplCompletion>> ItemsAsync(string text, int caret, CancellationToken cancellationToken)
    {
        if (MetaCompletion.Find(text, caret) is { } meta)
        {
            return meta.Items;
        }
        if (ReplServices.LiveNameCompletions(liveNames, text, caret) is { } live)
        {
            return live;
        }
        if (services() is not { } ready)
        {
            return [];
        }
        return await Guarded(() => ready.CompleteAsync(text, caret, cancellationToken), (IReadOnlyList<ReplCompletion>)[]).ConfigureAwait(false);
    }

    /// <summary>
    /// Enter with the list open takes its item, except when the key means "run": the word is
    /// already typed out in full (<c>net.Containers⏎</c>, where taking the item would change
    /// nothing), or the Enter came with the text before it (a paste, a burst of keys). Then the
    /// key goes on to run the submission (when it is complete). The items are asked for afresh:
    /// the list on screen may still be loading.
    /// </summary>
    protected override async Task<bool> ConfirmCompletionCommit(string text, int caret, KeyPress keyPress, CancellationToken cancellationToken)
    {
        if (keyPress.ConsoleKeyInfo is not { Key: ConsoleKey.Enter, Modifiers: 0 } || !ReplServices.IsComplete(text))
        {
            return true;
        }
        return !(keyboard.LastKeyWaited || await TypedInFullAsync(text, caret, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>True when the word before the caret is, exactly, one of the completion items.</summary>
    private async Task<bool> TypedInFullAsync(string text, int caret, CancellationToken cancellationToken)
    {
        var span = Span(text, caret);
        if (span.Length == 0 || span.Start + span.Length != caret)
        {
            return false;
        }
        var word = text.Substring(span.Start, span.Length);
        var items = await ItemsAsync(text, caret, cancellationToken).ConfigureAwait(false);
        return items.Any(i => i.ReplacementText == word);
    }

    private Exception? failure;

    /// <summary>The last failure of a service behind the editor since the last call, if any; the loop reports it.</summary>
    public Exception? TakeFailure() => Interlocked.Exchange(ref failure, null);

    /// <summary>
    /// Runs a service for the editor. A service that fails (a Roslyn bug on odd input) must not
    /// take the line being typed with it: the editor gets nothing, and the loop says what failed.
    /// </summary>
    private async Task<T> Guarded<T>(Func<Task<T>> service, T nothing)
    {
        try
        {
            return await service().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return nothing;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            failure = e;
            return nothing;
        }
    }

    protected override async Task<IReadOnlyCollection<FormatSpan>> HighlightCallbackAsync(string text, CancellationToken cancellationToken)
    {
        if (NoColor || services() is not { } ready)
        {
            return [];
        }
        return await Guarded<IReadOnlyCollection<FormatSpan>>(async () =>
        {
            var highlights = await ready.HighlightAsync(text, cancellationToken).ConfigureAwait(false);
            return highlights
                .Select(h => (h, format: SyntaxColors.For(h.Classification)))
                .Where(x => x.format is not null)
                .Select(x => new FormatSpan(x.h.Start, x.h.Length, x.format!.Value))
                .ToList();
        }, []).ConfigureAwait(false);
    }

    protected override Task<PromptSpan> GetSpanToReplaceByCompletionAsync(string text, int caret, CancellationToken cancellationToken)
    {
        var span = Span(text, caret);
        return Task.FromResult(new PromptSpan(span.Start, span.Length));
    }

    /// <summary>
    /// The list opens by itself where a name is expected: after a dot or at a new word (Roslyn's
    /// rule, via the base), as soon as the quote of a live-name string or a <c>#load "</c> path is
    /// typed, and at the <c>#</c> of a meta-command.
    /// </summary>
    protected override async Task<bool> ShouldOpenCompletionWindowAsync(string text, int caret, KeyPress keyPress, CancellationToken cancellationToken)
    {
        if (MetaCompletion.Find(text, caret) is { } meta)
        {
            return meta.Items.Count > 0;
        }
        if (ReplServices.InLiveNameSite(text, caret))
        {
            return true;
        }
        if (services() is null)
        {
            return false;
        }
        return await base.ShouldOpenCompletionWindowAsync(text, caret, keyPress, cancellationToken).ConfigureAwait(false);
    }

    protected override async Task<IReadOnlyList<CompletionItem>> GetCompletionItemsAsync(string text, int caret, PromptSpan spanToBeReplaced, CancellationToken cancellationToken)
    {
        var items = await ItemsAsync(text, caret, cancellationToken).ConfigureAwait(false);
        return items.Select(i => new RankedItem(
                i.ReplacementText,
                Display(i),
                i.FilterText,
                async ct => new FormattedString(await Guarded(() => i.Description(ct), "").ConfigureAwait(false))))
            .ToList();
    }

    private static FormattedString Display(ReplCompletion item)
    {
        if (NoColor)
        {
            return new FormattedString(item.DisplayText);
        }
        var color = item.Kind switch
        {
            "Container" or "Network" => AnsiColor.BrightGreen,
            "Folder" => AnsiColor.BrightBlue,
            "Method" or "ExtensionMethod" => AnsiColor.BrightYellow,
            "Class" or "Structure" or "Interface" or "Enum" or "Delegate" or "Record" => AnsiColor.BrightCyan,
            "Local" or "Parameter" => AnsiColor.Cyan,
            "Keyword" => AnsiColor.BrightBlue,
            _ => (AnsiColor?)null,
        };
        return color is null ? new FormattedString(item.DisplayText) : new FormattedString(item.DisplayText, new FormatSpan(0, item.DisplayText.Length, color.Value));
    }

    protected override async Task<(IReadOnlyList<OverloadItem>, int ArgumentIndex)> GetOverloadsAsync(string text, int caret, CancellationToken cancellationToken)
    {
        if (services() is not { } ready)
        {
            return ([], 0);
        }
        var (overloads, argument) = await Guarded(() => ready.OverloadsAsync(text, caret, cancellationToken), ((IReadOnlyList<ReplOverload>)[], 0)).ConfigureAwait(false);
        return (overloads.Select(o => new OverloadItem(
                new FormattedString(o.Signature),
                new FormattedString(o.Summary),
                FormattedString.Empty,
                o.Parameters.Select(p => new OverloadItem.Parameter(p.Name, new FormattedString(p.Description))).ToList()))
            .ToList(), argument);
    }

    /// <summary>A completion item ranked by how the typed text matches it: exact prefix, prefix in any case, anywhere; else not at all.</summary>
    private sealed class RankedItem(string replacement, FormattedString display, string filter, CompletionItem.GetExtendedDescriptionHandler description)
        : CompletionItem(replacement, display, filter, description)
    {
        public override int GetCompletionItemPriority(string text, int caret, PromptSpan spanToBeReplaced)
        {
            if (spanToBeReplaced.IsEmpty)
            {
                return 0;
            }
            var typed = text.Substring(spanToBeReplaced.Start, Math.Min(spanToBeReplaced.Length, Math.Max(0, caret - spanToBeReplaced.Start)));
            if (typed.Length == 0)
            {
                return 0;
            }
            return FilterText.StartsWith(typed, StringComparison.Ordinal) ? 3000 - FilterText.Length
                : FilterText.StartsWith(typed, StringComparison.OrdinalIgnoreCase) ? 2000 - FilterText.Length
                : FilterText.Contains(typed, StringComparison.OrdinalIgnoreCase) ? 1000 - FilterText.Length
                : -1;
        }
    }
}
