namespace DockScript.Tests;

public class ImagesTests
{
    [Theory]
    [InlineData("nginx", "nginx", "latest")]
    [InlineData("nginx:1.25", "nginx", "1.25")]
    [InlineData("library/nginx:1.25-alpine", "library/nginx", "1.25-alpine")]
    [InlineData("localhost:5000/x", "localhost:5000/x", "latest")]
    [InlineData("localhost:5000/x:2", "localhost:5000/x", "2")]
    [InlineData("nginx@sha256:0123456789abcdef", "nginx@sha256:0123456789abcdef", "")]
    [InlineData("localhost:5000/x@sha256:abc", "localhost:5000/x@sha256:abc", "")]
    public void SplitReference_separates_repository_and_tag(string image, string repo, string tag)
    {
        Assert.Equal((repo, tag), Images.SplitReference(image));
    }
}
