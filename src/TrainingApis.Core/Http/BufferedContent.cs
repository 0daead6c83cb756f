namespace TrainingApis.Core.Http;

/// <summary>A response body the pipeline has read into memory; its bytes can be parsed in place, without a stream.</summary>
internal sealed class BufferedContent(byte[] body, int length) : ByteArrayContent(body, 0, length)
{
    /// <summary>The body.</summary>
    public ReadOnlyMemory<byte> Body { get; } = body.AsMemory(0, length);
}
