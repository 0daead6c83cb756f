using System.Net;
using System.Text;
using Symtrain.Client.Users;
using TrainingApis.Core;

namespace Symtrain.Client.Tests.Users;

/// <summary>A 5xx answer to an upload does not prove it was not processed: it is not advertised as safe to retry.</summary>
public sealed class UploadErrorStatusTests
{
    private const string Csv = "firstName,lastName,username,email,role,teamName,status,action\nZoe,Nunez,zoe@example.com,zoe@example.com,trainee,Ops,ACTIVE,Add\n";

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public async Task A_5xx_answer_to_an_upload_is_sent_once_and_not_transient(HttpStatusCode status)
    {
        using var harness = new Harness((_, _) => new HttpResponseMessage(status) { Content = new StringContent("""{"message":"upstream failed"}""", Encoding.UTF8, "application/json") });

        var file = () => harness.Client.Users.BulkImportCsvAsync("org-1", new MemoryStream(Encoding.UTF8.GetBytes(Csv)));
        var rows = () => harness.Client.Users.BulkImportAsync("org-1", [new BulkImportRow { FirstName = "F", LastName = "L", Email = "f@example.com" }]);

        foreach (var upload in new[] { file, rows })
        {
            var error = (await upload.Should().ThrowAsync<ApiException>()).Which;
            error.StatusCode.Should().Be(status);
            error.IsTransient.Should().BeFalse();
            error.Message.Should().Contain("outcome is unknown");
        }

        harness.Handler.Count.Should().Be(2);
    }

    [Fact]
    public async Task A_5xx_answer_to_an_idempotent_read_stays_transient_and_a_429_to_an_upload_too()
    {
        using var status = new Harness((_, _) => new HttpResponseMessage(HttpStatusCode.BadGateway), o => o.Retry = new RetryOptions { MaxRetries = 0 });
        using var limited = new Harness((_, _) => new HttpResponseMessage(HttpStatusCode.TooManyRequests), o => o.Retry = new RetryOptions { MaxRetries = 0 });

        var read = () => status.Client.Users.GetBulkImportStatusAsync("org-1", "task-1");
        var upload = () => limited.Client.Users.BulkImportCsvAsync("org-1", new MemoryStream(Encoding.UTF8.GetBytes(Csv)));

        var readError = (await read.Should().ThrowAsync<ApiException>()).Which;
        readError.IsTransient.Should().BeTrue();
        readError.Message.Should().NotContain("outcome is unknown");
        (await upload.Should().ThrowAsync<ApiException>()).Which.IsTransient.Should().BeTrue();
    }
}
