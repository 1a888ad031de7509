using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace DockScript.Scripting.Repl;

/// <summary>
/// The editor's view of the session: a Roslyn workspace in which each accepted submission is a
/// script project referencing the one before (the way the compiler chains submissions), plus
/// one more project for the text being typed. Completion, highlighting and signature help all
/// ask this document, so a variable declared three submissions ago is known, and coloured.
/// </summary>
public sealed class SubmissionWorkspace : IDisposable
{
    private readonly AdhocWorkspace workspace = new();
    private readonly Lock gate = new();
    private readonly IReadOnlyList<MetadataReference> references;
    private readonly CSharpCompilationOptions options;
    private ProjectId? previous;
    private DocumentId current;
    private int count;

    /// <summary>Creates the workspace with the DockScript references and imports.</summary>
    public SubmissionWorkspace()
    {
        references = References();
        options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, usings: ScriptHost.Imports, nullableContextOptions: NullableContextOptions.Disable);
        current = AddSubmission("");
    }

    /// <summary>The document for the text being typed, with <paramref name="text"/> as its content.</summary>
    public Document Current(string text)
    {
        lock (gate)
        {
            var solution = workspace.CurrentSolution;
            var document = solution.GetDocument(current)!;
            var source = SourceText.From(text);
            if (document.TryGetText(out var old) && old.ContentEquals(source))
            {
                return document;
            }
            // Not applied to the workspace: a keystroke's document lives only as long as its request.
            return solution.WithDocumentText(current, source).GetDocument(current)!;
        }
    }

    /// <summary>Records an evaluated submission, so the next one sees what it declared.</summary>
    public void Accept(string text)
    {
        lock (gate)
        {
            var solution = workspace.CurrentSolution.WithDocumentText(current, SourceText.From(text));
            workspace.TryApplyChanges(solution);
            previous = current.ProjectId;
            current = AddSubmission("");
        }
    }

    /// <summary>Forgets every submission (the REPL's <c>#reset</c>).</summary>
    public void Reset()
    {
        lock (gate)
        {
            workspace.ClearSolution();
            previous = null;
            current = AddSubmission("");
        }
    }

    private DocumentId AddSubmission(string text)
    {
        count++;
        var project = ProjectInfo.Create(
                ProjectId.CreateNewId(), VersionStamp.Create(), $"Submission{count}", $"Submission{count}", LanguageNames.CSharp,
                isSubmission: true, hostObjectType: typeof(ScriptGlobals))
            .WithCompilationOptions(options)
            .WithParseOptions(LiveNameSite.ParseOptions)
            .WithMetadataReferences(references)
            .WithProjectReferences(previous is null ? [] : [new ProjectReference(previous)]);
        var document = DocumentInfo.Create(
            DocumentId.CreateNewId(project.Id), $"Submission{count}.csx", sourceCodeKind: SourceCodeKind.Script,
            loader: TextLoader.From(TextAndVersion.Create(SourceText.From(text), VersionStamp.Create())));
        var solution = workspace.CurrentSolution.AddProject(project).AddDocument(document);
        workspace.TryApplyChanges(solution);
        return document.Id;
    }

    /// <summary>
    /// What submissions compile against: the framework assemblies a script uses, and DockScript's
    /// own with their XML documentation, which is what completion tooltips show.
    /// </summary>
    private static IReadOnlyList<MetadataReference> References()
    {
        var trusted = ((AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string) ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .GroupBy(p => Path.GetFileNameWithoutExtension(p), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        string[] framework =
        [
            "System.Private.CoreLib", "System.Runtime", "netstandard", "System.Collections", "System.Collections.Concurrent",
            "System.Linq", "System.Console", "System.Threading", "System.Threading.Tasks", "System.Net.Primitives",
            "System.Text.RegularExpressions", "System.Private.Uri", "System.Runtime.Extensions", "System.ObjectModel",
            "System.Memory", "System.Net.Http", "System.IO", "System.Linq.Expressions", "System.ComponentModel.Primitives",
        ];
        var list = new List<MetadataReference>();
        foreach (var name in framework)
        {
            if (trusted.TryGetValue(name, out var path) && File.Exists(path))
            {
                list.Add(WithDocs(path));
            }
        }
        foreach (var assembly in new[] { typeof(Lab).Assembly, typeof(ScriptGlobals).Assembly, typeof(Docker.DotNet.DockerClient).Assembly })
        {
            if (Location(assembly) is { } path)
            {
                list.Add(WithDocs(path));
            }
        }
        return list;
    }

    private static string? Location(Assembly assembly)
    {
        var path = assembly.Location;
        if (string.IsNullOrEmpty(path))
        {
            path = Path.Combine(AppContext.BaseDirectory, assembly.GetName().Name + ".dll");
        }
        return File.Exists(path) ? path : null;
    }

    private static PortableExecutableReference WithDocs(string path)
    {
        var xml = Path.ChangeExtension(path, ".xml");
        return MetadataReference.CreateFromFile(path, documentation: File.Exists(xml) ? XmlDocumentationProvider.CreateFromFile(xml) : null);
    }

    /// <inheritdoc/>
    public void Dispose() => workspace.Dispose();
}
