using TrainingApis.Core.Http;

namespace TrainingApis.Core.Tests.Http;

public sealed class BaseAddressRulesTests
{
    [Theory]
    [InlineData("https://api.symtrain.com/")]
    [InlineData("https://example.com:8443/base/")]
    [InlineData("http://localhost/")]
    [InlineData("http://localhost:5000/")]
    [InlineData("http://127.0.0.1:8080/")]
    [InlineData("http://127.1.2.3/")]
    [InlineData("http://[::1]:9000/")]
    public void Https_anywhere_and_http_to_loopback_are_accepted(string address)
    {
        BaseAddressRules.GetProblem(new Uri(address)).Should().BeNull();
        var act = () => BaseAddressRules.ThrowIfInvalid(new Uri(address), "baseAddress");
        act.Should().NotThrow();
    }

    [Theory]
    [InlineData("http://api.symtrain.com/", "must use https; plain http is allowed only for loopback hosts")]
    [InlineData("http://192.168.1.10/", "only for loopback hosts")]
    [InlineData("http://localhost.example.com/", "only for loopback hosts")]
    [InlineData("ftp://example.com/", "must use https (was scheme 'ftp')")]
    [InlineData("ws://localhost/", "must use https")]
    public void Other_addresses_are_refused(string address, string expected)
    {
        BaseAddressRules.GetProblem(new Uri(address)).Should().Contain(expected);
        var act = () => BaseAddressRules.ThrowIfInvalid(new Uri(address), "baseAddress");
        act.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("baseAddress");
    }

    [Fact]
    public void A_relative_address_is_refused()
    {
        BaseAddressRules.GetProblem(new Uri("v2/", UriKind.Relative)).Should().Contain("absolute");
    }

    [Fact]
    public void The_problem_does_not_repeat_a_path_or_query()
    {
        BaseAddressRules.GetProblem(new Uri("http://example.com/x?apiKey=secret-value"))!.Should().NotContain("secret-value");
    }
}
