namespace TrainingApis.Testing;

/// <summary>
/// A response body that hands over <paramref name="prefix"/> at once, then one chunk of <paramref name="next"/> per read
/// after waiting <paramref name="interval"/> of fake time, or never again when the interval is null (a stalled server):
/// only cancellation ends such a read.
/// </summary>
public sealed class TrickleStream(byte[] prefix, FakeTimeProvider time, TimeSpan? interval, Func<int, byte[]?> next) : Stream
{
    /// <summary>A 200 JSON response whose body is <paramref name="prefix"/>, then nothing ever again.</summary>
    public static HttpResponseMessage Stalled(string prefix, FakeTimeProvider time)
    {
        var content = new StreamContent(new TrickleStream(System.Text.Encoding.UTF8.GetBytes(prefix), time, null, static _ => null));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = content };
    }

    private int _chunks;
    private bool _prefixSent;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_prefixSent)
        {
            _prefixSent = true;
            prefix.CopyTo(buffer);
            return prefix.Length;
        }

        if (interval is not { } wait)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            return 0;
        }

        await Task.Delay(wait, time, cancellationToken);
        var chunk = next(_chunks++);
        if (chunk is null)
        {
            return 0;
        }

        chunk.CopyTo(buffer);
        return chunk.Length;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Read asynchronously.");

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
