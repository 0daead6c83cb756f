namespace TrainingApis.Testing;

/// <summary>Linked into the Core, Symtrain and Senar suites, which run twice: on the library builds for net10.0 and for net8.0, each on its own runtime.</summary>
public sealed class TargetRuntimeTests
{
    [Fact]
    public void The_suite_runs_on_the_runtime_of_the_build_it_tests()
    {
#if NET10_0
        Environment.Version.Major.Should().Be(10);
#elif NET8_0
        Environment.Version.Major.Should().Be(8, "the net8.0 build runs on the .NET 8 runtime it carries");
#else
        throw new PlatformNotSupportedException("A target framework this suite is not built for.");
#endif
    }
}
