namespace DockScript;

/// <summary>
/// The one way from DockScript to the engine, after testcontainers-dotnet's <c>Clients/</c>: one
/// small class per concern, each speaking DockScript's own records. Nothing outside Engine/
/// touches Docker.DotNet (except <see cref="Lab.Docker"/>, the documented escape hatch for
/// scripts); every failure leaves here as a <see cref="DockScriptException"/> sentence
/// (<see cref="EngineErrors"/>); every change is announced (<see cref="EngineChanges"/>).
/// </summary>
internal sealed class DockerGateway(DockerEngine engine)
{
    public ContainerOperations Containers { get; } = new(engine);

    public NetworkOperations Networks { get; } = new(engine);

    public ImageOperations Images { get; } = new(engine);

    public ExecOperations Exec { get; } = new(engine);

    public ArchiveOperations Archive { get; } = new(engine);

    public EventOperations Events { get; } = new(engine);

    public SwarmOperations Swarm { get; } = new(engine);
}
