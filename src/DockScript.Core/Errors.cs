namespace DockScript;

/// <summary>
/// A mistake in how DockScript was used, or a state of the engine that stops the request.
/// The message is one actionable sentence, meant to be printed as it is.
/// </summary>
public class DockScriptException : Exception
{
    /// <summary>Creates the exception with its one-sentence message.</summary>
    public DockScriptException(string message, Exception? inner = null) : base(message, inner) { }

    /// <summary>The engine's HTTP status, when the engine refused the request (set by the gateway).</summary>
    internal System.Net.HttpStatusCode? Status { get; set; }

    /// <summary>The engine's own words, when the engine refused the request (set by the gateway).</summary>
    internal string? EngineSays { get; set; }
}

/// <summary>No Docker engine answers at the configured endpoint.</summary>
public sealed class EngineUnavailableException(string message, Exception? inner = null)
    : DockScriptException(message, inner);

/// <summary>A container or network that was asked for by name or id does not exist.</summary>
public sealed class NotFoundException(string message) : DockScriptException(message);

/// <summary>A name is already taken, or a resource is not DockScript's to change.</summary>
public sealed class ConflictException(string message) : DockScriptException(message);

/// <summary>An image is not on the engine and cannot be pulled or built.</summary>
public sealed class ImageUnavailableException(string message, Exception? inner = null)
    : DockScriptException(message, inner);
