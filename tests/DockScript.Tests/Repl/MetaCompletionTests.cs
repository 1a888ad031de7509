using DockScript.Cli.Repl;

namespace DockScript.Tests.Repl;

public class MetaCompletionTests
{
    [Fact]
    public void The_hash_lists_every_command_and_typing_narrows_it()
    {
        var (span, items) = MetaCompletion.Find("#", 1)!.Value;
        Assert.Equal(Meta.Commands.Order(), items.Select(i => i.ReplacementText).Order());
        Assert.Equal((1, 0), (span.Start, span.Length));

        (span, items) = MetaCompletion.Find("#sa", 3)!.Value;
        Assert.Equal("save", Assert.Single(items).ReplacementText);
        Assert.Equal((1, 2), (span.Start, span.Length));
    }

    [Fact]
    public void CSharp_and_other_commands_arguments_are_not_meta_completion()
    {
        Assert.Null(MetaCompletion.Find("var x = 1;", 3));
        Assert.Null(MetaCompletion.Find("#r \"lib.dll\"", 5));
        Assert.Null(MetaCompletion.Find("#debug on", 8));
        Assert.Null(MetaCompletion.Find("#help\n1", 2));
    }

    [Fact]
    public void Load_offers_folders_and_scripts_and_save_offers_every_file()
    {
        var root = Directory.CreateTempSubdirectory("dockscript-meta-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "labs"));
            File.WriteAllText(Path.Combine(root, "labs", "setup.csx"), "");
            File.WriteAllText(Path.Combine(root, "labs", "notes.txt"), "");
            File.WriteAllText(Path.Combine(root, "labs", ".hidden.csx"), "");

            var load = $"#load \"{root}/labs/";
            var (span, items) = MetaCompletion.Find(load, load.Length)!.Value;
            Assert.Equal(["setup.csx"], items.Select(i => i.ReplacementText));
            Assert.Equal((load.Length, 0), (span.Start, span.Length));

            var save = $"#save {root}/";
            (_, items) = MetaCompletion.Find(save, save.Length)!.Value;
            Assert.Equal(["labs/"], items.Select(i => i.ReplacementText));
            save = $"#save {root}/labs/no";
            (span, items) = MetaCompletion.Find(save, save.Length)!.Value;
            Assert.Equal(["notes.txt"], items.Select(i => i.ReplacementText));
            Assert.Equal((save.Length - 2, 2), (span.Start, span.Length));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
