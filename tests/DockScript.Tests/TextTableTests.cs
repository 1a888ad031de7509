namespace DockScript.Tests;

public class TextTableTests
{
    [Fact]
    public void Columns_are_padded_to_the_widest_cell_plus_three_spaces()
    {
        var text = TextTable.Render(["NAME", "IP"], [["nginx1", "172.17.0.2"], ["db", "172.17.0.3"]]);

        Assert.Equal(
            "NAME     IP\n" +
            "nginx1   172.17.0.2\n" +
            "db       172.17.0.3",
            text);
    }

    [Fact]
    public void Empty_trailing_cells_leave_no_trailing_spaces()
    {
        var text = TextTable.Render(["ID", "NAME", "INTERNAL"], [["abc", "lab-net", ""], ["def", "x", "yes"]]);

        Assert.Equal(
            "ID    NAME      INTERNAL\n" +
            "abc   lab-net\n" +
            "def   x         yes",
            text);
        Assert.DoesNotContain(text.Split('\n'), line => line.EndsWith(' '));
    }

    [Fact]
    public void Short_rows_are_filled_with_empty_cells()
    {
        var text = TextTable.Render(["A", "B", "C"], [["1"], ["22", "333", "4"]]);

        Assert.Equal(
            "A    B     C\n" +
            "1\n" +
            "22   333   4",
            text);
    }

    [Fact]
    public void Headers_alone_render_one_line()
    {
        Assert.Equal("NETWORK ID   NAME", TextTable.Render(["NETWORK ID", "NAME"], []));
    }
}
