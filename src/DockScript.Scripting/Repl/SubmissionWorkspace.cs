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
        references = ReplReferences.All;
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

    /// <inheritdoc/>
    public void Dispose() => workspace.Dispose();
}
