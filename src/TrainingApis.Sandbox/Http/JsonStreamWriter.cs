using System.IO.Pipelines;
using System.Text.Json;
using TrainingApis.Sandbox.Json;

namespace TrainingApis.Sandbox.Http;

/// <summary>
/// Writes a large JSON response straight to the connection, a chunk at a time, so memory stays flat however many rows
/// there are (200,000 Senar activities, a long report page).
/// </summary>
internal sealed class JsonStreamWriter : IAsyncDisposable
{
    private const int FlushThreshold = 32 * 1024;
    private readonly PipeWriter _pipe;
    private readonly CancellationToken _cancellationToken;
    private long _flushed;

    public JsonStreamWriter(HttpContext context, int statusCode = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = Responses.JsonContentType;
        _pipe = context.Response.BodyWriter;
        _cancellationToken = context.RequestAborted;
        Writer = new Utf8JsonWriter(_pipe, SandboxJsonContext.WriterOptions);
    }

    public Utf8JsonWriter Writer { get; }

    /// <summary>Sends what has been written once enough has piled up.</summary>
    public async ValueTask FlushIfNeededAsync()
    {
        // Not BytesPending alone: over a PipeWriter the JSON writer commits each filled segment itself, so pending bytes
        // stay small while unflushed ones pile up in the pipe. Flushing also waits while the client is slow (backpressure).
        if (Writer.BytesCommitted + Writer.BytesPending - _flushed >= FlushThreshold)
        {
            Writer.Flush();
            await _pipe.FlushAsync(_cancellationToken);
            _flushed = Writer.BytesCommitted;
        }
    }

    public async ValueTask CompleteAsync()
    {
        Writer.Flush();
        await _pipe.FlushAsync(_cancellationToken);
    }

    public ValueTask DisposeAsync() => Writer.DisposeAsync();
}
