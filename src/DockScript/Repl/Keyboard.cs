using System.Text;
using PrettyPrompt.Consoles;

namespace DockScript.Cli.Repl;

/// <summary>
/// The terminal as the line editor sees it, with every Enter kept as its own key press.
/// </summary>
/// <remarks>
/// PrettyPrompt reads keys that arrive together (a paste, <c>tmux send-keys 'Containers' Enter</c>,
/// a fast typist) as one "pasted text" event: the Enters inside it become new lines of the
/// same submission, and keys it read after the Enter that ends a prompt are dropped with its
/// reader. Here the keys that are waiting are taken from the terminal into a queue, and the
/// editor is told "nothing more is waiting" at each Enter. So the text before an Enter arrives
/// on its own, the Enter as a key of its own (it runs a complete submission, or adds a line
/// to an unfinished one, as when typed), and the keys after it wait here for the next prompt.
/// A few keys that merely queued up (typing while the editor was busy) are handed over one by
/// one, as typed, so the completion list opens as it would; only a real paste (a long run) is
/// handed over as one.
/// </remarks>
internal sealed class Keyboard(IConsole terminal) : IConsole
{
    /// <summary>Fewer keys than this before the next Enter are typing that queued up, not a paste.</summary>
    private const int PasteLength = 16;

    private readonly Queue<(ConsoleKeyInfo Key, bool Waited)> waiting = new();
    private bool lastWasEnter;
    private bool pasting;

    /// <summary>
    /// True when the key just read had been waiting (it came with others, or while the editor was
    /// busy) rather than typed at a prompt that was ready for it.
    /// </summary>
    public bool LastKeyWaited { get; private set; }

    public ConsoleKeyInfo ReadKey(bool intercept)
    {
        if (waiting.Count == 0)
        {
            var key = terminal.ReadKey(intercept);
            waiting.Enqueue((key, terminal.KeyAvailable));
            Drain(intercept);
        }
        var (next, waited) = waiting.Dequeue();
        if (next.KeyChar == '\n')
        {
            // Keys typed before the terminal left line mode (a paste as the REPL starts) had their
            // Enter turned into a line feed, which reads as Ctrl+Enter ("run even if unfinished").
            next = new ConsoleKeyInfo('\r', ConsoleKey.Enter, shift: false, alt: false, control: false);
        }
        LastKeyWaited = waited;
        lastWasEnter = next.Key == ConsoleKey.Enter;
        if (lastWasEnter || waiting.Count == 0)
        {
            pasting = false;
        }
        return next;
    }

    public bool KeyAvailable
    {
        get
        {
            if (lastWasEnter)
            {
                // An Enter ends what the editor reads in one go: it is handled before the keys after it.
                return false;
            }
            Drain(intercept: true);
            var beforeEnter = waiting.TakeWhile(k => k.Key.Key != ConsoleKey.Enter).Count();
            pasting = beforeEnter > 0 && (pasting || beforeEnter >= PasteLength);
            return pasting;
        }
    }

    private void Drain(bool intercept)
    {
        while (terminal.KeyAvailable)
        {
            waiting.Enqueue((terminal.ReadKey(intercept), true));
        }
    }

    public int CursorTop => terminal.CursorTop;
    public int BufferWidth => terminal.BufferWidth;
    public int WindowHeight => terminal.WindowHeight;
    public int WindowTop => terminal.WindowTop;
    public bool IsErrorRedirected => terminal.IsErrorRedirected;

    public bool CaptureControlC
    {
        get => terminal.CaptureControlC;
        set => terminal.CaptureControlC = value;
    }

    public event ConsoleCancelEventHandler CancelKeyPress
    {
        add => terminal.CancelKeyPress += value;
        remove => terminal.CancelKeyPress -= value;
    }

    public void Write(string? value) => terminal.Write(value);
    public void WriteLine(string? value) => terminal.WriteLine(value);
    public void WriteError(string? value) => terminal.WriteError(value);
    public void WriteErrorLine(string? value) => terminal.WriteErrorLine(value);
    public void Write(ReadOnlySpan<char> value) => terminal.Write(value);
    public void WriteLine(ReadOnlySpan<char> value) => terminal.WriteLine(value);
    public void WriteError(ReadOnlySpan<char> value) => terminal.WriteError(value);
    public void WriteErrorLine(ReadOnlySpan<char> value) => terminal.WriteErrorLine(value);
    public void Write(StringBuilder value, bool flush) => terminal.Write(value, flush);
    public void WriteLine(StringBuilder value, bool flush) => terminal.WriteLine(value, flush);
    public void WriteError(StringBuilder value, bool flush) => terminal.WriteError(value, flush);
    public void WriteErrorLine(StringBuilder value, bool flush) => terminal.WriteErrorLine(value, flush);
    public void Clear() => terminal.Clear();
    public void ShowCursor() => terminal.ShowCursor();
    public void HideCursor() => terminal.HideCursor();
    public void InitVirtualTerminalProcessing() => terminal.InitVirtualTerminalProcessing();
}
