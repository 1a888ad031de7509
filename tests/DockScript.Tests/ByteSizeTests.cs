namespace DockScript.Tests;

public class ByteSizeTests
{
    [Theory]
    [InlineData(0UL, "0 B")]
    [InlineData(656UL, "656 B")]
    [InlineData(1023UL, "1023 B")]
    [InlineData(1024UL, "1.0 KB")]
    [InlineData(1256UL, "1.2 KB")]
    [InlineData(3565158UL, "3.4 MB")]
    [InlineData(1048575UL, "1.0 MB")]
    [InlineData(5368709120UL, "5.0 GB")]
    [InlineData(ulong.MaxValue, "16.0 EB")]
    public void Formats_with_1024_based_units_and_one_decimal(ulong bytes, string expected)
    {
        Assert.Equal(expected, ByteSize.Format(bytes));
    }
}
