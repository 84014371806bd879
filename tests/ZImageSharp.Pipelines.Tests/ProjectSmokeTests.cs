namespace ZImageSharp.Pipelines.Tests;

public sealed class ProjectSmokeTests
{
    [Fact]
    public void PipelinesAssembly_Loads() => Assert.Equal("ZImageSharp.Pipelines", typeof(PipelinesAssembly).Assembly.GetName().Name);
}
