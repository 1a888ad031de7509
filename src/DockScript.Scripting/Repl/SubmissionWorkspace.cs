using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
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
    private readonly AdhocWorkspace workspace = new(EditorHost.Services);
    private readonly Lock gate = new();
    private readonly IReadOnlyList<MetadataReference> references;
    private readonly CSharpCompilationOptions options;
    private ProjectId? previous;
    private DocumentId current;
    private int count;
    private Document? last;

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
            // One keystroke asks for colours, completion and signature help of the same text: the
            // same document answers all three, so its semantic model is built once.
            if (last is not null && last.TryGetText(out var seen) && seen.ToString() == text)
            {
                return last;
            }
            // Not applied to the workspace: a keystroke's document lives only until the next one.
            var solution = workspace.CurrentSolution;
            last = solution.WithDocumentText(current, SourceText.From(text)).GetDocument(current)!;
            return last;
        }
    }

    /// <summary>
    /// Records an evaluated submission, so the next one sees what it declared. One that declares
    /// nothing (a query such as <c>Networks.Count()</c>) changes nothing later code can see, and
    /// is left out: the chain, and the memory it holds, grows only with declarations.
    /// </summary>
    public void Accept(string text)
    {
        if (!Declares(text))
        {
            return;
        }
        lock (gate)
        {
            var solution = workspace.CurrentSolution.WithDocumentText(current, SourceText.From(text));
            workspace.TryApplyChanges(solution);
            previous = current.ProjectId;
            current = AddSubmission("");
            last = null;
        }
    }

    /// <summary>
    /// True when a submission declares something later submissions can name: a variable, a
    /// function, a type, a using directive or a reference. Errs on the side of true.
    /// </summary>
    public static bool Declares(string text)
    {
        var root = CSharpSyntaxTree.ParseText(text, LiveNameSite.ParseOptions).GetCompilationUnitRoot();
        if (root.Usings.Count > 0 || root.Externs.Count > 0 || root.GetReferenceDirectives().Count > 0 || root.GetLoadDirectives().Count > 0)
        {
            return true;
        }
        foreach (var member in root.Members)
        {
            if (member is not GlobalStatementSyntax global || global.Statement is LocalDeclarationStatementSyntax or LocalFunctionStatementSyntax)
            {
                return true;
            }
            // Pattern and out variables of a top-level statement become script fields too.
            var nested = global.Statement.DescendantNodes(n => n is not (LambdaExpressionSyntax or AnonymousMethodExpressionSyntax));
            if (nested.Any(n => n is SingleVariableDesignationSyntax or ParenthesizedVariableDesignationSyntax))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Forgets every submission (the REPL's <c>#reset</c>).</summary>
    public void Reset()
    {
        lock (gate)
        {
            workspace.ClearSolution();
            previous = null;
            current = AddSubmission("");
            last = null;
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
