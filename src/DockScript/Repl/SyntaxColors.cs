using Microsoft.CodeAnalysis.Classification;
using PrettyPrompt.Highlighting;

namespace DockScript.Cli.Repl;

/// <summary>The colours of Roslyn's classifications in the prompt.</summary>
internal static class SyntaxColors
{
    public static ConsoleFormat? For(string classification) => classification switch
    {
        ClassificationTypeNames.Keyword or ClassificationTypeNames.PreprocessorKeyword => Fg(AnsiColor.BrightBlue),
        ClassificationTypeNames.ControlKeyword => Fg(AnsiColor.BrightMagenta),
        ClassificationTypeNames.StringLiteral or ClassificationTypeNames.VerbatimStringLiteral => Fg(AnsiColor.Yellow),
        ClassificationTypeNames.StringEscapeCharacter => Fg(AnsiColor.BrightYellow),
        ClassificationTypeNames.NumericLiteral => Fg(AnsiColor.BrightGreen),
        ClassificationTypeNames.Comment or ClassificationTypeNames.XmlDocCommentText => Fg(AnsiColor.Green),
        ClassificationTypeNames.ClassName or ClassificationTypeNames.RecordClassName or ClassificationTypeNames.StructName
            or ClassificationTypeNames.RecordStructName or ClassificationTypeNames.InterfaceName or ClassificationTypeNames.EnumName
            or ClassificationTypeNames.DelegateName or ClassificationTypeNames.TypeParameterName => Fg(AnsiColor.BrightCyan),
        ClassificationTypeNames.MethodName or ClassificationTypeNames.ExtensionMethodName => Fg(AnsiColor.BrightYellow),
        ClassificationTypeNames.PropertyName or ClassificationTypeNames.FieldName or ClassificationTypeNames.EventName
            or ClassificationTypeNames.ConstantName or ClassificationTypeNames.EnumMemberName => Fg(AnsiColor.White),
        ClassificationTypeNames.LocalName or ClassificationTypeNames.ParameterName => Fg(AnsiColor.Cyan),
        _ => null,
    };

    private static ConsoleFormat Fg(AnsiColor color) => new(Foreground: color);
}
